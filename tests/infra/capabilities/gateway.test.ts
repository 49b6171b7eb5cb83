/** The AI gateway in the stack file: models, provider keys, the database per environment, team budgets. */
import { describe, expect, it } from "vitest";
import { gatewayArgs } from "../../../infra/capabilities/gateway.js";
import { parsePlatformConfig } from "../../../infra/config.js";
import { FILE, problemsOf } from "../config-helpers.js";

describe("the AI gateway in the stack file", () => {
  const withGateway = (environment: string, gateway: Record<string, unknown>) => ({ environment, cluster: { provider: "aws" }, gateway });
  const model = { name: "chat", provider: "openai", model: "gpt-4.1-mini", apiKey: "openaiApiKey" };

  it("requires a backup destination for the gateway database outside local", () => {
    expect(problemsOf(withGateway("dev", { models: [model] }), ["openaiApiKey"]).filter((p) => !p.includes("openaiApiKey"))).toEqual([
      `${FILE}: mlops-platform:gateway.database.backup: required; required in dev: destinationPath of the object store for base backups and WAL, and workloadIdentity (the database's cloud identity) or credentials (secret config keys)`,
    ]);
  });

  it("requires every provider key a model names, as a secret", () => {
    expect(problemsOf(withGateway("local", { models: [model] }))).toEqual([
      `${FILE}: mlops-platform:openaiApiKey: required: a gateway model's apiKey names it; set it with pulumi config set --secret openaiApiKey <provider key>`,
    ]);
    expect(problemsOf({ ...withGateway("local", { models: [model] }), openaiApiKey: "sk-plain" })).toEqual([
      `${FILE}: mlops-platform:openaiApiKey: must be a secret (a provider key for the AI gateway: pulumi config set --secret openaiApiKey <key>); it is stored in plain text`,
    ]);
  });

  it("reports an unknown provider at the model", () => {
    const raw = withGateway("local", { models: [{ ...model, apiKey: undefined }, { name: "x", provider: "grok", model: "y" }] });
    expect(problemsOf(raw)).toEqual([
      `${FILE}: mlops-platform:gateway.models[1].provider: "grok" is not one of openai, anthropic, azure-openai, bedrock, vertex, vllm, ollama, got "grok"`,
    ]);
  });

  it("reports a fallback to a model the gateway does not serve, listing the models it serves", () => {
    const raw = withGateway("local", { models: [{ ...model, apiKey: undefined, fallbacks: ["chat-defualt"] }, { name: "embed", provider: "ollama", model: "nomic-embed-text", apiBase: "http://ollama:11434" }] });
    expect(problemsOf(raw)).toEqual([`${FILE}: mlops-platform:gateway.models[0].fallbacks[0]: use one of the gateway's models: ${model.name}, embed, got "chat-defualt"`]);
  });

  it("refuses a team model the gateway does not serve", () => {
    const raw = {
      ...withGateway("local", { models: [{ ...model, apiKey: undefined }] }),
      teams: [{ name: "vision", owners: ["g"], quota: { cpu: 1, memoryGiB: 1, storageGiB: 1 }, gateway: { models: ["gpt-5"] } }],
    };
    expect(problemsOf(raw)).toEqual([`${FILE}: mlops-platform:teams[0].gateway.models[0]: use one of the gateway's models: chat, got "gpt-5"`]);
  });

  it("sizes and protects the gateway database per environment", () => {
    const database = (environment: string) =>
      parsePlatformConfig(withGateway(environment, { models: [{ ...model, apiKey: undefined }], database: { backup: { destinationPath: "s3://b/p", credentialsSecretName: "creds" } } }), FILE).gateway.database;
    expect([database("dev").instances, database("staging").instances, database("prod").instances]).toEqual([1, 2, 3]);
    expect([database("dev").protect, database("prod").protect]).toEqual([false, true]);
  });

  describe("team budgets", () => {
    const backup = { destinationPath: "s3://b/p", credentialsSecretName: "creds" };
    const team = (name: string, gateway?: Record<string, unknown>) => ({ name, owners: ["g"], quota: { cpu: 1, memoryGiB: 1, storageGiB: 1 }, ...(gateway ? { gateway } : {}) });
    const stack = (environment: string, gateway: Record<string, unknown> = {}) => ({
      ...withGateway(environment, { models: [{ ...model, apiKey: undefined }], database: { backup }, ...gateway }),
      teams: [team("vision", { monthlyBudgetUsd: 2000, rpmLimit: 60 }), team("nlp"), team("free", { rpmLimit: 10 })],
    });
    const budgets = (raw: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(gatewayArgs(parsePlatformConfig(raw, FILE), {})!.teams!).map(([name, settings]) => [name, settings.monthlyBudgetUsd]));

    it("gives every team without a budget of its own the environment's default: 100 in staging, 500 in prod, none in local and dev", () => {
      expect(budgets(stack("prod"))).toEqual({ vision: 2000, nlp: 500, free: 500 });
      expect(budgets(stack("staging"))).toEqual({ vision: 2000, nlp: 100, free: 100 });
      expect(budgets(stack("dev"))).toEqual({ vision: 2000, free: undefined });
      expect(budgets(stack("local"))).toEqual({ vision: 2000, free: undefined });
    });

    it("takes the default from the stack file over the preset, and keeps each team's other settings", () => {
      expect(budgets(stack("dev", { defaultTeamMonthlyBudgetUsd: 25 }))).toEqual({ vision: 2000, nlp: 25, free: 25 });
      expect(gatewayArgs(parsePlatformConfig(stack("prod"), FILE), {})!.teams!["free"]).toEqual({ rpmLimit: 10, monthlyBudgetUsd: 500 });
    });

    it("reports a bad default at the default, once, not at the teams that use it", () => {
      expect(problemsOf(stack("prod", { defaultTeamMonthlyBudgetUsd: -5 }))).toEqual([
        `${FILE}: mlops-platform:gateway.defaultTeamMonthlyBudgetUsd: use a dollar amount of 0 or more, got -5`,
      ]);
    });
  });
});
