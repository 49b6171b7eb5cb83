/**
 * Advisories: settings that are valid, and deploy, but are probably not what the stack means. They are
 * printed with the reason (by the render, and as warnings under `pulumi up`), never fatal: a stack may
 * have a reason of its own.
 */
import { CapacityType, GpuWorkload } from "@mlops-platform/components";
import { keyPath, type PlatformConfig } from "./config.js";

/** One advisory, at the stack key that sets the value. */
export interface Advisory {
  key: readonly PropertyKey[];
  /** The value there, as the stack has it (presets applied). */
  value: unknown;
  /** Why it is probably wrong, and what to do. */
  reason: string;
}

/** Notebook culling below this many idle minutes stops notebooks during a coffee break. */
export const MIN_SANE_IDLE_MINUTES = 10;
/** Above this (a day), idle notebooks keep their CPU, memory and GPUs overnight and through weekends. */
export const MAX_SANE_IDLE_MINUTES = 24 * 60;
/** An idle GPU node kept longer than this (4 hours) is paid for doing nothing most of a working day. */
export const MAX_SANE_CONSOLIDATE_MINUTES = 4 * 60;
/** More replicas than this of every platform service is more than any of them needs for availability. */
export const MAX_SANE_REPLICAS = 10;

/** Every advisory of a validated stack config. */
export function stackAdvisories(config: PlatformConfig): Advisory[] {
  return [...gpuQuotaAdvisories(config), ...spotServingAdvisories(config), ...rangeAdvisories(config)];
}

/** `advisory: <file>: <key>: <reason>, got <value>`, as the render and `pulumi up` print it. */
export function formatAdvisory(advisory: Advisory, stackFile: string): string {
  return `advisory: ${stackFile}: ${keyPath(advisory.key)}: ${advisory.reason}, got ${JSON.stringify(advisory.value)}`;
}

/**
 * GPU quotas the pools can never fill: a team's own quota above every pool's maxGpus together, or the
 * teams' quotas adding up past it (each team is promised GPUs that are not there).
 */
function gpuQuotaAdvisories(config: PlatformConfig): Advisory[] {
  const capacity = config.gpu.pools.reduce((sum, pool) => sum + pool.maxGpus, 0);
  const withGpus = config.teams.map((team, index) => ({ team, index })).filter(({ team }) => team.quota.gpus > 0);
  const where = config.gpu.pools.length === 0 ? "the stack has no GPU pools (gpu.pools)" : `the GPU pools provide at most ${capacity} (the sum of gpu.pools[].maxGpus)`;
  const advisories: Advisory[] = withGpus
    .filter(({ team }) => team.quota.gpus > capacity)
    .map(({ team, index }) => ({
      key: ["teams", index, "quota", "gpus"],
      value: team.quota.gpus,
      reason: `team ${team.name} may use ${team.quota.gpus} GPU${team.quota.gpus === 1 ? "" : "s"}, but ${where}: the quota can never be used in full; raise maxGpus of a pool or lower the quota`,
    }));
  const total = withGpus.reduce((sum, { team }) => sum + team.quota.gpus, 0);
  // Only when no single team already says so: one reason per mistake.
  if (advisories.length === 0 && withGpus.length > 1 && total > capacity) {
    const last = withGpus[withGpus.length - 1]!;
    advisories.push({
      key: ["teams", last.index, "quota", "gpus"],
      value: last.team.quota.gpus,
      reason: `the teams' GPU quotas add up to ${total} (${withGpus.map(({ team }) => `${team.name} ${team.quota.gpus}`).join(", ")}), but ${where}: when every team uses its quota, some pods stay pending; raise maxGpus or lower the quotas`,
    });
  }
  return advisories;
}

/** Production model serving on spot capacity alone: one reclaim wave takes the models offline. */
function spotServingAdvisories(config: PlatformConfig): Advisory[] {
  if (config.environment !== "prod") return [];
  return config.gpu.pools.flatMap((pool, index) =>
    pool.workloads.includes(GpuWorkload.Serving) && pool.capacity.length > 0 && pool.capacity.every((capacity) => capacity === CapacityType.Spot)
      ? [
          {
            key: ["gpu", "pools", index, "capacity"],
            value: pool.capacity,
            reason: `pool ${pool.name} serves models in prod on spot capacity only: the cloud can reclaim every node at once (two minutes' notice on AWS, thirty seconds on Azure and GCP), taking the models offline; add "on-demand" (Karpenter prefers spot while it lasts)`,
          },
        ]
      : [],
  );
}

/** Timeouts and replica counts far outside what any platform needs. */
function rangeAdvisories(config: PlatformConfig): Advisory[] {
  const advisories: Advisory[] = [];
  const culling = config.notebooks.culling;
  if (config.notebooks.enabled && culling.enabled && culling.idleMinutes < MIN_SANE_IDLE_MINUTES) {
    advisories.push({
      key: ["notebooks", "culling", "idleMinutes"],
      value: culling.idleMinutes,
      reason: `notebooks are stopped after ${culling.idleMinutes} idle minutes, less than ${MIN_SANE_IDLE_MINUTES}: a short break loses the kernel's state; use 30 or more`,
    });
  }
  if (config.notebooks.enabled && culling.enabled && culling.idleMinutes > MAX_SANE_IDLE_MINUTES) {
    advisories.push({
      key: ["notebooks", "culling", "idleMinutes"],
      value: culling.idleMinutes,
      reason: `idle notebooks keep their CPU, memory and GPUs for more than a day (${MAX_SANE_IDLE_MINUTES} minutes) before they are stopped; use a few hours at most`,
    });
  }
  config.gpu.pools.forEach((pool, index) => {
    if (pool.consolidateAfterMinutes > MAX_SANE_CONSOLIDATE_MINUTES) {
      advisories.push({
        key: ["gpu", "pools", index, "consolidateAfterMinutes"],
        value: pool.consolidateAfterMinutes,
        reason: `an empty node of pool ${pool.name} is kept for more than ${MAX_SANE_CONSOLIDATE_MINUTES / 60} hours before it is removed, paid for while idle; use 30 minutes or less`,
      });
    }
  });
  if (config.availability.replicas > MAX_SANE_REPLICAS) {
    advisories.push({
      key: ["availability", "replicas"],
      value: config.availability.replicas,
      reason: `every platform service (cert-manager, the gateway, Prometheus, ...) runs this many replicas, more than ${MAX_SANE_REPLICAS}: two or three survive a node or zone; more only cost (the gateway scales itself with load)`,
    });
  }
  return advisories;
}
