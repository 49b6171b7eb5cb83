/**
 * Cost: the GPU price table and the estimate the render and the `gpu-cost` policy use.
 */
export {
  estimatePoolCost,
  estimateStackCost,
  gpuPrice,
  HOURS_PER_MONTH,
  type PoolCost,
  type PoolCostInput,
  type StackCost,
} from "./estimate.js";
export { GPU_PRICES, type GpuPrice, type GpuPriceTable } from "./gpu-prices.js";
