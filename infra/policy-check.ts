/**
 * Runs the policy pack offline over what a stack registers, so the same rules hold before `pulumi
 * preview --policy-pack policies` ever runs. The rule code is the pack's own (`@mlops-platform/policies`).
 */
import type { CaptureResult } from "@mlops-platform/components/testing";
import { evaluatePolicies, type Environment, type Violation } from "@mlops-platform/policies/rules";
import type { PlatformConfig } from "./config.js";

/** A violation as `plan.json` and the summary show it. */
export interface PlanViolation {
  policy: string;
  enforcementLevel: "advisory" | "mandatory";
  /** `<type>::<name>`, or empty for a rule about the whole stack. */
  resource: string;
  message: string;
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
