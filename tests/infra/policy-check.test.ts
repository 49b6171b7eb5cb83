import * as k8s from "@pulumi/kubernetes";
import { describe, expect, it } from "vitest";
import { CapacityType, GatewayProvider, GpuCloud, GpuType, MlPlatform } from "@mlops-platform/components";
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

describe("the GPU cost policy", () => {
  const aws = { nodeRole: "r", discoveryTag: "t", amiAlias: "al2023@v20250915" };
  const gpuPlatform = (minNodes: number, maxGpus: number) => () => {
    new MlPlatform("mlops", { gpu: { cloud: GpuCloud.Aws, aws, pools: [{ name: "l4", gpu: GpuType.NvidiaL4, capacity: [CapacityType.Spot], minNodes, maxGpus }] } });
  };

  it("refuses warm GPU nodes in dev: dev pools scale to zero", async () => {
    const violations = checkPolicies(await capture(gpuPlatform(1, 4)), "dev", NO_SETTINGS, 5000);
    expect(violations).toEqual([
      {
        policy: "gpu-cost",
        enforcementLevel: "mandatory",
        resource: "kubernetes:karpenter.sh/v1:NodePool::mlops-gpu-l4-node-pool",
        message: 'GPU pool "gpu-l4" keeps nodes warm at about $277.40/month while idle; dev pools must scale to zero: set its minNodes to 0',
      },
    ]);
  });

  it("allows warm nodes in prod", async () => {
    expect(checkPolicies(await capture(gpuPlatform(1, 4)), "prod", NO_SETTINGS, 5000)).toEqual([]);
  });

  it("turns a stack over its monthly GPU budget into a violation", async () => {
    // 100 spot L4s: 100 × $0.38 × 730 = $27,740 a month, over a $5,000 budget.
    const violations = checkPolicies(await capture(gpuPlatform(0, 100)), "staging", NO_SETTINGS, 5000);
    expect(violations.map((v) => [v.policy, v.enforcementLevel, v.message])).toEqual([
      [
        "gpu-cost",
        "mandatory",
        "GPU pools can cost up to $27,740.00/month at their maxGpus, over the budget of $5,000.00: lower maxGpus or move capacity to spot, or raise gpu.monthlyBudgetUsd in the stack file",
      ],
    ]);
  });

  it("reads the same labels and annotations the components write (the pack does not import them)", async () => {
    const components = await import("@mlops-platform/components");
    const policies = await import("@mlops-platform/policies/rules");
    const shared = [
      "MAX_MONTHLY_COST_ANNOTATION",
      "IDLE_MONTHLY_COST_ANNOTATION",
      "MODELS_WITHOUT_FALLBACK_ANNOTATION",
      "DESIRED_GATEWAY_TEAMS_LABEL",
      "DESIRED_GATEWAY_TEAMS_KEY",
      "TEAM_LABEL",
    ] as const;
    for (const name of shared) expect(policies[name], name).toBe(components[name]);
  });
});

describe("the gateway team budget policy over the platform's own objects", () => {
  const platform = (budgets: Record<string, number>) => () => {
    const team = (name: string) => ({ name, owners: [`${name}-leads`], quota: { cpu: 4, memoryGiB: 8, storageGiB: 10 } });
    new MlPlatform("mlops", {
      teams: [team("vision"), team("nlp")],
      notebooks: { enabled: false },
      training: { enabled: false },
      gateway: {
        models: [{ name: "chat", provider: GatewayProvider.OpenAi, model: "gpt-4.1-mini", fallbacks: [] }],
        masterKey: "sk-master",
        database: { instances: 1 },
        teams: Object.fromEntries(Object.entries(budgets).map(([name, monthlyBudgetUsd]) => [name, { monthlyBudgetUsd }])),
      },
    });
  };
  const budgetViolations = async (budgets: Record<string, number>) =>
    checkPolicies(await capture(platform(budgets)), "prod", NO_SETTINGS)
      .filter((v) => v.policy === "gateway-team-budgets")
      .map((v) => [v.enforcementLevel, v.resource, v.message]);

  it("names, in prod, a team the in-cluster reconciler would put on the gateway without a budget", async () => {
    expect(await budgetViolations({ vision: 300 })).toEqual([
      [
        "mandatory",
        "kubernetes:core/v1:ConfigMap::mlops-gateway-teams-teams",
        'gateway team "nlp" has no monthly budget: set teams[].gateway.monthlyBudgetUsd for it, or gateway.defaultTeamMonthlyBudgetUsd for every team without one',
      ],
    ]);
    expect(await budgetViolations({ vision: 300, nlp: 100 })).toEqual([]);
  });
});

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
    const text = summarize(result, artifacts, violations).join("\n");
    expect(text).toContain("Policies: 4 violations (2 mandatory, 2 advisory):");
    expect(text).toContain("  [mandatory] no-host-access kubernetes:core/v1:Pod::miner: ");
  });
});
