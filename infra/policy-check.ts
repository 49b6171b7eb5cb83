/**
 * Runs the policy pack offline over what a stack registers, so the same rules hold before `pulumi
 * preview --policy-pack policies` ever runs. The rule code is the pack's own (`@mlops-platform/policies`).
 */
import type { CaptureResult } from "@mlops-platform/components/testing";
import { evaluatePolicies, type Environment, type Violation } from "@mlops-platform/policies/rules";
import { keyPath, type PlatformConfig } from "./config.js";

/** A violation as `plan.json` and the summary show it. */
export interface PlanViolation {
  policy: string;
  enforcementLevel: "advisory" | "mandatory";
  /** `<type>::<name>`, or empty for a rule about the whole stack. */
  resource: string;
  message: string;
  /**
   * The stack key that decides it (`mlops-platform:notebooks.culling.enabled`), when a stack value does:
   * what the user changes. Unset for rules about what the platform itself creates.
   */
  stackKey?: string;
}

/** A stack key path, or undefined when the stack does not decide the violation. */
type KeyRule = (violation: PlanViolation, config: PlatformConfig) => readonly PropertyKey[] | undefined;

/** The quoted names of a message (`gateway team "vision" has ...` -> vision). */
const quotedNames = (message: string): string[] => [...message.matchAll(/"([^"]+)"/g)].map((match) => match[1]!);

/**
 * For each rule a stack value can break, the key that decides it. The pack's messages name the objects
 * (a model, a team, a pool) in quotes or in a list; the key is found from them in the stack's values.
 */
const STACK_KEYS: Readonly<Record<string, KeyRule>> = {
  "notebook-culling": () => ["notebooks", "culling", "enabled"],
  "metrics-retention": () => ["monitoring", "retentionDays"],
  "no-external-services": () => ["policies", "allowedExternalServices"],
  "gateway-fallbacks": ({ message }, config) => {
    const listed = /without a fallback: ([^:]+):/.exec(message)?.[1]?.split(", ") ?? [];
    const index = config.gateway.models.findIndex((model) => listed.includes(model.name));
    return index < 0 ? ["gateway", "models"] : ["gateway", "models", index, "fallbacks"];
  },
  "gateway-team-budgets": ({ message }, config) => {
    const index = config.teams.findIndex((team) => quotedNames(message).includes(team.name));
    if (index < 0) return undefined;
    return config.teams[index]!.gateway?.monthlyBudgetUsd === undefined ? ["gateway", "defaultTeamMonthlyBudgetUsd"] : ["teams", index, "gateway", "monthlyBudgetUsd"];
  },
  "gpu-cost": ({ message }, config) => {
    // A pool kept warm names the pool's object (named after the pool, with a prefix); the total names none.
    const names = quotedNames(message);
    const matches = (pool: string) => names.some((name) => name === pool || name.endsWith(`-${pool}`));
    const pool = config.gpu.pools.map((p, index) => ({ name: p.name, index })).filter((p) => matches(p.name)).sort((a, b) => b.name.length - a.name.length)[0];
    return pool === undefined ? ["gpu", "monthlyBudgetUsd"] : ["gpu", "pools", pool.index, "minNodes"];
  },
};

/** Each violation with the stack key that decides it, where a stack value does. */
export function withStackKeys(violations: readonly PlanViolation[], config: PlatformConfig): PlanViolation[] {
  return violations.map((violation) => {
    const key = STACK_KEYS[violation.policy]?.(violation, config);
    return key === undefined ? violation : { ...violation, stackKey: keyPath(key) };
  });
}

/**
 * Evaluates every rule over the captured resources at the environment's enforcement levels. Rules see
 * the real input values (as they do in a preview), never written anywhere; messages name no secret.
 */
export function checkPolicies(
  capture: CaptureResult,
  environment: Environment,
  settings: PlatformConfig["policies"],
  gpuMonthlyBudgetUsd?: number,
): PlanViolation[] {
  const resources = capture.resources
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .map((r) => ({
      type: r.type,
      name: r.name,
      urn: r.urn,
      props: r.plainInputs,
      ...(r.parent ? { parent: r.parent } : {}),
      dependencies: r.dependsOn,
      protect: r.protect,
    }));
  const violations: Violation[] = evaluatePolicies(resources, {
    environment,
    config: {
      allowedExternalServices: settings.allowedExternalServices,
      ...(settings.systemNamespaces ? { systemNamespaces: settings.systemNamespaces } : {}),
      ...(gpuMonthlyBudgetUsd !== undefined ? { gpuMonthlyBudgetUsd } : {}),
    },
  });
  return violations.map(({ policy, enforcementLevel, resource, message }) => ({ policy, enforcementLevel, resource, message }));
}
