import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { defaultApiKeyEnv, GatewayProvider, litellmConfig, type GatewayModel } from "@mlops-platform/components";
import { gatewayModelProblems } from "@mlops-platform/components/internal";

const models: GatewayModel[] = [
  { name: "chat-default", provider: GatewayProvider.OpenAi, model: "gpt-4.1-mini", fallbacks: ["chat-claude"] },
  { name: "chat-claude", provider: GatewayProvider.Anthropic, model: "claude-sonnet-4-5" },
  { name: "chat-azure", provider: GatewayProvider.AzureOpenAi, model: "gpt4o-deployment", apiBase: "https://acme.openai.azure.com", apiVersion: "2025-01-01-preview" },
  { name: "chat-bedrock", provider: GatewayProvider.Bedrock, model: "anthropic.claude-3-5-sonnet" },
  { name: "chat-local", provider: GatewayProvider.Vllm, model: "llama-3.1-8b", apiBase: "http://vllm.serving.svc:8000/v1", rpm: 600, tpm: 100000 },
];

describe("litellmConfig", () => {
  const config = litellmConfig({ models, cache: { enabled: true, ttlSeconds: 600 }, database: true, numRetries: 1 }) as Record<string, any>;

  it("maps each provider to LiteLLM's model prefix and keeps keys in the environment", () => {
    expect(config["model_list"].map((m: { litellm_params: { model: string } }) => m.litellm_params.model)).toEqual([
      "openai/gpt-4.1-mini",
      "anthropic/claude-sonnet-4-5",
      "azure/gpt4o-deployment",
      "bedrock/anthropic.claude-3-5-sonnet",
      "hosted_vllm/llama-3.1-8b",
    ]);
    expect(config["model_list"][0].litellm_params.api_key).toBe("os.environ/PROVIDER_KEY_CHAT_DEFAULT");
    // Bedrock authenticates with AWS credentials: no api_key.
    expect(config["model_list"][3].litellm_params.api_key).toBeUndefined();
    expect(config["model_list"][4].litellm_params).toMatchObject({ rpm: 600, tpm: 100000, api_base: "http://vllm.serving.svc:8000/v1" });
  });

  it("refers to every secret through the environment, so the ConfigMap holds none", () => {
    expect(config["general_settings"]).toEqual({ master_key: "os.environ/LITELLM_MASTER_KEY", database_url: "os.environ/DATABASE_URL" });
    expect(config["litellm_settings"].cache_params).toMatchObject({ type: "redis", password: "os.environ/REDIS_PASSWORD", ttl: 600 });
    const text = stringify(config);
    const literals = [...text.matchAll(/(key|password|secret|url):\s*(\S+)/gi)].map((m) => m[2]!);
    for (const value of literals) if (!value.startsWith("http")) expect(value).toMatch(/^os\.environ\//);
  });

  it("routes by usage so rpm and tpm apply, shares counts through Redis, and lists fallbacks", () => {
    expect(config["router_settings"]).toMatchObject({
      routing_strategy: "usage-based-routing-v2",
      fallbacks: [{ "chat-default": ["chat-claude"] }],
      redis_host: "os.environ/REDIS_HOST",
    });
    expect(config["litellm_settings"].callbacks).toEqual(["prometheus"]);
  });

  it("leaves the cache and database out when they are off", () => {
    const bare = litellmConfig({ models: [models[1]!], cache: { enabled: false, ttlSeconds: 0 }, database: false, numRetries: 0 }) as Record<string, any>;
    expect(bare["litellm_settings"]).toEqual({ callbacks: ["prometheus"] });
    expect(bare["general_settings"]).toEqual({ master_key: "os.environ/LITELLM_MASTER_KEY" });
  });

  it("serves stack prompt templates through LiteLLM's dotprompt integration", () => {
    const withPrompt = litellmConfig({
      models: [models[1]!],
      prompts: [{ id: "summarize", template: "System: Be brief.\n\nUser: {{text}}" }],
      cache: { enabled: false, ttlSeconds: 0 },
      database: false,
      numRetries: 0,
    }) as Record<string, any>;
    expect(withPrompt["prompts"]).toEqual([
      { prompt_id: "summarize", litellm_params: { prompt_id: "summarize", prompt_integration: "dotprompt", dotprompt_content: "System: Be brief.\n\nUser: {{text}}" } },
    ]);
    expect(config["prompts"]).toBeUndefined();
  });

  it("names default key variables after the model", () => {
    expect(defaultApiKeyEnv({ name: "chat-4o.mini" })).toBe("PROVIDER_KEY_CHAT_4O_MINI");
  });
});

describe("gatewayModelProblems", () => {
  it("finds duplicate names, unknown fallbacks, self-fallbacks and missing endpoints", () => {
    expect(
      gatewayModelProblems([
        { name: "a", provider: GatewayProvider.OpenAi, model: "x", fallbacks: ["missing", "a"] },
        { name: "a", provider: GatewayProvider.Vllm, model: "y" },
      ]),
    ).toEqual([
      'models[1].name: "a" is listed twice',
      "models[1].apiBase: required for vllm",
      "models[0].fallbacks[0]: use one of the gateway's models: a",
      "models[0].fallbacks[1]: use another of the gateway's models: a model cannot fall back to itself",
    ]);
    expect(gatewayModelProblems(models)).toEqual([]);
  });
});
