/**
 * The render's per-team and per-pool summary: what each team gets (its namespace and quota) and what each
 * GPU pool is (GPU, capacity, size, and the instance types its rendered NodePool or ComputeClass allows).
 */
import type { Manifest } from "@mlops-platform/components/testing";
import type { PlatformConfig } from "./config.js";

/** At most this many teams are listed one per line; the rest are counted (a stack may have hundreds). */
export const MAX_LISTED_TEAMS = 20;

/** The pool label the platform puts on every node of a GPU pool (and so in its NodePool's or ComputeClass's template). */
const POOL_LABEL = "mlops-platform.io/gpu-pool";

/** Left-aligned columns, two spaces apart, each line indented by two spaces. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => `  ${row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ")}`.trimEnd());
}

/** Teams: name, namespace (as the platform names it) and quota, the first MAX_LISTED_TEAMS of them. */
export function teamSummary(config: PlatformConfig, teamNamespaces: Readonly<Record<string, string>>): string[] {
  if (config.teams.length === 0) return [];
  const rows = config.teams.slice(0, MAX_LISTED_TEAMS).map(({ name, quota }) => [
    name,
    teamNamespaces[name] ?? "?",
    String(quota.cpu),
    `${quota.memoryGiB}Gi`,
    String(quota.gpus),
    `${quota.storageGiB}Gi`,
  ]);
  const more = config.teams.length - rows.length;
  return [
    "",
    `Teams (${config.teams.length}):`,
    ...table([["team", "namespace", "cpu", "memory", "gpus", "storage"], ...rows]),
    ...(more > 0 ? [`  ... and ${more} more teams, each in its namespace team-<name>`] : []),
  ];
}

/** GPU pools: GPU and GPUs per node, capacity, how many GPUs, and the instance types the cloud may start. */
export function poolSummary(config: PlatformConfig, manifests: readonly Manifest[]): string[] {
  if (config.gpu.pools.length === 0) return [];
  const machines = new Map<string, string[]>();
  for (const manifest of manifests) {
    const pool = findLabel(manifest.object, POOL_LABEL);
    if (pool !== undefined && (manifest.kind === "NodePool" || manifest.kind === "ComputeClass")) machines.set(pool, instanceTypesOf(manifest));
  }
  const rows = config.gpu.pools.map((pool) => [
    pool.name,
    `${pool.gpu} x${pool.gpusPerNode}`,
    pool.capacity.join(", "),
    `${pool.minNodes * pool.gpusPerNode}-${pool.maxGpus}`,
    (machines.get(pool.name) ?? []).join(", ") || "(none on this cluster)",
  ]);
  return ["", `GPU pools (${config.gpu.pools.length}):`, ...table([["pool", "gpu x per node", "capacity", "gpus (warm-max)", "instance types"], ...rows])];
}

/** Karpenter's instance-type requirement, or a ComputeClass's machine types, in order. */
function instanceTypesOf(manifest: Manifest): string[] {
  const spec = manifest.object["spec"] as Record<string, any> | undefined;
  if (manifest.kind === "NodePool") {
    const requirements: Array<{ key?: string; values?: string[] }> = spec?.["template"]?.["spec"]?.["requirements"] ?? [];
    return requirements.find((r) => r.key === "node.kubernetes.io/instance-type")?.values ?? [];
  }
  const priorities: Array<{ machineType?: string }> = spec?.["priorities"] ?? [];
  return priorities.flatMap((p) => (p.machineType ? [p.machineType] : []));
}

/** The value of a label key anywhere in an object (a template's labels, nodeLabels, ...). */
function findLabel(value: unknown, key: string): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  if (!Array.isArray(value) && typeof (value as Record<string, unknown>)[key] === "string") return (value as Record<string, string>)[key];
  for (const child of Object.values(value)) {
    const found = findLabel(child, key);
    if (found !== undefined) return found;
  }
  return undefined;
}
