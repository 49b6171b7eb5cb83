import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { argumentProblems, typeToken } from "../common/component.js";
import { rollOnSecretChange, suppliedOrGeneratedSecret } from "../common/generated-secret.js";
import { isDnsLabel, isPinnedImage } from "../common/kubernetes.js";
import {
  GATEWAY_PORT,
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
} from "./gateway-manifests.js";
import {
  addModelListProblems,
  addPromptProblems,
  defaultApiKeyEnv,
  GATEWAY_ENV,
  type GatewayModel,
  type GatewayPrompt,
  type GatewayProvider,
} from "./litellm-config.js";

// Declared beside the objects that carry them; importers of the component find them here as before.
export { GATEWAY_PORT, MODELS_WITHOUT_FALLBACK_ANNOTATION } from "./gateway-manifests.js";

/**
 * LiteLLM 1.103.0, the release tests/integration/gateway.test.ts runs, pinned by its multi-platform index
 * digest as recorded in public build definitions (2026). Check with `crane digest ghcr.io/berriai/litellm:v1.103.0`
 * before deploying; the tag stays for readability, the digest decides what runs.
 */
export const LITELLM_IMAGE =
  "ghcr.io/berriai/litellm:v1.103.0@sha256:bd089afdcd35b894b14a93f9743cdc8b591f82da1a38dd43a010a7b0c9de5fd7";
/** Namespace of the AI gateway in an MlPlatform. */
export const GATEWAY_NAMESPACE = "mlp-gateway";
/** Annotation on a team namespace carrying the team's monthly gateway budget (read by the policy pack). */
export const GATEWAY_BUDGET_ANNOTATION = "mlops-platform.io/gateway-monthly-budget-usd";

/** A model the gateway serves (a `GatewayModel` whose provider key, if any, is a Pulumi secret). */
export interface AiGatewayModelArgs {
  /** Name clients ask for, e.g. `chat-default`. Switching the provider behind it is a config change. */
  name: string;
  /** Who serves the model. */
  provider: GatewayProvider;
  /** The provider's model (or Azure deployment) name. */
  model: string;
  /**
   * Endpoint for self-hosted or Azure models (required for `azure-openai`, `vllm` and `ollama`).
   * @default the provider's endpoint
   */
  apiBase?: string;
  /**
   * Azure OpenAI API version.
   * @default LiteLLM's
   */
  apiVersion?: string;
  /**
   * The provider's API key.
   * @default none (providers that use cloud credentials)
   */
  apiKey?: pulumi.Input<string>;
  /**
   * Requests per minute this deployment may take.
   * @default no limit
   */
  rpm?: number;
  /**
   * Tokens per minute this deployment may take.
   * @default no limit
   */
  tpm?: number;
  /**
   * Models to try, in order, when this one fails.
   * @default []
   */
  fallbacks?: string[];
}

/** The gateway's response cache (in Valkey). */
export interface AiGatewayCacheArgs {
  /**
   * Reuse answers to identical requests.
   * @default true
   */
  enabled?: boolean;
  /**
   * How long an answer is reused, seconds.
   * @default 600
   */
  ttlSeconds?: number;
}

export interface AiGatewayArgs {
  /** Namespace of the gateway and its Valkey. */
  namespace: string;
  /** Models the gateway serves. */
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
  cache?: AiGatewayCacheArgs;
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
  /**
   * LiteLLM proxy image, pinned by tag or digest.
   * @default LITELLM_IMAGE
   */
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

    // LiteLLM's keys start with "sk-"; a supplied master key is taken as it is.
    const masterKey =
      args.masterKey !== undefined
        ? pulumi.secret(args.masterKey)
        : pulumi.interpolate`sk-${suppliedOrGeneratedSecret(undefined, `${name}-master-key`, 48, { parent: this })}`;
    const valkeyPassword = suppliedOrGeneratedSecret(args.valkeyPassword, `${name}-valkey-password`, 32, { parent: this });
    const providerKeys: Record<string, pulumi.Input<string>> = {};
    for (const model of args.models) if (model.apiKey !== undefined) providerKeys[defaultApiKeyEnv(model)] = pulumi.secret(model.apiKey);
    const stringData = {
      [GATEWAY_ENV.masterKey]: masterKey,
      [GATEWAY_ENV.redisPassword]: valkeyPassword,
      ...providerKeys,
      ...(args.databaseUrl !== undefined ? { [GATEWAY_ENV.databaseUrl]: pulumi.secret(args.databaseUrl) } : {}),
    };
    // The builders' kubernetes-models types and Pulumi's args describe the same objects; they differ only in
    // how loosely they type some fields (quantities, optional selectors), hence the casts.
    const secret = new k8s.core.v1.Secret(`${name}-env`, { ...(gatewayEnvSecret(plan) as k8s.core.v1.SecretArgs), stringData }, { parent: this });

    const config = gatewayConfigYaml(plan);
    const configMap = new k8s.core.v1.ConfigMap(`${name}-config`, gatewayConfigMap(plan, config) as k8s.core.v1.ConfigMapArgs, { parent: this });
    // Both read the env Secret: they roll when it changes, as the gateway does when its config changes.
    new k8s.apps.v1.Deployment(`${name}-valkey`, rollOnSecretChange(valkeyDeployment(plan), secret), {
      parent: this,
      dependsOn: [secret],
    });
    new k8s.core.v1.Service(`${name}-valkey-service`, valkeyService(plan) as k8s.core.v1.ServiceArgs, { parent: this });
    new k8s.apps.v1.Deployment(`${name}-deployment`, rollOnSecretChange(gatewayDeployment(plan, config), secret), { parent: this, dependsOn: [secret, configMap] });
    new k8s.core.v1.Service(`${name}-service`, gatewayService(plan) as k8s.core.v1.ServiceArgs, { parent: this });
    new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${name}-autoscaler`, gatewayAutoscaler(plan) as k8s.autoscaling.v2.HorizontalPodAutoscalerArgs, { parent: this });
    const disruptionBudget = gatewayDisruptionBudget(plan);
    if (disruptionBudget) new k8s.policy.v1.PodDisruptionBudget(`${name}-disruption-budget`, disruptionBudget as k8s.policy.v1.PodDisruptionBudgetArgs, { parent: this });
    new k8s.networking.v1.NetworkPolicy(`${name}-network`, gatewayNetworkPolicy(plan) as k8s.networking.v1.NetworkPolicyArgs, { parent: this });
    new k8s.networking.v1.NetworkPolicy(`${name}-valkey-network`, valkeyNetworkPolicy(plan) as k8s.networking.v1.NetworkPolicyArgs, { parent: this });
    const serviceMonitor = gatewayServiceMonitor(plan);
    if (serviceMonitor) new k8s.apiextensions.CustomResource(`${name}-metrics`, serviceMonitor, { parent: this });

    this.url = pulumi.output(`http://ai-gateway.${plan.namespace}.svc:${GATEWAY_PORT}/v1`);
    this.masterKey = pulumi.secret(masterKey);
    this.registerOutputs({ url: this.url, masterKey: this.masterKey });
  }
}

/** AiGateway args with defaults applied, as plain values: everything the gateway's objects are built from but its secrets. */
export interface AiGatewayPlan {
  namespace: string;
  /** The models as LiteLLM sees them: a provider key is the name of the environment variable holding it. */
  models: GatewayModel[];
  prompts: GatewayPrompt[];
  cache: { enabled: boolean; ttlSeconds: number };
  /** Whether a PostgreSQL database backs keys, teams and spend. */
  database: boolean;
  replicas: number;
  clientNamespaces: string[];
  monitoringNamespace?: string;
  serviceMonitor: boolean;
  image: string;
}

/**
 * Validates AiGateway args and applies their defaults; throws `InputPropertyError` (`InputPropertiesError`
 * for several) naming each property and the fix.
 */
export function planAiGateway(name: string, args: AiGatewayArgs): AiGatewayPlan {
  const problems = argumentProblems("AiGateway", name);
  if (!isDnsLabel(args.namespace)) problems.add("namespace", args.namespace, "use a namespace name");
  if (args.models.length === 0) problems.add("models", args.models, "list at least one model");
  addModelListProblems(args.models, problems);
  addPromptProblems(args.prompts ?? [], problems);
  const replicas = args.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1) problems.add("replicas", replicas, "use a whole number of at least 1");
  const ttlSeconds = args.cache?.ttlSeconds ?? 600;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) problems.add("cache.ttlSeconds", ttlSeconds, "use a whole number of seconds, at least 1");
  const image = args.image ?? LITELLM_IMAGE;
  if (!isPinnedImage(image)) {
    problems.add("image", image, "pin the image to a release tag or digest (not latest)");
  }
  for (const [i, ns] of (args.clientNamespaces ?? []).entries()) if (!isDnsLabel(ns)) problems.add(`clientNamespaces[${i}]`, ns, "use a namespace name");
  problems.throwIfAny();
  return {
    namespace: args.namespace,
    models: args.models.map(({ apiKey, ...model }) => ({ ...model, ...(apiKey !== undefined ? { apiKeyEnv: defaultApiKeyEnv(model) } : {}) })),
    prompts: args.prompts ?? [],
    cache: { enabled: args.cache?.enabled ?? true, ttlSeconds },
    database: args.databaseUrl !== undefined,
    replicas,
    clientNamespaces: [...(args.clientNamespaces ?? [])],
    ...(args.monitoringNamespace !== undefined ? { monitoringNamespace: args.monitoringNamespace } : {}),
    serviceMonitor: args.serviceMonitor ?? true,
    image,
  };
}
