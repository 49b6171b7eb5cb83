/**
 * The LiteLLM proxy's `config.yaml`, as a pure function of the gateway's models and settings. No secret
 * ever appears in it: provider keys, the master key, the database URL and the Redis password are
 * referenced as `os.environ/<VAR>` and reach the process from a Secret as environment variables.
 */
import { argumentProblems, type ArgumentProblems } from "../common/component.js";
import { isDnsLabel } from "../common/kubernetes.js";

/** The LLM providers the gateway can route to. */
export enum GatewayProvider {
  /** OpenAI's API. */
  OpenAi = "openai",
  /** Anthropic's API. */
  Anthropic = "anthropic",
  /** An Azure OpenAI resource (needs `apiBase`). */
  AzureOpenAi = "azure-openai",
  /** Amazon Bedrock, with the cloud's credentials. */
  Bedrock = "bedrock",
  /** Google Vertex AI, with the cloud's credentials. */
  Vertex = "vertex",
  /** A self-hosted vLLM server (needs `apiBase`). */
  Vllm = "vllm",
  /** A self-hosted Ollama server (needs `apiBase`). */
  Ollama = "ollama",
}
export const GATEWAY_PROVIDERS: readonly GatewayProvider[] = Object.values(GatewayProvider);

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
const KEYED_PROVIDERS: ReadonlySet<GatewayProvider> = new Set([
  GatewayProvider.OpenAi,
  GatewayProvider.Anthropic,
  GatewayProvider.AzureOpenAi,
  GatewayProvider.Vllm,
]);
/** Providers that need `apiBase` (self-hosted servers and Azure resources). */
const BASE_REQUIRED: ReadonlySet<GatewayProvider> = new Set([GatewayProvider.AzureOpenAi, GatewayProvider.Vllm, GatewayProvider.Ollama]);

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
  /** Id clients send as `prompt_id`. */
  id: string;
  /** The dotprompt template. */
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

/** Problems with a model list (names, providers, endpoints, limits, fallbacks), one line each; empty when valid. */
export function gatewayModelProblems(models: readonly GatewayModel[]): string[] {
  const problems = argumentProblems("AiGateway", "models");
  addModelListProblems(models, problems);
  return problems.errors.map((error) => `${error.property}: ${error.fix}`);
}

/** Adds the problems of a gateway's model list, each at `models[<i>].<field>`. */
export function addModelListProblems(models: readonly GatewayModel[], problems: ArgumentProblems): void {
  const names = new Set<string>();
  models.forEach((model, i) => {
    if (names.has(model.name)) problems.add(`models[${i}].name`, model.name, `"${model.name}" is listed twice`);
    // Clients, teams and fallbacks refer to a model by this name.
    else if (!isDnsLabel(model.name)) problems.add(`models[${i}].name`, model.name, "use a DNS label (lower-case letters, digits and '-'), e.g. \"chat-default\"");
    names.add(model.name);
    if (!(GATEWAY_PROVIDERS as readonly string[]).includes(model.provider)) {
      problems.add(`models[${i}].provider`, model.provider, `"${model.provider}" is not one of ${GATEWAY_PROVIDERS.join(", ")}`);
    }
    if (typeof model.model !== "string" || model.model.trim() === "") problems.add(`models[${i}].model`, model.model, "name the provider's model (or Azure deployment)");
    if (BASE_REQUIRED.has(model.provider) && !model.apiBase) problems.add(`models[${i}].apiBase`, model.apiBase, `required for ${model.provider}`);
    else if (model.apiBase !== undefined && !/^https?:\/\/\S+$/.test(model.apiBase)) problems.add(`models[${i}].apiBase`, model.apiBase, "use the endpoint's http(s) URL");
    if (model.apiVersion !== undefined && model.apiVersion.trim() === "") problems.add(`models[${i}].apiVersion`, model.apiVersion, "set the API version, or leave it out");
    for (const field of ["rpm", "tpm"] as const) {
      const limit = model[field];
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) problems.add(`models[${i}].${field}`, limit, "use a whole number of at least 1, or leave it out for no limit");
    }
  });
  models.forEach((model, i) => {
    (model.fallbacks ?? []).forEach((fallback, j) => {
      if (!names.has(fallback)) problems.add(`models[${i}].fallbacks[${j}]`, fallback, `use one of the gateway's models: ${[...names].join(", ")}`);
      else if (fallback === model.name) problems.add(`models[${i}].fallbacks[${j}]`, fallback, `use another of the gateway's models: a model cannot fall back to itself`);
    });
  });
}

/** Adds the problems of a gateway's prompt templates, each at `prompts[<i>].<field>`. */
export function addPromptProblems(prompts: readonly GatewayPrompt[], problems: ArgumentProblems): void {
  const ids = new Set<string>();
  prompts.forEach((prompt, i) => {
    // Clients send the id as prompt_id; a repeated id would make one template unreachable.
    if (!isDnsLabel(prompt.id)) problems.add(`prompts[${i}].id`, prompt.id, "use a DNS label (lower-case letters, digits and '-'), e.g. \"summarize\"");
    else if (ids.has(prompt.id)) problems.add(`prompts[${i}].id`, prompt.id, "give every prompt its own id");
    ids.add(prompt.id);
    if (typeof prompt.template !== "string" || prompt.template.trim() === "") problems.add(`prompts[${i}].template`, prompt.template, "write the dotprompt template");
  });
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
