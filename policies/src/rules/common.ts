/**
 * What rules of several capabilities share: the two usual enforcement tables, the GPU resource name, and
 * wording and lookups that keep messages consistent. The registry (`../rules.ts`) re-exports only
 * `GPU_RESOURCE` from here; the rest stays inside `rules/`.
 */
import type { PolicyResource } from "@pulumi/policy";
import type { EnforcementByEnvironment, ResolvedSettings } from "../enforcement.js";
import { isKind, namespaceOf, type JsonObject } from "../kubernetes.js";

/**
 * Money in a message, the one way every report of the platform prints it (the render's cost table too):
 * US dollars, thousands separated, two decimals ($27,740.00).
 */
export function usd(value: number): string {
  const sign = value < 0 ? "-" : "";
  return `${sign}$${Math.abs(value).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/**
 * Hygiene rules (resources, pins, quotas, GPU scheduling) only warn in local and dev, so experiments stay
 * cheap, and block from staging on.
 */
export const ADVISORY_UNTIL_STAGING: EnforcementByEnvironment = { local: "advisory", dev: "advisory", staging: "mandatory", prod: "mandatory" };

/**
 * Rules whose violation is a security exposure (host access, external Services, plaintext secrets) or
 * spends GPUs and money outside any budget (GPU cost, notebook culling, GPU work outside team quotas)
 * already block in dev, because dev clusters are shared, reachable and billed; they only warn on a laptop
 * cluster.
 */
export const ADVISORY_ONLY_LOCALLY: EnforcementByEnvironment = { local: "advisory", dev: "mandatory", staging: "mandatory", prod: "mandatory" };

/** The extended resource (and taint key) of NVIDIA GPUs. */
export const GPU_RESOURCE = "nvidia.com/gpu";

/** The end of a message for a rule that exempts system namespaces: which ones, and how to add one. */
export function systemNamespaceHint(settings: ResolvedSettings): string {
  const namespaces = settings.systemNamespaces.join(", ");
  return `only system namespaces (${namespaces}) may; add one to systemNamespaces in the policy config if it is a node-level add-on`;
}

/** True when the object lives in one of the configured system namespaces. */
export function inSystemNamespace(props: JsonObject, settings: ResolvedSettings): boolean {
  return settings.systemNamespaces.includes(namespaceOf(props));
}

/** The stack's objects of `group`/`kind` in `namespace`. */
export function objectsIn(resources: readonly PolicyResource[], namespace: string, group: string, kind: string): PolicyResource[] {
  return resources.filter((resource) => isKind(resource.type, group, kind) && namespaceOf(resource.props) === namespace);
}
