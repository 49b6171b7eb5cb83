import * as k8s from "@pulumi/kubernetes";
import { describe, expect, it } from "vitest";
import { MlPlatform } from "@mlops-platform/components";
import { buildArtifacts } from "@mlops-platform/components/testing";
import { checkPolicies } from "../../infra/policy-check.js";
import { summarize } from "../../infra/render.js";
import { capture } from "../helpers.js";

const NO_SETTINGS = { allowedExternalServices: [] };

/** A program with three problems: a team namespace without guardrails, a privileged pod, a public Service. */
function rogueProgram(): void {
  new k8s.core.v1.Namespace("rogue", { metadata: { name: "team-rogue" } });
  new k8s.core.v1.Pod("miner", {
    metadata: { name: "miner", namespace: "team-rogue" },
    spec: {
      containers: [
        {
          name: "main",
          image: "example.com/miner:1.0.0",
          securityContext: { privileged: true },
          resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
        },
      ],
    },
  });
  new k8s.core.v1.Service("public", {
    metadata: { name: "public", namespace: "team-rogue" },
    spec: { type: "LoadBalancer", ports: [{ port: 80 }] },
  });
}

describe("the policy pack over a rendered stack", () => {
  it("finds no violation in the platform's own resources, even at prod's levels", async () => {
    const result = await capture(() => {
      new MlPlatform("mlops", { teams: [{ name: "vision", owners: ["leads"], quota: { cpu: 8, memoryGiB: 32, gpus: 2, storageGiB: 100 } }] });
    });
    expect(checkPolicies(result, "prod", NO_SETTINGS)).toEqual([]);
  });

  it("reports each violation with its rule, level and resource, mandatory in prod", async () => {
    const violations = checkPolicies(await capture(rogueProgram), "prod", NO_SETTINGS);
    expect(violations.map((v) => [v.policy, v.enforcementLevel, v.resource])).toEqual([
      ["no-external-services", "mandatory", "kubernetes:core/v1:Service::public"],
      ["no-host-access", "mandatory", "kubernetes:core/v1:Pod::miner"],
      ["team-namespace-guardrails", "mandatory", "kubernetes:core/v1:Namespace::rogue"],
      ["team-namespace-guardrails", "mandatory", "kubernetes:core/v1:Namespace::rogue"],
    ]);
    const guardrails = violations.filter((v) => v.policy === "team-namespace-guardrails").map((v) => v.message);
    expect(guardrails.join("\n")).toMatch(/ResourceQuota/);
    expect(guardrails.join("\n")).toMatch(/NetworkPolicy/);
  });

  it("keeps hygiene rules advisory in dev while security rules stay mandatory", async () => {
    const levels = Object.fromEntries(checkPolicies(await capture(rogueProgram), "dev", NO_SETTINGS).map((v) => [v.policy, v.enforcementLevel]));
    expect(levels).toEqual({ "no-external-services": "mandatory", "no-host-access": "mandatory", "team-namespace-guardrails": "advisory" });
  });

  it("allows an external Service the stack file lists", async () => {
    const violations = checkPolicies(await capture(rogueProgram), "prod", { allowedExternalServices: ["team-rogue/public"] });
    expect(violations.map((v) => v.policy)).not.toContain("no-external-services");
  });

  it("puts violations in the summary", async () => {
    const result = await capture(rogueProgram);
    const violations = checkPolicies(result, "dev", NO_SETTINGS);
    const artifacts = await buildArtifacts(result, { planSections: { violations } });
    expect(artifacts.plan["violations"]).toEqual(violations);
    const text = summarize(result, artifacts, violations, "out/x").join("\n");
    expect(text).toContain("Policies: 4 violations (2 mandatory, 2 advisory):");
    expect(text).toContain("  [mandatory] no-host-access kubernetes:core/v1:Pod::miner: ");
  });
});
