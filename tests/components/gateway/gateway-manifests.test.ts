import { describe, expect, it } from "vitest";
import { isConnectionAllowed, type NetworkPolicyObject } from "@mlops-platform/components/testing";
import {
  gatewayAutoscaler,
  gatewayConfigMap,
  gatewayConfigYaml,
  gatewayDeployment,
  gatewayDisruptionBudget,
  gatewayEnvSecret,
  gatewayNetworkPolicy,
  gatewayService,
  gatewayServiceMonitor,
  valkeyDeployment,
  valkeyNetworkPolicy,
  valkeyService,
  type AiGatewayPlan,
} from "@mlops-platform/components/internal";
import { GatewayProvider } from "@mlops-platform/components";

const base: AiGatewayPlan = {
  namespace: "mlp-gateway",
  models: [
    { name: "chat-default", provider: GatewayProvider.OpenAi, model: "gpt-4.1-mini", apiKeyEnv: "PROVIDER_KEY_CHAT_DEFAULT", fallbacks: ["chat-local"] },
    { name: "chat-local", provider: GatewayProvider.Vllm, model: "llama", apiBase: "http://vllm.serving.svc:8000/v1", fallbacks: ["chat-default"] },
  ],
  prompts: [],
  cache: { enabled: true, ttlSeconds: 600 },
  database: false,
  replicas: 1,
  clientNamespaces: ["team-vision", "team-nlp"],
  serviceMonitor: true,
  image: "ghcr.io/berriai/litellm:v1.103.0",
};
const plan = (overrides: Partial<AiGatewayPlan> = {}): AiGatewayPlan => ({ ...base, ...overrides });

const GATEWAY_POD = { namespace: "mlp-gateway", labels: { "app.kubernetes.io/name": "ai-gateway" } };

describe("gateway manifests", () => {
  it.each([
    [1, 3, undefined],
    [2, 6, 1],
    [3, 9, 2],
  ])("with %i replicas, autoscales up to %i and keeps %s available through a drain", (replicas, maxReplicas, minAvailable) => {
    const p = plan({ replicas });
    // The autoscaler owns the replica count: with server-side apply a count here would fight it on every update.
    expect(gatewayDeployment(p, "").spec?.replicas).toBeUndefined();
    const hpa = gatewayAutoscaler(p).spec!;
    expect([hpa.minReplicas, hpa.maxReplicas]).toEqual([replicas, maxReplicas]);
    expect(hpa.scaleTargetRef.name).toBe(gatewayDeployment(p, "").metadata?.name);
    // A single replica gets no budget: one with minAvailable 0 guards nothing, minAvailable 1 blocks every drain.
    expect(gatewayDisruptionBudget(p)?.spec?.minAvailable).toBe(minAvailable);
  });

  it.each([
    ["a listed team", { clientNamespaces: ["team-vision", "team-nlp"] }, "team-nlp", 4000, true],
    ["an unlisted team", { clientNamespaces: ["team-vision"] }, "team-nlp", 4000, false],
    ["monitoring, when named", { monitoringNamespace: "mlp-monitoring" }, "mlp-monitoring", 4000, true],
    ["monitoring, when not named", {}, "mlp-monitoring", 4000, false],
    ["a listed team on another port", {}, "team-vision", 8080, false],
    // An ingress rule with an empty `from` would admit every pod in the cluster.
    ["any pod, when the gateway has no client namespaces", { clientNamespaces: [] }, "default", 4000, false],
  ])("the gateway admits only team namespaces and monitoring on its port: %s", (_case, overrides, from, port, allowed) => {
    const p = plan(overrides);
    const policies = [gatewayNetworkPolicy(p), valkeyNetworkPolicy(p)] as unknown as NetworkPolicyObject[];
    expect(isConnectionAllowed(policies, {}, { from: { namespace: from }, to: GATEWAY_POD, port })).toBe(allowed);
  });

  it.each([
    ["an in-cluster model server on the port its apiBase names", { namespace: "serving", labels: { app: "vllm" } }, 8000, true],
    ["the same server on another port", { namespace: "serving", labels: { app: "vllm" } }, 9000, false],
    ["a provider over HTTPS", { namespace: "internet", labels: {} }, 443, true],
    ["the database", { namespace: "mlp-gateway", labels: { "cnpg.io/cluster": "gateway-db" } }, 5432, true],
  ])("the gateway may call out to %s", (_case, to, port, allowed) => {
    const policies = [gatewayNetworkPolicy(plan()), valkeyNetworkPolicy(plan())] as unknown as NetworkPolicyObject[];
    expect(isConnectionAllowed(policies, {}, { from: GATEWAY_POD, to, port })).toBe(allowed);
  });

  it("connects the gateway to Valkey, its keys and its config under the names those objects carry", () => {
    const p = plan({ namespace: "ai" });
    const config = gatewayConfigYaml(p);
    const gateway = gatewayDeployment(p, config).spec!.template.spec!;
    const valkey = valkeyDeployment(p).spec!.template.spec!;
    const secretName = gatewayEnvSecret(p).metadata?.name;
    const env = Object.fromEntries((gateway.containers[0]!.env ?? []).map((e) => [e.name, e.value]));
    const valkeyPort = valkeyService(p).spec!.ports![0]!;
    expect(env["REDIS_HOST"]).toBe(`${valkeyService(p).metadata?.name}.ai.svc`);
    expect(env["REDIS_PORT"]).toBe(String(valkeyPort.port));
    expect(valkey.containers[0]!.ports![0]!.containerPort).toBe(valkeyPort.targetPort);
    expect(gateway.containers[0]!.envFrom).toEqual([{ secretRef: { name: secretName } }]);
    expect(valkey.containers[0]!.env![0]!.valueFrom?.secretKeyRef?.name).toBe(secretName);
    expect(gateway.volumes?.find((v) => v.name === "config")?.configMap?.name).toBe(gatewayConfigMap(p, config).metadata?.name);
  });

  it("selects each Deployment's pods from its Service, budget and policy, and nothing of the other", () => {
    const p = plan({ replicas: 2 });
    const podLabels = (labels: Record<string, string> | undefined) => labels ?? {};
    const gatewayPods = podLabels(gatewayDeployment(p, "").spec!.template.metadata?.labels);
    const valkeyPods = podLabels(valkeyDeployment(p).spec!.template.metadata?.labels);
    const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
      Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);
    for (const selector of [gatewayService(p).spec?.selector, gatewayDisruptionBudget(p)?.spec?.selector?.matchLabels, gatewayNetworkPolicy(p).spec?.podSelector?.matchLabels]) {
      expect([selects(selector, gatewayPods), selects(selector, valkeyPods)]).toEqual([true, false]);
    }
    for (const selector of [valkeyService(p).spec?.selector, valkeyNetworkPolicy(p).spec?.podSelector?.matchLabels]) {
      expect([selects(selector, valkeyPods), selects(selector, gatewayPods)]).toEqual([true, false]);
    }
  });

  it("rolls the gateway's pods when its config changes, and only then", () => {
    const digest = (config: string) => gatewayDeployment(base, config).spec!.template.metadata?.annotations?.["mlops-platform.io/config-sha"];
    const config = gatewayConfigYaml(base);
    expect(digest(config)).toBe(digest(gatewayConfigYaml(plan())));
    expect(digest(config)).not.toBe(digest(gatewayConfigYaml(plan({ cache: { enabled: true, ttlSeconds: 60 } }))));
  });

  it("names provider keys in the config only by their environment variable, and builds its Secret without values", () => {
    const config = gatewayConfigYaml(plan({ database: true }));
    expect(config).toContain("api_key: os.environ/PROVIDER_KEY_CHAT_DEFAULT");
    expect(config).toContain("database_url: os.environ/DATABASE_URL");
    const secret = gatewayEnvSecret(base);
    expect([secret.data, secret.stringData]).toEqual([undefined, undefined]);
  });

  it.each([
    ["every model has a fallback", base.models, ""],
    ["two have none", [{ name: "a", provider: GatewayProvider.OpenAi, model: "x" }, { name: "b", provider: GatewayProvider.OpenAi, model: "y", fallbacks: [] }], "a,b"],
  ])("lists models without a fallback on the ConfigMap for the policy pack when %s", (_case, models, listed) => {
    const p = plan({ models });
    expect(gatewayConfigMap(p, gatewayConfigYaml(p)).metadata?.annotations?.["mlops-platform.io/models-without-fallback"]).toBe(listed);
  });

  it.each([
    [true, "http"],
    [false, undefined],
  ])("with serviceMonitor %s, Prometheus scrapes the gateway Service's port %s", (serviceMonitor, port) => {
    const monitor = gatewayServiceMonitor(plan({ serviceMonitor }));
    expect(monitor?.spec.endpoints?.[0]?.port).toBe(port);
    if (!monitor) return;
    const service = gatewayService(base);
    expect(Object.entries(monitor.spec.selector.matchLabels ?? {}).every(([key, value]) => service.metadata?.labels?.[key] === value)).toBe(true);
    expect(service.spec?.ports?.map((p) => p.name)).toContain(port);
  });
});
