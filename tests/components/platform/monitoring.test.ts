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
  monitoring: { retentionDays: 30, gpuMonthlyBudgetUsd: 5000 },
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
      expect.arrayContaining(["mlops-gateway-metrics", "mlops-monitoring-rules-mlp-gpus", "mlops-monitoring-rules-mlp-gateway", "mlops-monitoring-rules-mlp-databases", "mlops-monitoring-models"]),
    );
    // A component's dependencies reach Pulumi as the resources inside it: the stack's chart among them.
    const chart = named(result, "mlops-monitoring-chart").urn;
    for (const child of ["mlops-gateway", "mlops-gateway-db", "mlops-gpu-operator"]) expect(named(result, child).dependsOn).toContain(chart);
    expect((named(result, "mlops-gpu-operator-chart").inputs["values"] as any).dcgmExporter.serviceMonitor.enabled).toBe(true);
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
    expect(monitorsOf(result)).toEqual(expect.arrayContaining(["mlops-monitoring-rules-mlp-models", "mlops-gateway-metrics"]));
    const rules = named(result, "mlops-monitoring-rules-mlp-models").urn;
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
