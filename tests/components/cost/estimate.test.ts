import { describe, expect, it } from "vitest";
import {
  CapacityType,
  ClusterProvider,
  estimatePoolCost,
  estimateStackCost,
  GPU_CATALOG,
  GPU_CLOUDS,
  GPU_PRICES,
  GpuCloud,
  GpuType,
  gpuTypesOn,
  HOURS_PER_MONTH,
} from "@mlops-platform/components";

describe("GPU cost estimate (hand-checked)", () => {
  it.each([
    // 4 GPUs × $0.38 (spot L4) × 730 h = $1,109.60; scales to zero, so idle is $0.
    ["dev's spot L4 pool", GpuCloud.Aws, { gpu: GpuType.NvidiaL4, gpusPerNode: 1, capacity: [CapacityType.Spot], minNodes: 0, maxGpus: 4 }, { min: 0.38, max: 0.38 }, 1109.6, 0],
    // 16 × $2.745 × 730 = $32,061.60; one warm 8-GPU node: 8 × $2.745 × 730 = $16,030.80.
    ["prod's on-demand A100 pool with a warm node", GpuCloud.Aws, { gpu: GpuType.NvidiaA100, gpusPerNode: 8, capacity: [CapacityType.OnDemand], minNodes: 1, maxGpus: 16 }, { min: 2.75, max: 2.75 }, 32061.6, 16030.8],
    // The ceiling uses the dearest allowed price: 4 × $0.526 × 730 = $1,535.92; warm nodes the cheapest: 1 × $0.21 × 730 = $153.30.
    ["a T4 pool allowing spot and on-demand", GpuCloud.Aws, { gpu: GpuType.NvidiaT4, gpusPerNode: 1, capacity: [CapacityType.Spot, CapacityType.OnDemand], minNodes: 1, maxGpus: 4 }, { min: 0.21, max: 0.53 }, 1535.92, 153.3],
    // 8 × $11.06 × 730 = $64,590.40 on GKE.
    ["an H100 pool on GKE", GpuCloud.Gcp, { gpu: GpuType.NvidiaH100, gpusPerNode: 8, capacity: [CapacityType.OnDemand], minNodes: 0, maxGpus: 8 }, { min: 11.06, max: 11.06 }, 64590.4, 0],
  ] as const)("%s", (_name, cloud, pool, hourly, maxMonthly, idleMonthly) => {
    const cost = estimatePoolCost(cloud, { name: "p", ...pool });
    expect(cost.hourlyPerGpuUsd).toEqual(hourly);
    expect(cost.maxMonthlyUsd).toBe(maxMonthly);
    expect(cost.idleMonthlyUsd).toBe(idleMonthly);
  });

  it("adds up a stack's pools", () => {
    const stack = estimateStackCost(ClusterProvider.Aws, [
      { name: "a", gpu: GpuType.NvidiaL4, gpusPerNode: 1, capacity: [CapacityType.Spot], minNodes: 0, maxGpus: 4 },
      { name: "b", gpu: GpuType.NvidiaA100, gpusPerNode: 8, capacity: [CapacityType.OnDemand], minNodes: 1, maxGpus: 16 },
    ]);
    expect([stack.maxMonthlyUsd, stack.idleMonthlyUsd, stack.hoursPerMonth]).toEqual([33171.2, 16030.8, HOURS_PER_MONTH]);
  });

  it("costs nothing on a kind cluster", () => {
    expect(estimateStackCost(ClusterProvider.Kind, [])).toMatchObject({ pools: [], maxMonthlyUsd: 0, idleMonthlyUsd: 0 });
  });

  it("prices every GPU each cloud offers, spot never above on-demand, with a source", () => {
    for (const cloud of GPU_CLOUDS) {
      expect(Object.keys(GPU_PRICES.clouds[cloud]).sort()).toEqual(gpuTypesOn(cloud).sort());
      for (const gpu of gpuTypesOn(cloud)) {
        const price = GPU_PRICES.clouds[cloud][gpu]!;
        expect(price.spotPerGpuHourUsd, `${cloud} ${gpu}`).toBeLessThanOrEqual(price.onDemandPerGpuHourUsd);
        expect(price.spotPerGpuHourUsd, `${cloud} ${gpu}`).toBeGreaterThan(0);
        expect(price.source.length, `${cloud} ${gpu}`).toBeGreaterThan(0);
        expect(GPU_CATALOG[cloud][gpu]!.machines.length).toBeGreaterThan(0);
      }
    }
  });
});
