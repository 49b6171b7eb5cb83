/** The policy pack's config a real preview or deploy of a stack uses (infra/policy-config.ts). */
import { policyPackConfigFor } from "@mlops-platform/policies/rules";
import { describe, expect, it } from "vitest";
import { policyConfigForStack } from "../../infra/policy-config.js";
import { ROOT } from "./render-helpers.js";

describe("the policy pack's config for a stack", () => {
  it("puts every rule at the stack's environment level, with the stack's GPU budget", () => {
    const config = policyConfigForStack("prod", ROOT);
    expect(Object.keys(config).sort()).toEqual(Object.keys(policyPackConfigFor("prod")).sort());
    expect(Object.values(config).every((entry) => (entry as { environment: string }).environment === "prod")).toBe(true);
    expect(config["gpu-cost"]).toMatchObject({ environment: "prod", gpuMonthlyBudgetUsd: 250_000 });
  });

  it("fails for a stack with no stack file, naming the stacks there are", () => {
    expect(() => policyConfigForStack("qa", ROOT)).toThrow('unknown stack "qa" (stacks: dev, local, prod, staging)');
  });
});
