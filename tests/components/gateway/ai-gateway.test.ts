import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { AiGateway, GatewayProvider, type AiGatewayArgs } from "@mlops-platform/components";
import { planAiGateway } from "@mlops-platform/components/internal";
import { buildArtifacts, isConnectionAllowed, type NetworkPolicyObject } from "@mlops-platform/components/testing";
import { evaluatePolicies } from "@mlops-platform/policies/rules";
import { capture } from "../../helpers.js";

const args: AiGatewayArgs = {
  namespace: "mlp-gateway",
  models: [
    { name: "chat-default", provider: GatewayProvider.OpenAi, model: "gpt-4.1-mini", apiKey: pulumi.secret("sk-openai-provider-key"), fallbacks: ["chat-local"] },
    { name: "chat-local", provider: GatewayProvider.Vllm, model: "llama", apiBase: "http://vllm.serving.svc:8000/v1", fallbacks: ["chat-default"] },
  ],
  replicas: 2,
  clientNamespaces: ["team-vision"],
  monitoringNamespace: "mlp-monitoring",
  masterKey: pulumi.secret("sk-master-key-value"),
};

async function render(gatewayArgs: AiGatewayArgs) {
  const result = await capture(() => {
    new AiGateway("gateway", gatewayArgs);
  });
  expect(result.errors).toEqual([]);
  return { result, artifacts: await buildArtifacts(result) };
}

describe("AiGateway", () => {
  it("renders valid objects that pass every policy at prod's levels", async () => {
    const { result, artifacts } = await render(args);
    expect(artifacts.problems).toEqual([]);
    const kinds = artifacts.manifests.map((m) => m.kind).sort();
    expect(kinds).toEqual(
      ["ConfigMap", "Deployment", "Deployment", "HorizontalPodAutoscaler", "NetworkPolicy", "NetworkPolicy", "PodDisruptionBudget", "Secret", "Service", "Service", "ServiceMonitor"].sort(),
    );
    const resources = result.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.plainInputs }));
    expect(evaluatePolicies(resources, { environment: "prod" })).toEqual([]);
  });

  it("keeps provider and master keys in the Secret, out of the ConfigMap and out of every written file", async () => {
    const { result, artifacts } = await render(args);
    const config = artifacts.manifests.find((m) => m.kind === "ConfigMap")!.object["data"] as Record<string, string>;
    expect(config["config.yaml"]).toContain("api_key: os.environ/PROVIDER_KEY_CHAT_DEFAULT");
    for (const text of artifacts.files.values()) {
      expect(text).not.toContain("sk-openai-provider-key");
      expect(text).not.toContain("sk-master-key-value");
    }
    const secret = result.resources.find((r) => r.type === "kubernetes:core/v1:Secret")!;
    expect(Object.keys(secret.plainInputs["stringData"] as object).sort()).toEqual(["LITELLM_MASTER_KEY", "PROVIDER_KEY_CHAT_DEFAULT", "REDIS_PASSWORD"]);
    const gateway = result.resources.find((r) => r.type === "mlops-platform:index:AiGateway")!;
    expect(gateway.outputs).toEqual({ url: "http://ai-gateway.mlp-gateway.svc:4000/v1", masterKey: "<secret>" });
  });

  it("admits team namespaces and monitoring only, and lets the gateway reach Valkey, DNS and HTTPS only", async () => {
    const { artifacts } = await render(args);
    const policies = artifacts.manifests.filter((m) => m.kind === "NetworkPolicy").map((m) => m.object as unknown as NetworkPolicyObject);
    const gateway = { namespace: "mlp-gateway", labels: { "app.kubernetes.io/name": "ai-gateway" } };
    const valkey = { namespace: "mlp-gateway", labels: { "app.kubernetes.io/name": "ai-gateway-valkey" } };
    const allowed = (from: object, to: object, port: number, protocol?: string) =>
      isConnectionAllowed(policies, {}, { from: from as never, to: to as never, port, ...(protocol ? { protocol } : {}) });
    expect(allowed({ namespace: "team-vision" }, gateway, 4000)).toBe(true);
    expect(allowed({ namespace: "mlp-monitoring" }, gateway, 4000)).toBe(true);
    expect(allowed({ namespace: "team-rogue" }, gateway, 4000)).toBe(false);
    expect(allowed(gateway, valkey, 6379)).toBe(true);
    expect(allowed({ namespace: "team-vision" }, valkey, 6379)).toBe(false);
    expect(allowed(gateway, { ip: "203.0.113.7" }, 443)).toBe(true);
    expect(allowed(gateway, { ip: "203.0.113.7" }, 80)).toBe(false);
    expect(allowed(gateway, { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } }, 53, "UDP")).toBe(true);
  });

  it("marks models without a fallback on its ConfigMap, for the gateway-fallbacks policy", async () => {
    const { artifacts } = await render({ ...args, models: [{ name: "solo", provider: GatewayProvider.OpenAi, model: "x", apiKey: "k" }] });
    const metadata = artifacts.manifests.find((m) => m.kind === "ConfigMap")!.object["metadata"] as { annotations: Record<string, string> };
    expect(metadata.annotations["mlops-platform.io/models-without-fallback"]).toBe("solo");
  });

  it("runs one replica without a disruption budget, and autoscales from the given replicas", async () => {
    const { artifacts } = await render({ ...args, replicas: 1 });
    expect(artifacts.manifests.some((m) => m.kind === "PodDisruptionBudget")).toBe(false);
    const hpa = artifacts.manifests.find((m) => m.kind === "HorizontalPodAutoscaler")!.object["spec"] as Record<string, number>;
    expect([hpa["minReplicas"], hpa["maxReplicas"]]).toEqual([1, 3]);
  });

  it("rolls the gateway's and Valkey's pods when the Secret they read is written again, and hides nothing", async () => {
    // The engine reports the Secret's resourceVersion; under mocks, a stand-in does.
    const result = await capture(
      () => {
        new AiGateway("gateway", args);
      },
      {},
      [],
      (resource) => (resource.type === "kubernetes:core/v1:Secret" ? { metadata: { ...(resource.inputs["metadata"] as object), resourceVersion: "4711" } } : {}),
    );
    expect(result.errors).toEqual([]);
    for (const name of ["gateway-deployment", "gateway-valkey"]) {
      const deployment = result.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.name === name)!;
      const spec = deployment.inputs["spec"] as { template: { metadata: { annotations: Record<string, string> } } };
      // Not a secret: the whole spec stays readable in previews and renders.
      expect(spec.template.metadata.annotations["mlops-platform.io/secret-version"]).toBe("4711");
    }
  });

  it.each([
    ["no models", { models: [] }, "models: got []; list at least one model"],
    ["a fallback to an unknown model", { models: [{ name: "a", provider: "openai", model: "x", fallbacks: ["b"] }] }, 'models[0].fallbacks[0]: got "b"; use one of the gateway\'s models: a'],
    ["an unpinned image", { image: "ghcr.io/berriai/litellm:latest" }, 'image: got "ghcr.io/berriai/litellm:latest"'],
    ["zero replicas", { replicas: 0 }, "replicas: got 0"],
  ])("fails with %s", (_name, extra, message) => {
    const plan = () => planAiGateway("gateway", { ...args, ...extra } as AiGatewayArgs);
    expect(plan).toThrow(pulumi.InputPropertyError);
    expect(plan).toThrow(message);
  });
});
