import { describe, expect, it } from "vitest";
import { checkMlPlatformArgs, ClusterOperator, GatewayProvider, GpuCloud, GpuType, MlPlatform, type MlPlatformArgs } from "@mlops-platform/components";
import { capture } from "../../helpers.js";

const team = { name: "vision", owners: ["vision-leads"], quota: { cpu: 8, memoryGiB: 32, gpus: 2, storageGiB: 100 } };
const platform: MlPlatformArgs = {
  teams: [team],
  gpu: { cloud: GpuCloud.Aws, aws: { nodeRole: "karpenter-node", discoveryTag: "mlops", amiAlias: "al2023@v20251108" }, pools: [{ name: "l4", gpu: GpuType.NvidiaL4, maxGpus: 4 }] },
  gateway: {
    models: [{ name: "chat", provider: GatewayProvider.Ollama, model: "llama3.2:3b", apiBase: "http://ollama:11434" }],
    database: { instances: 1 },
  },
  training: { kueueEnabled: true },
  monitoring: {
    retentionDays: 30,
    gpuMonthlyBudgetUsd: 5000,
    models: [{ name: "churn", team: "vision", podSelector: { app: "churn" }, features: [{ name: "tenure", buckets: [1, 2, 5] }], predictionBuckets: [0.25, 0.5, 0.75] }],
  },
};

type Captured = Awaited<ReturnType<typeof capture>>;
const named = (result: Captured, name: string) => result.resources.find((r) => r.name === name)!;
const monitorsOf = (result: Captured) =>
  result.resources.filter((r) => ["ServiceMonitor", "PodMonitor", "PrometheusRule"].includes(String(r.inputs["kind"]))).map((r) => r.name).sort();

describe("MlPlatform with monitoring", () => {
  it("installs the Prometheus Operator with the stack, so every capability's monitors follow, after its CRDs", async () => {
    const result = await capture(() => new MlPlatform("mlops", platform));
    expect(result.errors).toEqual([]);
    expect(named(result, "mlops-monitoring-chart").remote).toBe(true);
    // The gateway's ServiceMonitor and its database's PodMonitor are theirs; the GPU Operator's chart carries DCGM's.
    expect(monitorsOf(result)).toEqual(
      expect.arrayContaining([
        "mlops-gateway-metrics",
        "mlops-monitoring-rules-mlp-gpus",
        "mlops-monitoring-rules-mlp-gateway",
        "mlops-monitoring-rules-mlp-databases",
        "mlops-monitoring-rules-mlp-training",
        "mlops-model-vision-churn-scrape",
        "mlops-model-vision-churn-rules",
      ]),
    );
    // A component's dependencies reach Pulumi as the resources inside it: the stack's chart among them.
    const chart = named(result, "mlops-monitoring-chart").urn;
    for (const child of ["mlops-gateway", "mlops-gateway-db", "mlops-gpu-operator", "mlops-model-vision-churn", "mlops-training"]) expect(named(result, child).dependsOn).toContain(chart);
    expect((named(result, "mlops-gpu-operator-chart").inputs["values"] as any).dcgmExporter.serviceMonitor.enabled).toBe(true);
  });

  it("has Kueue's chart create its ServiceMonitor for the platform's Prometheus, and watches its queues", async () => {
    const result = await capture(() => new MlPlatform("mlops", platform));
    expect((named(result, "mlops-training-kueue").inputs["values"] as any)).toMatchObject({ enablePrometheus: true, metrics: { prometheusNamespace: "mlp-monitoring" } });
    const training = named(result, "mlops-monitoring-rules-mlp-training").inputs["spec"] as { groups: Array<{ rules: Array<{ alert?: string }> }> };
    expect(training.groups[0]!.rules.map((rule) => rule.alert)).toEqual(["TrainingJobFailed", "TrainingQueueBlocked", "TrainingQueueStuck"]);
    // A preinstalled Kueue is its installer's to expose: its queue alerts stay off, failed jobs still alert.
    const preinstalled = await capture(() => new MlPlatform("mlops", { ...platform, preinstalledOperators: [ClusterOperator.Kueue] }));
    const rules = named(preinstalled, "mlops-monitoring-rules-mlp-training").inputs["spec"] as typeof training;
    expect(rules.groups[0]!.rules.map((rule) => rule.alert)).toEqual(["TrainingJobFailed"]);
  });

  it("monitors each declared model in its team's namespace: its scrape, its rules with the team's label, its dashboard", async () => {
    const result = await capture(() => new MlPlatform("mlops", platform));
    const scrape = named(result, "mlops-model-vision-churn-scrape").inputs as any;
    expect(scrape).toMatchObject({ kind: "PodMonitor", metadata: { name: "mlp-model-team-vision-churn", namespace: "mlp-monitoring" }, spec: { namespaceSelector: { matchNames: ["team-vision"] }, selector: { matchLabels: { app: "churn" } } } });
    const rules = (named(result, "mlops-model-vision-churn-rules").inputs as any).spec.groups[0];
    expect(rules).toMatchObject({ name: "mlp-model-team-vision-churn", interval: "5m" });
    expect(rules.rules.find((rule: any) => rule.alert === "ModelDataDrift").labels).toEqual({ severity: "warning", team: "vision" });
    const dashboard = named(result, "mlops-model-vision-churn-dashboard").inputs as any;
    expect(dashboard.metadata).toMatchObject({ name: "mlp-model-team-vision-churn-dashboard", labels: { grafana_dashboard: "1" } });
  });

  it("fails when a model names no team, or reaches back further than Prometheus keeps metrics", () => {
    const model = platform.monitoring!.models![0]!;
    const problems = checkMlPlatformArgs({
      ...platform,
      monitoring: { ...platform.monitoring, retentionDays: 2, models: [model, { ...model, name: "fraud", team: "speech" }] },
    });
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining('monitoring.models[1].team: got "speech"; name a team of teams: vision'),
      expect.stringContaining("monitoring.models[0].referenceWindow: got {\"durationHours\":72,\"offsetHours\":24}; the reference window reaches 96 hours back but Prometheus keeps 2 days of metrics"),
    ]);
  });

  it("lets its Prometheus scrape the gateway and the teams' model servers", async () => {
    const result = await capture(() => new MlPlatform("mlops", platform));
    const gatewayPolicy = named(result, "mlops-gateway-network").inputs["spec"] as { ingress: Array<{ from: unknown[] }> };
    expect(JSON.stringify(gatewayPolicy.ingress)).toContain("mlp-monitoring");
    const teamPolicies = result.resources.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && String((r.inputs["metadata"] as any)?.namespace) === "team-vision");
    expect(JSON.stringify(teamPolicies.map((p) => p.inputs))).toContain("mlp-monitoring");
  });

  it("on a cluster that runs its own Prometheus Operator creates only the rules, dashboards and monitors", async () => {
    const result = await capture(() => new MlPlatform("mlops", { ...platform, preinstalledOperators: [ClusterOperator.PrometheusOperator] }));
    expect(result.errors).toEqual([]);
    expect(result.resources.find((r) => r.name === "mlops-monitoring-chart")).toBeUndefined();
    expect(result.resources.find((r) => r.name === "mlops-monitoring-opencost")).toBeUndefined();
    expect(monitorsOf(result)).toEqual(expect.arrayContaining(["mlops-monitoring-rules-mlp-monitoring", "mlops-gateway-metrics", "mlops-model-vision-churn-rules"]));
    const rules = named(result, "mlops-monitoring-rules-mlp-monitoring").urn;
    expect(named(result, "mlops-gateway").dependsOn).not.toContain(rules);
  });

  it("fails when a monitor is asked for with neither monitoring nor the operator, and says how to get one", () => {
    const problems = checkMlPlatformArgs({ gateway: { ...platform.gateway!, serviceMonitor: true } });
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining('gateway.serviceMonitor: got true; monitors need the Prometheus Operator: enable monitoring (the platform then installs it), declare "prometheus-operator" preinstalled'),
    ]);
    expect(checkMlPlatformArgs({ ...platform, gateway: { ...platform.gateway!, serviceMonitor: true } })).toEqual([]);
  });

  it("reports the monitoring stack's own problems at monitoring", () => {
    expect(checkMlPlatformArgs({ monitoring: { retentionDays: 0 } }).map((p) => p.property)).toEqual(["monitoring.retentionDays"]);
  });
});
