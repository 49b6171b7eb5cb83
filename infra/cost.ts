/**
 * The stack's estimated GPU cost, from its config: what `render` puts in plan.json (`cost`) and prints.
 */
import { CapacityType, estimateStackCost, gpuPrice, type ClusterProvider, type GpuCloud, type StackCost } from "@mlops-platform/components";
import type { PlatformConfig } from "./config.js";

export function stackCost(config: PlatformConfig): StackCost {
  // Config pools carry every field the estimate reads, under the same names.
  return estimateStackCost(config.cluster.provider as ClusterProvider, config.gpu.pools);
}

/** Money as every report of the platform prints it: US dollars, thousands separated, two decimals ($1,109.60). */
export function formatUsd(value: number): string {
  const sign = value < 0 ? "-" : "";
  return `${sign}$${Math.abs(value).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Which capacity's price a cost column uses: the dearest the pool allows for its maximum, the cheapest for warm nodes. */
function pricedCapacities(cloud: GpuCloud, pool: PlatformConfig["gpu"]["pools"][number]): { prices: string; dearest: string; cheapest: string } {
  const price = gpuPrice(cloud, pool.gpu);
  const perHour = (capacity: string): number => (capacity === CapacityType.Spot ? price.spotPerGpuHourUsd : price.onDemandPerGpuHourUsd);
  const byPrice = [...pool.capacity].sort((a, b) => perHour(a) - perHour(b));
  return {
    prices: byPrice.map((capacity) => `${formatUsd(Math.round(perHour(capacity) * 100) / 100)} ${capacity}`).join(", "),
    dearest: byPrice[byPrice.length - 1]!,
    cheapest: byPrice[0]!,
  };
}

/** The cost table of the summary, each money column saying which price it uses; the README shows it as `render` prints it. */
export function formatCost(cost: StackCost, budgetUsd: number, config: PlatformConfig): string[] {
  if (cost.pools.length === 0) return [`GPU cost: no GPU pools (idle ${formatUsd(0)}/month)`];
  const cloud = config.cluster.provider as GpuCloud;
  const rows = [
    ["pool", "gpu", "$/GPU-hour", "max/month", "idle/month"],
    ...cost.pools.map((p) => {
      const pool = config.gpu.pools.find((candidate) => candidate.name === p.pool)!;
      const { prices, dearest, cheapest } = pricedCapacities(cloud, pool);
      return [p.pool, p.gpu, prices, `${formatUsd(p.maxMonthlyUsd)} at ${dearest}`, `${formatUsd(p.idleMonthlyUsd)} at ${cheapest}`];
    }),
    ["total", "", "", formatUsd(cost.maxMonthlyUsd), formatUsd(cost.idleMonthlyUsd)],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return [
    `GPU cost (USD, ${cost.hoursPerMonth} h/month; budget ${formatUsd(budgetUsd)}/month; prices: ${cost.priceSource}):`,
    ...rows.map((r) => `  ${r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ")}`.trimEnd()),
    "  max/month: maxGpus GPUs all month at the dearest price the pool allows; idle/month: its minNodes nodes all month at the cheapest",
  ];
}
