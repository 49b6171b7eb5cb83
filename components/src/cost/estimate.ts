/**
 * What GPU pools can cost, from the price table: per pool the hourly price range per GPU, the monthly
 * cost at `maxGpus` (the ceiling the pool's limit allows) and the monthly cost of the nodes kept warm at
 * `minNodes` (what the pool costs when nobody uses it). Pure functions; `render` prints their result.
 */
import type { ClusterProvider } from "../common/kubernetes.js";
import { gpuCloudOf, type GpuCloud, type GpuType } from "../gpu/catalog.js";
import { CapacityType } from "../gpu/node-pool-spec.js";
import { GPU_PRICES, type GpuPrice } from "./gpu-prices.js";

/** Hours in an average month (365 × 24 / 12), the convention cloud price calculators use. */
export const HOURS_PER_MONTH = 730;

/** What the estimate needs to know about a pool. */
export interface PoolCostInput {
  name: string;
  gpu: GpuType;
  gpusPerNode: number;
  capacity: readonly CapacityType[];
  minNodes: number;
  maxGpus: number;
}

export interface PoolCost {
  pool: string;
  gpu: GpuType;
  /** Cheapest and dearest price of one GPU-hour among the pool's capacity types, USD. */
  hourlyPerGpuUsd: { min: number; max: number };
  /** Monthly cost with `maxGpus` GPUs running all month at the dearest allowed price, USD. */
  maxMonthlyUsd: number;
  /** Monthly cost of the `minNodes` nodes kept warm, at the cheapest allowed price, USD. */
  idleMonthlyUsd: number;
}

export interface StackCost {
  currency: "USD";
  hoursPerMonth: number;
  /** Where the prices come from and when they were read. */
  priceSource: string;
  pools: PoolCost[];
  maxMonthlyUsd: number;
  idleMonthlyUsd: number;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** The price of a GPU on a cloud; throws for a GPU the table does not price (config validation prevents it). */
export function gpuPrice(cloud: GpuCloud, gpu: GpuType): GpuPrice {
  const price = GPU_PRICES.clouds[cloud][gpu];
  if (!price) throw new Error(`no price for ${gpu} on ${cloud}: add it to components/src/cost/gpu-prices.ts`);
  return price;
}

function perGpuHour(price: GpuPrice, capacity: CapacityType): number {
  return capacity === CapacityType.Spot ? price.spotPerGpuHourUsd : price.onDemandPerGpuHourUsd;
}

export function estimatePoolCost(cloud: GpuCloud, pool: PoolCostInput): PoolCost {
  const price = gpuPrice(cloud, pool.gpu);
  const hourly = pool.capacity.map((capacity) => perGpuHour(price, capacity));
  const min = Math.min(...hourly);
  const max = Math.max(...hourly);
  return {
    pool: pool.name,
    gpu: pool.gpu,
    hourlyPerGpuUsd: { min: round2(min), max: round2(max) },
    maxMonthlyUsd: round2(pool.maxGpus * max * HOURS_PER_MONTH),
    idleMonthlyUsd: round2(pool.minNodes * pool.gpusPerNode * min * HOURS_PER_MONTH),
  };
}

/** Every pool of a stack and the totals. A stack without pools, or on a kind cluster, costs nothing in GPUs. */
export function estimateStackCost(provider: ClusterProvider, pools: readonly PoolCostInput[]): StackCost {
  const cloud = gpuCloudOf(provider);
  const costs = cloud === undefined ? [] : pools.map((pool) => estimatePoolCost(cloud, pool));
  return {
    currency: "USD",
    hoursPerMonth: HOURS_PER_MONTH,
    priceSource: GPU_PRICES.source,
    pools: costs,
    maxMonthlyUsd: round2(costs.reduce((sum, c) => sum + c.maxMonthlyUsd, 0)),
    idleMonthlyUsd: round2(costs.reduce((sum, c) => sum + c.idleMonthlyUsd, 0)),
  };
}
