import { describe, expect, it } from "vitest";
import {
  checkMlPlatformArgs,
  ClusterOperator,
  GatewayProvider,
  GpuCloud,
  GpuType,
  MlPlatform,
  type MlPlatformArgs,
} from "@mlops-platform/components";
import { capture, one } from "../../helpers.js";

const team = { name: "vision", owners: ["vision-leads"], quota: { cpu: 8, memoryGiB: 32, gpus: 2, storageGiB: 100 } };
const everything: MlPlatformArgs = {
  teams: [team],
  training: { kueueEnabled: true },
  gateway: {
    models: [{ name: "chat", provider: GatewayProvider.Ollama, model: "llama3.2:3b", apiBase: "http://ollama:11434" }],
    database: { instances: 1, backup: { destinationPath: "s3://backups/gateway", credentialsSecretName: "store-credentials" } },
  },
};
const ALL_OPERATORS = Object.values(ClusterOperator);

const releasesOf = (result: Awaited<ReturnType<typeof capture>>) =>
  result.resources.filter((r) => r.remote || r.type === "kubernetes:helm.sh/v3:Release").map((r) => r.name).sort();
/** `<apiVersion>/<kind>` of every custom resource (a group of an operator, not of Kubernetes itself). */
const kindsOf = (result: Awaited<ReturnType<typeof capture>>) =>
  [
    ...new Set(
      result.resources
        .filter((r) => r.custom && r.type.startsWith("kubernetes:") && typeof r.inputs["apiVersion"] === "string")
        .map((r) => `${String(r.inputs["apiVersion"])}/${String(r.inputs["kind"])}`)
        .filter((kind) => /^[a-z0-9.-]+\.[a-z]+\//.test(kind) && !/(^|\.)k8s\.io\//.test(kind)),
    ),
  ].sort();

describe("operators the cluster already runs", () => {
  it("installs every operator it uses when none is declared preinstalled", async () => {
    const result = await capture(() => new MlPlatform("mlops", everything));
    expect(result.errors).toEqual([]);
    expect(releasesOf(result)).toEqual([
      "mlops-cluster-cert-manager",
      "mlops-cnpg-barman-cloud",
      "mlops-cnpg-chart",
      "mlops-notebooks-controller",
      "mlops-notebooks-poddefaults-webhook",
      "mlops-training-kueue",
      "mlops-training-trainer",
    ]);
  });

  it("installs none of the declared operators, creates its own objects on top, and no operator namespaces", async () => {
    const result = await capture(() => new MlPlatform("mlops", { ...everything, preinstalledOperators: ALL_OPERATORS }));
    expect(result.errors).toEqual([]);
    expect(releasesOf(result)).toEqual([]);
    // The platform's own custom resources are still there: queues, runtimes, PodDefaults, the database.
    expect(kindsOf(result)).toEqual([
      "barmancloud.cnpg.io/v1/ObjectStore",
      "kubeflow.org/v1alpha1/PodDefault",
      "kueue.x-k8s.io/v1beta2/ClusterQueue",
      "kueue.x-k8s.io/v1beta2/LocalQueue",
      "kueue.x-k8s.io/v1beta2/ResourceFlavor",
      "monitoring.coreos.com/v1/PodMonitor",
      "monitoring.coreos.com/v1/ServiceMonitor",
      "postgresql.cnpg.io/v1/Cluster",
      "postgresql.cnpg.io/v1/ScheduledBackup",
      "trainer.kubeflow.org/v1alpha1/ClusterTrainingRuntime",
    ]);
    const platform = one(result, "mlops-platform:index:MlPlatform", "mlops");
    expect(platform.outputs["namespaces"]).toEqual(["mlp-gateway"]);
    expect(platform.outputs["certManagerNamespace"]).toBeUndefined();
  });

  it("creates no ServiceMonitor or PodMonitor unless the Prometheus Operator is declared preinstalled", async () => {
    const without = await capture(() => new MlPlatform("mlops", everything));
    expect(kindsOf(without).filter((kind) => kind.startsWith("monitoring.coreos.com"))).toEqual([]);
    const withOperator = await capture(() => new MlPlatform("mlops", { ...everything, preinstalledOperators: [ClusterOperator.PrometheusOperator] }));
    const monitors = withOperator.resources.filter((r) => r.custom && r.inputs["apiVersion"] === "monitoring.coreos.com/v1");
    expect(monitors.map((r) => r.name).sort()).toEqual(["mlops-gateway-db-pod-monitor", "mlops-gateway-metrics", "mlops-notebooks-controller-metrics"]);
  });

  it("installs cert-manager only when something it installs needs certificates", async () => {
    const needsNothing = await capture(() =>
      new MlPlatform("mlops", { notebooks: { enabled: false }, preinstalledOperators: [ClusterOperator.KubeflowTrainer] }),
    );
    expect(releasesOf(needsNothing)).toEqual([]);
    const trainer = await capture(() => new MlPlatform("mlops", { notebooks: { enabled: false } }));
    expect(releasesOf(trainer)).toEqual(["mlops-cluster-cert-manager", "mlops-training-trainer"]);
  });

  it("fails when a ServiceMonitor is asked for without the Prometheus Operator", () => {
    const [problem, ...more] = checkMlPlatformArgs({ ...everything, gateway: { ...everything.gateway!, serviceMonitor: true } });
    expect(more).toEqual([]);
    expect(problem?.property).toBe("gateway.serviceMonitor");
    expect(problem?.message).toContain('declare "prometheus-operator" preinstalled');
  });

  it("fails when GPU sharing is asked of a GPU Operator the cluster runs", () => {
    const [problem] = checkMlPlatformArgs({
      gpu: { cloud: GpuCloud.Aws, aws: { nodeRole: "r", discoveryTag: "t", amiAlias: "al2023@v20250915" }, pools: [{ name: "l4", gpu: GpuType.NvidiaL4, maxGpus: 4, timeSlicingReplicas: 4 }] },
      preinstalledOperators: [ClusterOperator.NvidiaGpuOperator],
    });
    expect(problem?.property).toBe("gpu.pools[0].timeSlicingReplicas");
  });

  it("fails when backups need the barman-cloud plugin next to a CloudNativePG the cluster runs", () => {
    const [problem] = checkMlPlatformArgs({ ...everything, preinstalledOperators: [ClusterOperator.CloudNativePg] });
    expect(problem?.property).toBe("gateway.database.backup");
    expect(checkMlPlatformArgs({ ...everything, preinstalledOperators: [ClusterOperator.CloudNativePg, ClusterOperator.BarmanCloudPlugin] })).toEqual([]);
  });

  it("raises the same problem from the constructor, before creating anything", async () => {
    const result = await capture(() => new MlPlatform("mlops", { ...everything, preinstalledOperators: [ClusterOperator.CloudNativePg] }));
    expect(result.errors.map((e) => e.message).join("\n")).toContain('mlops-platform:index:MlPlatform "mlops": gateway.database.backup');
    expect(result.resources.filter((r) => r.type.startsWith("kubernetes:"))).toEqual([]);
  });
});

describe("secrets from the caller instead of generated ones", () => {
  it("generates none when the caller supplies the master key, Valkey's and the database's passwords", async () => {
    const result = await capture(() =>
      new MlPlatform("mlops", {
        ...everything,
        gateway: {
          ...everything.gateway!,
          masterKey: "sk-from-vault",
          valkeyPassword: "valkey-from-vault",
          database: { ...everything.gateway!.database!, password: "p@ss/word" },
        },
      }),
    );
    expect(result.errors).toEqual([]);
    expect(result.resources.filter((r) => r.type.startsWith("random:"))).toEqual([]);
    const env = one(result, "kubernetes:core/v1:Secret", "mlops-gateway-env");
    const data = env.plainInputs["stringData"] as Record<string, string>;
    expect(data["LITELLM_MASTER_KEY"]).toBe("sk-from-vault");
    expect(data["REDIS_PASSWORD"]).toBe("valkey-from-vault");
    // A supplied password may hold characters a URI reserves: the connection URI percent-encodes them.
    expect(data["DATABASE_URL"]).toBe("postgresql://litellm:p%40ss%2Fword@gateway-db-rw.mlp-gateway.svc:5432/litellm");
    expect(JSON.stringify(env.inputs)).not.toContain("from-vault");
  });

  it("generates each one with @pulumi/random when none is supplied", async () => {
    const result = await capture(() => new MlPlatform("mlops", everything));
    expect(result.resources.filter((r) => r.type === "random:index/randomPassword:RandomPassword").map((r) => r.name).sort()).toEqual([
      "mlops-gateway-db-password",
      "mlops-gateway-master-key",
      "mlops-gateway-valkey-password",
    ]);
  });
});
