/**
 * The stack's estimated GPU cost, from its config: what `render` puts in plan.json (`cost`) and prints.
 */
import { estimateStackCost, type ClusterProvider, type StackCost } from "@mlops-platform/components";
import type { PlatformConfig } from "./config.js";

export function stackCost(config: PlatformConfig): StackCost {
  // Config pools carry every field the estimate reads, under the same names.
  return estimateStackCost(config.cluster.provider as ClusterProvider, config.gpu.pools);
}

const usd = (value: number): string => `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The cost table of the summary; the README shows it as `render` prints it. */
export function formatCost(cost: StackCost, budgetUsd: number): string[] {
  if (cost.pools.length === 0) return ["GPU cost: no GPU pools (idle $0.00/month)"];
  const rows = [
    ["pool", "gpu", "$/GPU-hour", "max/month", "idle/month"],
    ...cost.pools.map((p) => [
      p.pool,
      p.gpu,
      p.hourlyPerGpuUsd.min === p.hourlyPerGpuUsd.max ? usd(p.hourlyPerGpuUsd.min) : `${usd(p.hourlyPerGpuUsd.min)}-${usd(p.hourlyPerGpuUsd.max)}`,
      usd(p.maxMonthlyUsd),
      usd(p.idleMonthlyUsd),
    ]),
    ["total", "", "", usd(cost.maxMonthlyUsd), usd(cost.idleMonthlyUsd)],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return [
    `GPU cost (USD, ${cost.hoursPerMonth} h/month; budget ${usd(budgetUsd)}/month; prices: ${cost.priceSource}):`,
    ...rows.map((r) => `  ${r.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ")}`.trimEnd()),
  ];
}
