export * from "./estimate.js";
export * from "./gpu-prices.js";
