import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { invalidArgument, typeToken } from "../common/component.js";
import { suppliedOrGeneratedSecret } from "../common/generated-secret.js";
import { contentDigest, isDnsLabel, isPinnedImage, platformLabels, RESTRICTED_CONTAINER_SECURITY } from "../common/kubernetes.js";
import { defaultApiKeyEnv, GATEWAY_ENV, gatewayModelProblems, litellmConfig, type GatewayModel, type GatewayPrompt } from "./litellm-config.js";

/**
 * LiteLLM 1.103.0, the release tests/integration/gateway.test.ts runs, pinned by its multi-platform index
 * digest as recorded in public build definitions (2026). Check with `crane digest ghcr.io/berriai/litellm:v1.103.0`
 * before deploying; the tag stays for readability, the digest decides what runs.
 */
export const LITELLM_IMAGE =
  "ghcr.io/berriai/litellm:v1.103.0@sha256:bd089afdcd35b894b14a93f9743cdc8b591f82da1a38dd43a010a7b0c9de5fd7";
/** Valkey (Redis-compatible) for the response cache and rate-limit counters shared by the replicas. */
export const VALKEY_IMAGE = "valkey/valkey:8.1.10-alpine";
export const GATEWAY_PORT = 4000;
/** Namespace of the AI gateway in an MlPlatform. */
export const GATEWAY_NAMESPACE = "mlp-gateway";
/** Annotation on a team namespace carrying the team's monthly gateway budget (read by the policy pack). */
export const GATEWAY_BUDGET_ANNOTATION = "mlops-platform.io/gateway-monthly-budget-usd";
/** Annotation on the gateway's ConfigMap listing models without a fallback; the policy pack reads it. */
export const MODELS_WITHOUT_FALLBACK_ANNOTATION = "mlops-platform.io/models-without-fallback";
const VALKEY_PORT = 6379;

/** A model the gateway serves; its provider key (if any) is a Pulumi secret. */
export interface AiGatewayModelArgs extends Omit<GatewayModel, "apiKeyEnv"> {
  /**
   * The provider's API key.
   * @default none (providers that use cloud credentials)
   */
  apiKey?: pulumi.Input<string>;
}

export interface AiGatewayArgs {
  /** Namespace of the gateway and its Valkey. */
  namespace: string;
  models: AiGatewayModelArgs[];
  /**
   * Prompt templates served by id (dotprompt format).
   * @default []
   */
  prompts?: GatewayPrompt[];
  /**
   * Response cache.
   * @default { enabled: true, ttlSeconds: 600 }
   */
  cache?: { enabled?: boolean; ttlSeconds?: number };
  /**
   * Replicas (at least this many; the autoscaler may add up to three times as many).
   * @default 1
   */
  replicas?: number;
  /**
   * The master key; generated when not given. Admins and the team-key automation use it.
   * @default a random 48-character key
   */
  masterKey?: pulumi.Input<string>;
  /**
   * Password of the gateway's Valkey; generated when not given.
   * @default a random 32-character password
   */
  valkeyPassword?: pulumi.Input<string>;
  /**
   * PostgreSQL connection URI for keys, teams and spend (a secret).
   * @default none (only the master key authenticates)
   */
  databaseUrl?: pulumi.Input<string>;
  /**
   * Namespaces whose pods may call the gateway (team namespaces).
   * @default []
   */
  clientNamespaces?: string[];
  /**
   * Namespace of Prometheus, allowed to scrape metrics.
   * @default none
   */
  monitoringNamespace?: string;
  /**
   * Create a ServiceMonitor (needs the Prometheus Operator's CRDs).
   * @default true
   */
  serviceMonitor?: boolean;
  /** @default LITELLM_IMAGE */
  image?: string;
}

/**
 * One governed door to LLM providers: the LiteLLM proxy with its generated config, provider keys kept in a
 * Secret and passed as environment variables, Valkey for cache and shared rate limits, an autoscaler and
 * a disruption budget, metrics, and a NetworkPolicy that admits only team namespaces and monitoring.
 */
export class AiGateway extends pulumi.ComponentResource {
  /** In-cluster URL of the OpenAI-compatible endpoint. */
  public readonly url: pulumi.Output<string>;
  /** The master key (secret). */
  public readonly masterKey: pulumi.Output<string>;

  constructor(name: string, args: AiGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("AiGateway"), name, {}, opts);
    const plan = planAiGateway(name, args);
    const namespace = args.namespace;
    const labels = platformLabels("gateway");
    const meta = (objectName: string) => ({ name: objectName, namespace, labels });

    // LiteLLM's keys start with "sk-"; a supplied master key is taken as it is.
    const masterKey =
      args.masterKey !== undefined
        ? pulumi.secret(args.masterKey)
        : pulumi.interpolate`sk-${suppliedOrGeneratedSecret(undefined, `${name}-master-key`, 48, { parent: this })}`;
    const valkeyPassword = suppliedOrGeneratedSecret(args.valkeyPassword, `${name}-valkey-password`, 32, { parent: this });

    const providerKeys: Record<string, pulumi.Input<string>> = {};
    for (const model of args.models) if (model.apiKey !== undefined) providerKeys[defaultApiKeyEnv(model)] = pulumi.secret(model.apiKey);
    const secret = new k8s.core.v1.Secret(
      `${name}-env`,
      {
        metadata: meta("ai-gateway-env"),
        stringData: {
          [GATEWAY_ENV.masterKey]: masterKey,
          [GATEWAY_ENV.redisPassword]: valkeyPassword,
          ...providerKeys,
          ...(args.databaseUrl !== undefined ? { [GATEWAY_ENV.databaseUrl]: pulumi.secret(args.databaseUrl) } : {}),
        },
      },
      { parent: this },
    );
    const config = stringify(
      litellmConfig({
        models: args.models.map(({ apiKey, ...model }) => ({ ...model, ...(apiKey !== undefined ? { apiKeyEnv: defaultApiKeyEnv(model) } : {}) })),
        cache: plan.cache,
        prompts: args.prompts ?? [],
        database: args.databaseUrl !== undefined,
        numRetries: 1,
      }),
      // No folding: templates and URLs stay on their lines, as operators wrote them.
      { lineWidth: 0 },
    );
    const withoutFallback = args.models.filter((model) => (model.fallbacks ?? []).length === 0).map((model) => model.name);
    const configMap = new k8s.core.v1.ConfigMap(
      `${name}-config`,
      {
        metadata: { ...meta("ai-gateway-config"), annotations: { [MODELS_WITHOUT_FALLBACK_ANNOTATION]: withoutFallback.join(",") } },
        data: { "config.yaml": config },
      },
      { parent: this },
    );

    const restricted = RESTRICTED_CONTAINER_SECURITY;
    const valkeyLabels = { "app.kubernetes.io/name": "ai-gateway-valkey" };
    new k8s.apps.v1.Deployment(
      `${name}-valkey`,
      {
        metadata: meta("ai-gateway-valkey"),
        spec: {
          replicas: 1,
          selector: { matchLabels: valkeyLabels },
          template: {
            metadata: { labels: { ...labels, ...valkeyLabels } },
            spec: {
              automountServiceAccountToken: false,
              securityContext: { runAsUser: 999, runAsGroup: 999, fsGroup: 999 },
              containers: [
                {
                  name: "valkey",
                  image: VALKEY_IMAGE,
                  // A cache and rate-limit counters: nothing worth persisting, so no disk, and memory bounded.
                  command: ["sh", "-c", 'exec valkey-server --requirepass "$REDIS_PASSWORD" --save "" --appendonly no --maxmemory 200mb --maxmemory-policy allkeys-lru'],
                  env: [{ name: GATEWAY_ENV.redisPassword, valueFrom: { secretKeyRef: { name: "ai-gateway-env", key: GATEWAY_ENV.redisPassword } } }],
                  ports: [{ name: "redis", containerPort: VALKEY_PORT }],
                  readinessProbe: { tcpSocket: { port: VALKEY_PORT } },
                  resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
                  securityContext: restricted,
                  volumeMounts: [{ name: "data", mountPath: "/data" }],
                },
              ],
              volumes: [{ name: "data", emptyDir: {} }],
            },
          },
        },
      },
      { parent: this, dependsOn: [secret] },
    );
    new k8s.core.v1.Service(
      `${name}-valkey-service`,
      { metadata: meta("ai-gateway-valkey"), spec: { selector: valkeyLabels, ports: [{ name: "redis", port: VALKEY_PORT, targetPort: VALKEY_PORT }] } },
      { parent: this },
    );

    const appLabels = { "app.kubernetes.io/name": "ai-gateway" };
    new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: meta("ai-gateway"),
        spec: {
          replicas: plan.replicas,
          selector: { matchLabels: appLabels },
          template: {
            // The config's digest rolls the pods when models or settings change.
            metadata: { labels: { ...labels, ...appLabels }, annotations: { "mlops-platform.io/config-sha": contentDigest(config) } },
            spec: {
              automountServiceAccountToken: false,
              securityContext: { runAsUser: 1000, runAsGroup: 1000 },
              containers: [
                {
                  name: "litellm",
                  image: plan.image,
                  args: ["--config", "/etc/litellm/config.yaml", "--port", String(GATEWAY_PORT), "--num_workers", "2"],
                  envFrom: [{ secretRef: { name: "ai-gateway-env" } }],
                  env: [
                    { name: GATEWAY_ENV.redisHost, value: `ai-gateway-valkey.${namespace}.svc` },
                    { name: GATEWAY_ENV.redisPort, value: String(VALKEY_PORT) },
                    // Use the model cost map in the image instead of fetching one at start-up.
                    { name: "LITELLM_LOCAL_MODEL_COST_MAP", value: "True" },
                    { name: "HOME", value: "/tmp" },
                  ],
                  ports: [{ name: "http", containerPort: GATEWAY_PORT }],
                  readinessProbe: { httpGet: { path: "/health/readiness", port: GATEWAY_PORT }, periodSeconds: 10 },
                  livenessProbe: { httpGet: { path: "/health/liveliness", port: GATEWAY_PORT }, initialDelaySeconds: 30, periodSeconds: 20 },
                  resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } },
                  securityContext: restricted,
                  volumeMounts: [
                    { name: "config", mountPath: "/etc/litellm", readOnly: true },
                    { name: "tmp", mountPath: "/tmp" },
                  ],
                },
              ],
              volumes: [
                { name: "config", configMap: { name: "ai-gateway-config" } },
                { name: "tmp", emptyDir: {} },
              ],
            },
          },
        },
      },
      { parent: this, dependsOn: [secret, configMap] },
    );
    new k8s.core.v1.Service(
      `${name}-service`,
      { metadata: meta("ai-gateway"), spec: { selector: appLabels, ports: [{ name: "http", port: GATEWAY_PORT, targetPort: GATEWAY_PORT }] } },
      { parent: this },
    );
    new k8s.autoscaling.v2.HorizontalPodAutoscaler(
      `${name}-autoscaler`,
      {
        metadata: meta("ai-gateway"),
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "ai-gateway" },
          minReplicas: plan.replicas,
          maxReplicas: plan.replicas * 3,
          metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
        },
      },
      { parent: this },
    );
    if (plan.replicas > 1) {
      new k8s.policy.v1.PodDisruptionBudget(
        `${name}-disruption-budget`,
        { metadata: meta("ai-gateway"), spec: { minAvailable: plan.replicas - 1, selector: { matchLabels: appLabels } } },
        { parent: this },
      );
    }

    const fromNamespaces = (names: string[]) => names.map((ns) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } }));
    new k8s.networking.v1.NetworkPolicy(
      `${name}-network`,
      {
        metadata: meta("ai-gateway"),
        spec: {
          podSelector: { matchLabels: appLabels },
          policyTypes: ["Ingress", "Egress"],
          ingress: [
            { from: fromNamespaces(plan.clientNamespaces), ports: [{ protocol: "TCP", port: GATEWAY_PORT }] },
            ...(args.monitoringNamespace ? [{ from: fromNamespaces([args.monitoringNamespace]), ports: [{ protocol: "TCP", port: GATEWAY_PORT }] }] : []),
          ],
          egress: [
            { to: [{ podSelector: { matchLabels: valkeyLabels } }], ports: [{ protocol: "TCP", port: VALKEY_PORT }] },
            { to: [{ namespaceSelector: {}, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }] },
            // PostgreSQL (in-cluster) and providers over HTTPS; nothing else leaves the pod.
            { ports: [{ protocol: "TCP", port: 5432 }, { protocol: "TCP", port: 443 }] },
          ],
        },
      },
      { parent: this },
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-valkey-network`,
      {
        metadata: meta("ai-gateway-valkey"),
        spec: {
          podSelector: { matchLabels: valkeyLabels },
          policyTypes: ["Ingress", "Egress"],
          ingress: [{ from: [{ podSelector: { matchLabels: appLabels } }], ports: [{ protocol: "TCP", port: VALKEY_PORT }] }],
        },
      },
      { parent: this },
    );
    if (args.serviceMonitor ?? true) {
      new k8s.apiextensions.CustomResource(
        `${name}-metrics`,
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "ServiceMonitor",
          metadata: meta("ai-gateway"),
          spec: { selector: { matchLabels: labels }, endpoints: [{ port: "http", path: "/metrics", interval: "30s" }] },
        },
        { parent: this },
      );
    }

    this.url = pulumi.output(`http://ai-gateway.${namespace}.svc:${GATEWAY_PORT}/v1`);
    this.masterKey = pulumi.secret(masterKey);
    this.registerOutputs({ url: this.url, masterKey: this.masterKey });
  }
}

/** AiGateway args with defaults applied. */
export interface AiGatewayPlan {
  replicas: number;
  cache: { enabled: boolean; ttlSeconds: number };
  clientNamespaces: string[];
  image: string;
}

/** Validates AiGateway args; throws `InputPropertyError` naming the property and the fix. */
export function planAiGateway(name: string, args: AiGatewayArgs): AiGatewayPlan {
  const fail = (property: string, value: unknown, fix: string): never => invalidArgument("AiGateway", name, property, value, fix);
  if (!isDnsLabel(args.namespace)) fail("namespace", args.namespace, "use a namespace name");
  if (args.models.length === 0) fail("models", args.models, "list at least one model");
  const problems = gatewayModelProblems(args.models);
  if (problems.length > 0) fail("models", problems, "fix the model list");
  const replicas = args.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1) fail("replicas", replicas, "use a whole number of at least 1");
  const ttlSeconds = args.cache?.ttlSeconds ?? 600;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) fail("cache.ttlSeconds", ttlSeconds, "use a whole number of seconds, at least 1");
  const image = args.image ?? LITELLM_IMAGE;
  if (!isPinnedImage(image)) {
    fail("image", image, "pin the image to a release tag or digest (not latest)");
  }
  for (const [i, ns] of (args.clientNamespaces ?? []).entries()) if (!isDnsLabel(ns)) fail(`clientNamespaces[${i}]`, ns, "use a namespace name");
  return { replicas, cache: { enabled: args.cache?.enabled ?? true, ttlSeconds }, clientNamespaces: [...(args.clientNamespaces ?? [])], image };
}
