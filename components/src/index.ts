/**
 * @mlops-platform/components: Pulumi component resources for a machine-learning platform on Kubernetes.
 * The offline render kit is a separate entry point: `@mlops-platform/components/testing`.
 */
export * from "./cluster/index.js";
export * from "./common/index.js";
export * from "./cost/index.js";
export * from "./database/index.js";
export * from "./gateway/index.js";
export * from "./gpu/index.js";
export * from "./notebooks/index.js";
export * from "./platform/index.js";
export * from "./tenancy/index.js";
export * from "./training/index.js";
