/**
 * Pure builders of the objects behind an AiGateway: the LiteLLM Deployment with its config, Valkey, the
 * Services, autoscaler, disruption budget, NetworkPolicies and ServiceMonitor. Each is a function of the
 * gateway's plan alone; no secret value passes through here (the component fills the Secret's
 * `stringData`). Typed against `kubernetes-models` so a misspelled field fails to compile.
 */
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyIngressRule } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyIngressRule";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { ISecret } from "kubernetes-models/v1/Secret";
import type { ISecurityContext } from "kubernetes-models/v1/SecurityContext";
import type { IService } from "kubernetes-models/v1/Service";
import { stringify } from "yaml";
import { contentDigest, DNS_EGRESS_RULE, platformLabels, RESTRICTED_CONTAINER_SECURITY } from "../common/kubernetes.js";
import type { AiGatewayPlan } from "./ai-gateway.js";
import { GATEWAY_ENV, litellmConfig } from "./litellm-config.js";

/** Valkey (Redis-compatible) for the response cache and rate-limit counters shared by the replicas. */
export const VALKEY_IMAGE = "valkey/valkey:8.1.10-alpine";
export const GATEWAY_PORT = 4000;
/** Annotation on the gateway's ConfigMap listing models without a fallback; the policy pack reads it. */
export const MODELS_WITHOUT_FALLBACK_ANNOTATION = "mlops-platform.io/models-without-fallback";
const VALKEY_PORT = 6379;

const GATEWAY = "ai-gateway";
const VALKEY = "ai-gateway-valkey";
const ENV_SECRET = "ai-gateway-env";
const CONFIG_MAP = "ai-gateway-config";
const GATEWAY_SELECTOR = { "app.kubernetes.io/name": GATEWAY };
const VALKEY_SELECTOR = { "app.kubernetes.io/name": VALKEY };
/** What the team reconciler refers to: the gateway's Service (and Deployment), its Secret, its pods' labels. */
export { ENV_SECRET as GATEWAY_ENV_SECRET, GATEWAY as GATEWAY_SERVICE, GATEWAY_SELECTOR };
// The shared constant is declared with Pulumi's input types; its values are plain.
const RESTRICTED = RESTRICTED_CONTAINER_SECURITY as ISecurityContext;

function labels(): Record<string, string> {
  return platformLabels("gateway");
}

function meta(plan: AiGatewayPlan, name: string) {
  return { name, namespace: plan.namespace, labels: labels() };
}

function fromNamespaces(names: string[]): INetworkPolicyIngressRule {
  return {
    from: names.map((ns) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } })),
    ports: [{ protocol: "TCP", port: GATEWAY_PORT }],
  };
}

/** Ports the gateway calls out on: PostgreSQL, HTTPS, and each model endpoint's own (`http://ollama:11434`). */
export function egressPorts(plan: AiGatewayPlan): number[] {
  const ports = new Set([5432, 443]);
  for (const model of plan.models) {
    // Stack config admits only http(s) URLs here; anything else opens no port.
    if (model.apiBase === undefined || !URL.canParse(model.apiBase)) continue;
    const url = new URL(model.apiBase);
    ports.add(url.port !== "" ? Number(url.port) : url.protocol === "http:" ? 80 : 443);
  }
  return [...ports];
}

/** LiteLLM's config.yaml: provider keys appear only as the names of the environment variables holding them. */
export function gatewayConfigYaml(plan: AiGatewayPlan): string {
  return stringify(
    litellmConfig({ models: plan.models, cache: plan.cache, prompts: plan.prompts, database: plan.database, numRetries: 1 }),
    // No folding: templates and URLs stay on their lines, as operators wrote them.
    { lineWidth: 0 },
  );
}

/** The gateway's config, annotated with the models that have no fallback. */
export function gatewayConfigMap(plan: AiGatewayPlan, config: string): IConfigMap {
  const withoutFallback = plan.models.filter((model) => (model.fallbacks ?? []).length === 0).map((model) => model.name);
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { ...meta(plan, CONFIG_MAP), annotations: { [MODELS_WITHOUT_FALLBACK_ANNOTATION]: withoutFallback.join(",") } },
    data: { "config.yaml": config },
  };
}

/** The Secret the gateway and Valkey read their keys from, without values: the component sets `stringData`. */
export function gatewayEnvSecret(plan: AiGatewayPlan): ISecret {
  return { apiVersion: "v1", kind: "Secret", metadata: meta(plan, ENV_SECRET) };
}

export function valkeyDeployment(plan: AiGatewayPlan): IDeployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(plan, VALKEY),
    spec: {
      replicas: 1,
      selector: { matchLabels: VALKEY_SELECTOR },
      template: {
        metadata: { labels: { ...labels(), ...VALKEY_SELECTOR } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsUser: 999, runAsGroup: 999, fsGroup: 999 },
          containers: [
            {
              name: "valkey",
              image: VALKEY_IMAGE,
              // A cache and rate-limit counters: nothing worth persisting, so no disk, and memory bounded.
              command: ["sh", "-c", 'exec valkey-server --requirepass "$REDIS_PASSWORD" --save "" --appendonly no --maxmemory 200mb --maxmemory-policy allkeys-lru'],
              env: [{ name: GATEWAY_ENV.redisPassword, valueFrom: { secretKeyRef: { name: ENV_SECRET, key: GATEWAY_ENV.redisPassword } } }],
              ports: [{ name: "redis", containerPort: VALKEY_PORT }],
              readinessProbe: { tcpSocket: { port: VALKEY_PORT } },
              resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
              securityContext: RESTRICTED,
              volumeMounts: [{ name: "data", mountPath: "/data" }],
            },
          ],
          volumes: [{ name: "data", emptyDir: {} }],
        },
      },
    },
  };
}

export function valkeyService(plan: AiGatewayPlan): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(plan, VALKEY),
    spec: { selector: VALKEY_SELECTOR, ports: [{ name: "redis", port: VALKEY_PORT, targetPort: VALKEY_PORT }] },
  };
}

/** The LiteLLM proxy; `config` is the ConfigMap's config.yaml, whose digest rolls the pods when it changes. */
export function gatewayDeployment(plan: AiGatewayPlan, config: string): IDeployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(plan, GATEWAY),
    spec: {
      // No replicas: the autoscaler owns them (at least plan.replicas). With server-side apply, a replica
      // count here would be reapplied on every update and fight the autoscaler.
      selector: { matchLabels: GATEWAY_SELECTOR },
      template: {
        metadata: { labels: { ...labels(), ...GATEWAY_SELECTOR }, annotations: { "mlops-platform.io/config-sha": contentDigest(config) } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsUser: 1000, runAsGroup: 1000 },
          containers: [
            {
              name: "litellm",
              image: plan.image,
              args: ["--config", "/etc/litellm/config.yaml", "--port", String(GATEWAY_PORT), "--num_workers", "2"],
              envFrom: [{ secretRef: { name: ENV_SECRET } }],
              env: [
                { name: GATEWAY_ENV.redisHost, value: `${VALKEY}.${plan.namespace}.svc` },
                { name: GATEWAY_ENV.redisPort, value: String(VALKEY_PORT) },
                // Use the model cost map in the image instead of fetching one at start-up.
                { name: "LITELLM_LOCAL_MODEL_COST_MAP", value: "True" },
                { name: "HOME", value: "/tmp" },
              ],
              ports: [{ name: "http", containerPort: GATEWAY_PORT }],
              readinessProbe: { httpGet: { path: "/health/readiness", port: GATEWAY_PORT }, periodSeconds: 10 },
              livenessProbe: { httpGet: { path: "/health/liveliness", port: GATEWAY_PORT }, initialDelaySeconds: 30, periodSeconds: 20 },
              resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } },
              securityContext: RESTRICTED,
              volumeMounts: [
                { name: "config", mountPath: "/etc/litellm", readOnly: true },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          volumes: [
            { name: "config", configMap: { name: CONFIG_MAP } },
            { name: "tmp", emptyDir: {} },
          ],
        },
      },
    },
  };
}

export function gatewayService(plan: AiGatewayPlan): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(plan, GATEWAY),
    spec: { selector: GATEWAY_SELECTOR, ports: [{ name: "http", port: GATEWAY_PORT, targetPort: GATEWAY_PORT }] },
  };
}

/** Scales on CPU from the planned replicas up to three times as many. */
export function gatewayAutoscaler(plan: AiGatewayPlan): IHorizontalPodAutoscaler {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: meta(plan, GATEWAY),
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: GATEWAY },
      minReplicas: plan.replicas,
      maxReplicas: plan.replicas * 3,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
    },
  };
}

/** Keeps all but one replica through a drain; undefined for a single replica, which a budget would pin. */
export function gatewayDisruptionBudget(plan: AiGatewayPlan): IPodDisruptionBudget | undefined {
  if (plan.replicas <= 1) return undefined;
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: meta(plan, GATEWAY),
    spec: { minAvailable: plan.replicas - 1, selector: { matchLabels: GATEWAY_SELECTOR } },
  };
}

/** Admits the client namespaces and monitoring on the gateway's port; lets it reach Valkey, DNS, PostgreSQL and HTTPS. */
export function gatewayNetworkPolicy(plan: AiGatewayPlan): INetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: meta(plan, GATEWAY),
    spec: {
      podSelector: { matchLabels: GATEWAY_SELECTOR },
      policyTypes: ["Ingress", "Egress"],
      // A rule with an empty `from` admits every pod: without client namespaces there is no client rule.
      ingress: [
        ...(plan.clientNamespaces.length > 0 ? [fromNamespaces(plan.clientNamespaces)] : []),
        ...(plan.monitoringNamespace ? [fromNamespaces([plan.monitoringNamespace])] : []),
      ],
      egress: [
        { to: [{ podSelector: { matchLabels: VALKEY_SELECTOR } }], ports: [{ protocol: "TCP", port: VALKEY_PORT }] },
        DNS_EGRESS_RULE,
        // PostgreSQL (in-cluster), providers over HTTPS and the ports of the models' own endpoints (an
        // in-cluster model server); nothing else leaves the pod.
        { ports: egressPorts(plan).map((port) => ({ protocol: "TCP", port })) },
      ],
    },
  };
}

/** Valkey takes connections from the gateway's pods only. */
export function valkeyNetworkPolicy(plan: AiGatewayPlan): INetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: meta(plan, VALKEY),
    spec: {
      podSelector: { matchLabels: VALKEY_SELECTOR },
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: [{ podSelector: { matchLabels: GATEWAY_SELECTOR } }], ports: [{ protocol: "TCP", port: VALKEY_PORT }] }],
    },
  };
}

/** Prometheus scrapes `/metrics` on the gateway's Service; undefined when the plan wants no ServiceMonitor. */
export function gatewayServiceMonitor(plan: AiGatewayPlan): IServiceMonitor | undefined {
  if (!plan.serviceMonitor) return undefined;
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: meta(plan, GATEWAY),
    spec: { selector: { matchLabels: labels() }, endpoints: [{ port: "http", path: "/metrics", interval: "30s" }] },
  };
}
