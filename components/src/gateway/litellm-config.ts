/**
 * The LiteLLM proxy's `config.yaml`, as a pure function of the gateway's models and settings. No secret
 * ever appears in it: provider keys, the master key, the database URL and the Redis password are
 * referenced as `os.environ/<VAR>` and reach the process from a Secret as environment variables.
 */

export const GATEWAY_PROVIDERS = ["openai", "anthropic", "azure-openai", "bedrock", "vertex", "vllm", "ollama"] as const;
export type GatewayProvider = (typeof GATEWAY_PROVIDERS)[number];

/** LiteLLM's provider prefix for each provider the platform supports. */
const PROVIDER_PREFIX: Readonly<Record<GatewayProvider, string>> = {
  openai: "openai",
  anthropic: "anthropic",
  "azure-openai": "azure",
  bedrock: "bedrock",
  vertex: "vertex_ai",
  vllm: "hosted_vllm",
  ollama: "ollama",
};

/** Providers that authenticate with an API key (the others use cloud credentials or none). */
const KEYED_PROVIDERS: ReadonlySet<GatewayProvider> = new Set(["openai", "anthropic", "azure-openai", "vllm"]);
/** Providers that need `apiBase` (self-hosted servers and Azure resources). */
const BASE_REQUIRED: ReadonlySet<GatewayProvider> = new Set(["azure-openai", "vllm", "ollama"]);

/** One model the gateway serves under a platform-wide name. */
export interface GatewayModel {
  /** Name clients ask for, e.g. `chat-default`. Switching the provider behind it is a config change. */
  name: string;
  provider: GatewayProvider;
  /** The provider's model (or Azure deployment) name. */
  model: string;
  /** Endpoint for self-hosted or Azure models. */
  apiBase?: string;
  /** Azure OpenAI API version. */
  apiVersion?: string;
  /** Environment variable holding the provider key (set from a Secret). */
  apiKeyEnv?: string;
  /** Requests per minute this deployment may take. */
  rpm?: number;
  /** Tokens per minute this deployment may take. */
  tpm?: number;
  /** Models to try, in order, when this one fails. */
  fallbacks?: string[];
}

/**
 * A prompt template the gateway serves by id: a dotprompt (optional YAML front matter, then `System:` /
 * `User:` sections with `{{variables}}`). Clients send `prompt_id` and `prompt_variables`.
 */
export interface GatewayPrompt {
  id: string;
  template: string;
}

export interface LiteLlmConfigInput {
  models: readonly GatewayModel[];
  /**
   * Prompt templates, managed as code with the stack.
   * @default []
   */
  prompts?: readonly GatewayPrompt[];
  /** Response cache in Redis; `ttlSeconds` how long an answer is reused. */
  cache: { enabled: boolean; ttlSeconds: number };
  /** Whether a PostgreSQL database backs keys, teams and spend. */
  database: boolean;
  /** Retries of a failing deployment before its fallbacks are tried. */
  numRetries: number;
}

/** Environment variable names the generated config refers to. */
export const GATEWAY_ENV = {
  masterKey: "LITELLM_MASTER_KEY",
  databaseUrl: "DATABASE_URL",
  redisHost: "REDIS_HOST",
  redisPort: "REDIS_PORT",
  redisPassword: "REDIS_PASSWORD",
} as const;

const env = (name: string): string => `os.environ/${name}`;

/** Name of the environment variable that carries a model's provider key by default. */
export function defaultApiKeyEnv(model: Pick<GatewayModel, "name">): string {
  return `PROVIDER_KEY_${model.name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** Problems with a model list (names, providers, fallbacks); empty when valid. */
export function gatewayModelProblems(models: readonly GatewayModel[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  models.forEach((model, i) => {
    if (names.has(model.name)) problems.push(`models[${i}].name: "${model.name}" is listed twice`);
    names.add(model.name);
    if (!(GATEWAY_PROVIDERS as readonly string[]).includes(model.provider)) {
      problems.push(`models[${i}].provider: "${model.provider}" is not one of ${GATEWAY_PROVIDERS.join(", ")}`);
    }
    if (BASE_REQUIRED.has(model.provider) && !model.apiBase) problems.push(`models[${i}].apiBase: required for ${model.provider}`);
  });
  models.forEach((model, i) => {
    for (const fallback of model.fallbacks ?? []) {
      if (!names.has(fallback)) problems.push(`models[${i}].fallbacks: "${fallback}" is not a model of this gateway`);
      if (fallback === model.name) problems.push(`models[${i}].fallbacks: "${fallback}" cannot fall back to itself`);
    }
  });
  return problems;
}

/** The proxy's configuration object (write it as YAML). */
export function litellmConfig(input: LiteLlmConfigInput): Record<string, unknown> {
  const fallbacks = input.models
    .filter((model) => (model.fallbacks ?? []).length > 0)
    .map((model) => ({ [model.name]: [...(model.fallbacks ?? [])] }));
  return {
    model_list: input.models.map((model) => ({
      model_name: model.name,
      litellm_params: {
        model: `${PROVIDER_PREFIX[model.provider]}/${model.model}`,
        ...(model.apiBase ? { api_base: model.apiBase } : {}),
        ...(model.apiVersion ? { api_version: model.apiVersion } : {}),
        ...(KEYED_PROVIDERS.has(model.provider) ? { api_key: env(model.apiKeyEnv ?? defaultApiKeyEnv(model)) } : {}),
        ...(model.rpm !== undefined ? { rpm: model.rpm } : {}),
        ...(model.tpm !== undefined ? { tpm: model.tpm } : {}),
      },
    })),
    router_settings: {
      // Usage-based routing counts requests per deployment, so each model's rpm/tpm is enforced, and
      // through Redis the count is shared by every replica of the gateway.
      routing_strategy: "usage-based-routing-v2",
      enable_pre_call_checks: true,
      num_retries: input.numRetries,
      ...(fallbacks.length > 0 ? { fallbacks } : {}),
      redis_host: env(GATEWAY_ENV.redisHost),
      redis_port: env(GATEWAY_ENV.redisPort),
      redis_password: env(GATEWAY_ENV.redisPassword),
    },
    litellm_settings: {
      callbacks: ["prometheus"],
      ...(input.cache.enabled
        ? {
            cache: true,
            cache_params: {
              type: "redis",
              host: env(GATEWAY_ENV.redisHost),
              port: env(GATEWAY_ENV.redisPort),
              password: env(GATEWAY_ENV.redisPassword),
              ttl: input.cache.ttlSeconds,
            },
          }
        : {}),
    },
    general_settings: {
      master_key: env(GATEWAY_ENV.masterKey),
      ...(input.database ? { database_url: env(GATEWAY_ENV.databaseUrl) } : {}),
    },
    ...((input.prompts ?? []).length > 0
      ? {
          prompts: (input.prompts ?? []).map((prompt) => ({
            prompt_id: prompt.id,
            litellm_params: { prompt_id: prompt.id, prompt_integration: "dotprompt", dotprompt_content: prompt.template },
          })),
        }
      : {}),
  };
}
