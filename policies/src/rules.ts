/**
 * The registry of the platform's CrossGuard rules, and what the offline render needs to run them without
 * the CLI. Each capability's rules live in `rules/<capability>.ts` (workloads, tenancy, gpu, notebooks,
 * training, gateway, monitoring), each rule with its enforcement per environment. `RULES` below is the one
 * list that orders them; the pack's ids, its enforcement table and its config document are derived from
 * it. So a new capability's rules are one new file, its `export *` and its entries in `RULES`.
 *
 * `index.ts` only wraps `mlopsPolicies` in a PolicyPack; everything testable is reachable from here
 * (`@mlops-platform/policies/rules`), because constructing a PolicyPack starts a gRPC server.
 *
 * The labels and annotations the rules read are re-declared here, not imported from the components, so
 * the pack stays standalone; tests/infra/policy-check.test.ts checks they equal the components' values.
 */
import type { EnforcementLevel } from "@pulumi/policy";
import type { EnforcementByEnvironment, Environment, PolicySettings, SettingName } from "./enforcement.js";
import { runPolicyPack, type AnyPolicy, type OfflineResource, type PackConfigDocument, type Violation } from "./evaluate.js";
import { databaseSafety } from "./rules/databases.js";
import { gatewayFallbacks, gatewayTeamBudgets } from "./rules/gateway.js";
import { gpuCost, gpuTaintTolerations, gpuWorkloadsInTeamNamespaces } from "./rules/gpu.js";
import { metricsRetention } from "./rules/monitoring.js";
import { notebookCulling } from "./rules/notebooks.js";
import { teamNamespaceGuardrails } from "./rules/tenancy.js";
import { trainJobRuntime } from "./rules/training.js";
import { containerResources, noExternalServices, noHostAccess, noPlaintextSecrets, pinnedVersions } from "./rules/workloads.js";

export * from "./enforcement.js";
export * from "./evaluate.js";
export * from "./kubernetes.js";
export * from "./secrets.js";
export * from "./versions.js";
export { GPU_RESOURCE } from "./rules/common.js";
export * from "./rules/databases.js";
export * from "./rules/gateway.js";
export * from "./rules/gpu.js";
export * from "./rules/monitoring.js";
export * from "./rules/notebooks.js";
export * from "./rules/tenancy.js";
export * from "./rules/training.js";
export * from "./rules/workloads.js";

/** The pack's name, as `pulumi preview --policy-pack` reports it. */
export const PACK_NAME = "mlops-platform";

/** The pack's default level, for a policy that sets none (every policy here sets its own). */
export const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "mandatory";

// Every rule, in the order the pack runs them (and the order of its config document).
const RULES = [
  containerResources,
  noHostAccess,
  pinnedVersions,
  teamNamespaceGuardrails,
  noExternalServices,
  gpuTaintTolerations,
  noPlaintextSecrets,
  gpuCost,
  notebookCulling,
  gpuWorkloadsInTeamNamespaces,
  trainJobRuntime,
  gatewayFallbacks,
  gatewayTeamBudgets,
  metricsRetention,
  databaseSafety,
] as const;

/** One of the rule ids. */
export type PolicyId = (typeof RULES)[number]["name"];

/** The stable ids of the rules, in the order the pack runs them. */
export const POLICY_IDS: readonly PolicyId[] = RULES.map((rule) => rule.name);

/**
 * Default enforcement of each rule per environment, as each rule declares it. Hygiene rules (resources,
 * pins, quotas, GPU scheduling) only warn in local and dev so experiments stay cheap; rules whose violation
 * is a security exposure (host access, external Services, plaintext secrets) or unbudgeted GPU spend
 * already block in dev, because dev clusters are shared and reachable, and only warn on a laptop cluster.
 * Gateway fallbacks are required in prod only.
 */
export const DEFAULT_ENFORCEMENT = Object.fromEntries(RULES.map((rule) => [rule.name, rule.enforcementByEnvironment])) as Readonly<
  Record<PolicyId, EnforcementByEnvironment>
>;

/** Every rule, in the order of `POLICY_IDS`: what `index.ts` serves and `evaluatePolicies` runs. */
export const mlopsPolicies: readonly AnyPolicy[] = RULES;

function declaredSettings(policy: AnyPolicy): SettingName[] {
  return Object.keys(policy.configSchema?.properties ?? {}).filter((key): key is SettingName => key !== "environment");
}

/**
 * The policy pack config document for an environment: each policy's level from `DEFAULT_ENFORCEMENT`, the
 * environment, and the settings it declares. Write it to a file for
 * `pulumi preview --policy-pack policies --policy-pack-config <file>`; `evaluatePolicies` uses the same.
 */
export function policyPackConfigFor(environment: Environment, settings: PolicySettings = {}): PackConfigDocument {
  const document: PackConfigDocument = {};
  for (const rule of RULES) {
    const entry: Record<string, unknown> = { enforcementLevel: rule.enforcementByEnvironment[environment], environment };
    for (const setting of declaredSettings(rule)) {
      const value = settings[setting];
      if (value !== undefined) entry[setting] = Array.isArray(value) ? [...value] : value;
    }
    document[rule.name] = entry;
  }
  return document;
}

/** Options of `evaluatePolicies`. */
export interface EvaluateOptions {
  /** The stack's environment; picks each rule's enforcement level. */
  environment: Environment;
  /**
   * Rule settings, as in the policy pack config.
   * @default {} (DEFAULT_SYSTEM_NAMESPACES, no allowed external Services)
   */
  config?: PolicySettings;
}

/**
 * Runs every rule over a stack's resources offline, exactly as `pulumi preview --policy-pack` with
 * `policyPackConfigFor(environment, config)` would, and returns the violations in a stable order.
 */
export function evaluatePolicies(resources: readonly OfflineResource[], options: EvaluateOptions): Violation[] {
  return runPolicyPack(resources, mlopsPolicies, {
    packEnforcementLevel: PACK_ENFORCEMENT_LEVEL,
    config: policyPackConfigFor(options.environment, options.config),
  });
}
