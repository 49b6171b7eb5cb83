export * from "./component.js";
export * from "./helm.js";
export * from "./kubernetes.js";
