export * from "./catalog.js";
export * from "./gpu-node-pool.js";
export * from "./gpu-operator.js";
export * from "./node-pool-spec.js";
