import { describe, expect, it } from "vitest";
import { GatewayProvider, GpuCloud, GpuType, MlPlatform } from "@mlops-platform/components";
import { capture, one } from "../../helpers.js";

describe("MlPlatform under mocks", () => {
  it("composes ClusterBase beneath itself and exposes its outputs", async () => {
    const result = await capture(() => {
      new MlPlatform("mlops", { clusterBase: { priorityClasses: { prefix: "acme" } } });
    });
    expect(result.errors).toEqual([]);
    const platform = one(result, "mlops-platform:index:MlPlatform", "mlops");
    const base = one(result, "mlops-platform:index:ClusterBase", "mlops-cluster");
    expect(base.parent).toBe(platform.urn);
    expect(platform.outputs["priorityClassNames"]).toEqual({
      serving: "acme-serving",
      notebooks: "acme-notebooks",
      training: "acme-training",
      placeholder: "acme-placeholder",
    });
    expect(platform.outputs["namespaces"]).toEqual(["cert-manager", "kubeflow", "kubeflow-system"]);
  });

  it("uses the platform type tokens, so other languages can consume the components", async () => {
    const result = await capture(() => {
      new MlPlatform("mlops", {});
    });
    const own = result.resources.filter((r) => !r.custom && !r.remote && r.type !== "pulumi:pulumi:Stack");
    expect(own.map((r) => r.type).sort()).toEqual([
      "mlops-platform:index:ClusterBase",
      "mlops-platform:index:MlPlatform",
      "mlops-platform:index:NotebookPlatform",
      "mlops-platform:index:TrainingPlatform",
    ]);
  });

  it("passes the caller's provider down to every Kubernetes object", async () => {
    const k8s = await import("@pulumi/kubernetes");
    const result = await capture(() => {
      const provider = new k8s.Provider("target", { context: "prod" });
      new MlPlatform("mlops", {}, { providers: { kubernetes: provider } });
    });
    const objects = result.resources.filter((r) => r.type.startsWith("kubernetes:"));
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) expect(object.provider).toMatch(/pulumi:providers:kubernetes::target::/);
  });
});

describe("MlPlatform with GPU pools", () => {
  const aws = { nodeRole: "r", discoveryTag: "t", amiAlias: "al2023@v20250915" };

  it("adds the operator's privileged namespace, the warm-capacity namespace and one GpuNodePool per pool", async () => {
    const result = await capture(() => {
      new MlPlatform("mlops", {
        gpu: {
          cloud: GpuCloud.Aws,
          aws,
          pools: [
            { name: "l4", gpu: GpuType.NvidiaL4, maxGpus: 4, timeSlicingReplicas: 2 },
            { name: "a100", gpu: GpuType.NvidiaA100, gpusPerNode: 8, minNodes: 1, maxGpus: 8 },
          ],
        },
      });
    });
    expect(result.errors).toEqual([]);
    const platform = one(result, "mlops-platform:index:MlPlatform", "mlops");
    expect(platform.outputs["namespaces"]).toEqual(["cert-manager", "kubeflow", "kubeflow-system", "gpu-operator", "mlp-gpu"]);
    const operatorNs = one(result, "kubernetes:core/v1:Namespace", "mlops-cluster-ns-gpu-operator");
    expect((operatorNs.inputs["metadata"] as { labels: Record<string, string> }).labels["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    expect(result.resources.filter((r) => r.type === "mlops-platform:index:GpuNodePool").map((r) => r.name).sort()).toEqual(["mlops-gpu-a100", "mlops-gpu-l4"]);
    expect(platform.outputs["gpuPools"]).toEqual({
      l4: { gpu: "nvidia-l4", maxGpus: 4, nodeSelector: { "mlops-platform.io/gpu-pool": "l4" }, tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }] },
      a100: { gpu: "nvidia-a100", maxGpus: 8, nodeSelector: { "mlops-platform.io/gpu-pool": "a100" }, tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }] },
    });
  });

  it("installs no GPU Operator and no GPU namespaces without pools", async () => {
    const result = await capture(() => {
      new MlPlatform("mlops", { gpu: { cloud: GpuCloud.Aws, pools: [] } });
    });
    expect(result.resources.filter((r) => r.type.startsWith("mlops-platform:index:Gpu"))).toEqual([]);
    expect(one(result, "mlops-platform:index:MlPlatform", "mlops").outputs["namespaces"]).toEqual(["cert-manager", "kubeflow", "kubeflow-system"]);
  });
});

describe("MlPlatform with the AI gateway", () => {
  const gateway = {
    models: [{ name: "chat", provider: GatewayProvider.OpenAi, model: "gpt-4.1-mini", apiKey: "sk-provider", fallbacks: [] }],
    masterKey: "sk-master-for-test",
    database: { instances: 1 },
  };
  const teams = [{ name: "vision", owners: ["leads"], quota: { cpu: 4, memoryGiB: 8, storageGiB: 10 } }];

  it("gives every team a gateway team and its key in its namespace when Pulumi can reach the admin API", async () => {
    const result = await capture(() => {
      new MlPlatform("mlops", {
        teams,
        notebooks: { enabled: false },
        training: { enabled: false },
        gateway: { ...gateway, adminUrl: "https://gateway-admin.example.com", teams: { vision: { monthlyBudgetUsd: 300, rpmLimit: 100 } } },
      });
    });
    expect(result.errors).toEqual([]);
    const team = result.resources.find((r) => r.name === "mlops-gateway-team-vision")!;
    expect(team.type).toBe("pulumi-nodejs:dynamic:GatewayTeam");
    expect(team.plainInputs).toMatchObject({ teamAlias: "vision", models: ["chat"], maxBudgetUsd: 300, budgetDuration: "30d", rpmLimit: 100 });
    expect(team.inputs["masterKey"]).toBe("<secret>");
    const secret = result.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && (r.inputs["metadata"] as { namespace?: string }).namespace === "team-vision")!;
    expect((secret.inputs["metadata"] as { name: string }).name).toBe("ai-gateway-key");
    expect(secret.inputs["stringData"]).toBe("<secret>");
    const namespace = one(result, "kubernetes:core/v1:Namespace", "mlops-team-vision-namespace");
    expect((namespace.inputs["metadata"] as { annotations: Record<string, string> }).annotations).toEqual({ "mlops-platform.io/gateway-monthly-budget-usd": "300" });
  });

  it("without an admin URL, reconciles every team's gateway team and key in the cluster, after the gateway and the teams", async () => {
    const result = await capture(() => {
      new MlPlatform("mlops", {
        teams: [...teams, { name: "nlp", owners: ["nlp-leads"], quota: { cpu: 4, memoryGiB: 8, storageGiB: 10 } }],
        notebooks: { enabled: false },
        training: { enabled: false },
        gateway: { ...gateway, image: "ghcr.io/berriai/litellm:v1.103.0", teams: { vision: { monthlyBudgetUsd: 300, rpmLimit: 100 } } },
      });
    });
    expect(result.errors).toEqual([]);
    expect(result.resources.filter((r) => r.type === "pulumi-nodejs:dynamic:GatewayTeam")).toEqual([]);
    const reconciler = one(result, "mlops-platform:index:GatewayTeamReconciler", "mlops-gateway-teams");
    // A component's dependencies reach the engine as its children's.
    expect(reconciler.dependsOn).toEqual(
      expect.arrayContaining([one(result, "kubernetes:apps/v1:Deployment", "mlops-gateway-deployment").urn, one(result, "kubernetes:core/v1:Namespace", "mlops-team-nlp-namespace").urn]),
    );
    const desired = JSON.parse((one(result, "kubernetes:core/v1:ConfigMap", "mlops-gateway-teams-teams").inputs["data"] as Record<string, string>)["teams.json"]!);
    expect(desired.teams).toEqual([
      { name: "vision", namespace: "team-vision", keyAlias: "mlops-platform/vision", models: ["chat"], maxBudgetUsd: 300, budgetDuration: "30d", rpmLimit: 100 },
      { name: "nlp", namespace: "team-nlp", keyAlias: "mlops-platform/nlp", models: ["chat"] },
    ]);
    // The reconciler runs in the gateway's image.
    const job = one(result, "kubernetes:batch/v1:Job", "mlops-gateway-teams-run");
    expect(JSON.stringify(job.inputs)).toContain('"image":"ghcr.io/berriai/litellm:v1.103.0"');
  });

  it("manages no gateway teams without a database: keys need one", async () => {
    const { database: _database, ...withoutDatabase } = gateway;
    const result = await capture(() => {
      new MlPlatform("mlops", { teams, notebooks: { enabled: false }, training: { enabled: false }, gateway: withoutDatabase });
    });
    expect(result.errors).toEqual([]);
    expect(result.resources.filter((r) => r.type === "pulumi-nodejs:dynamic:GatewayTeam" || r.type === "mlops-platform:index:GatewayTeamReconciler")).toEqual([]);
  });

  it("points team namespaces at the gateway", async () => {
    const result = await capture(() => {
      new MlPlatform("mlops", { teams, notebooks: { enabled: false }, training: { enabled: false }, gateway });
    });
    expect(one(result, "mlops-platform:index:MlPlatform", "mlops").outputs["gatewayUrl"]).toBe("http://ai-gateway.mlp-gateway.svc:4000/v1");
    const egress = one(result, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "mlops-team-vision-allow-platform-services");
    expect(JSON.stringify(egress.inputs)).toContain("mlp-gateway");
  });
});
