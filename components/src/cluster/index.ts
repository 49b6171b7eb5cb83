export * from "./cert-manager.js";
export * from "./cluster-base.js";
export * from "./priority-classes.js";
export * from "./operators.js";
