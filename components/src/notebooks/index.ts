export * from "./catalog.js";
export * from "./notebook-platform.js";
export * from "./notebook-spec.js";
export * from "./types.js";
export * from "./validators.js";
export * from "./notebook-access.js";
export * from "./notebook-router.js";
