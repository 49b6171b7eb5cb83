/**
 * The AI gateway (`mlops-platform:gateway`): models and their provider keys (named secret config keys),
 * cache, prompt templates and the PostgreSQL behind keys, teams and spend.
 */
import { GATEWAY_PROVIDERS, gatewayModelProblems, type MlPlatformGatewayArgs } from "@mlops-platform/components";
import { z } from "zod";
import type { PlatformConfig } from "../config.js";
import type { Capability, PlatformSecrets } from "./capability.js";
import { dnsLabel, flag, httpUrl, nonEmptyString, pinnedImage, positiveInt } from "./fields.js";

/** What a config key naming a secret looks like (`openaiApiKey`). */
export const SECRET_KEY_NAME = /^[a-z][A-Za-z0-9]*$/;

const gatewaySection = z
  .strictObject({
    /** Unset: the gateway runs exactly when models are listed. */
    enabled: flag().optional(),
    models: z
      .array(
        z.strictObject({
          name: dnsLabel("a model name"),
          provider: z.enum(GATEWAY_PROVIDERS),
          model: nonEmptyString("the provider's model name"),
          apiBase: httpUrl().optional(),
          apiVersion: nonEmptyString("an API version").optional(),
          /** Name of the secret stack config key holding the provider key (pulumi config set --secret <name> ...). */
          apiKey: z
            .string({ error: "expected the name of a secret config key, such as openaiApiKey" })
            .regex(SECRET_KEY_NAME, { error: "expected the name of a secret config key, such as openaiApiKey" })
            .optional(),
          rpm: positiveInt().optional(),
          tpm: positiveInt().optional(),
          fallbacks: z.array(dnsLabel("a model name"), { error: "expected a list of model names" }).default([]),
        }),
        { error: "expected a list of models" },
      )
      .default([]),
    cache: z.strictObject({ enabled: flag().default(true), ttlSeconds: positiveInt().default(600) }).prefault({}),
    /** Prompt templates (dotprompt: optional front matter, then System:/User: with {{variables}}). */
    prompts: z
      .array(z.strictObject({ id: dnsLabel("a prompt id"), template: nonEmptyString("a dotprompt template") }), { error: "expected a list of prompts" })
      .default([]),
    image: pinnedImage().optional(),
    /** A ServiceMonitor for the gateway; unset: exactly when the Prometheus Operator is there. */
    serviceMonitor: flag().optional(),
    /** The gateway's admin URL as reachable from where pulumi up runs; with it, teams get keys and budgets. */
    adminUrl: httpUrl().optional(),
    /** PostgreSQL (CloudNativePG) for keys, teams and spend. */
    database: z
      .strictObject({
        enabled: flag().default(true),
        instances: positiveInt(),
        storageGiB: positiveInt().default(10),
        /** Keep the database (and its password) when the stack or the resource goes away. */
        protect: flag(),
        backup: z
          .strictObject({
            destinationPath: z
              .string({ error: "expected an s3://, gs:// or https:// (Azure Blob) path" })
              .regex(/^(s3|gs):\/\/\S+$|^https:\/\/\S+\.blob\.core\.windows\.net\/\S+$/, { error: "expected an s3://, gs:// or https:// (Azure Blob) path" }),
            credentialsSecretName: dnsLabel("the name of a Secret in mlp-gateway holding the object store credentials"),
            retentionDays: positiveInt().default(30),
          })
          .optional(),
      })
      .prefault({ instances: 1, protect: false }),
  })
  .prefault({});

export const gateway: Capability<"gateway", typeof gatewaySection> = {
  key: "gateway",
  section: gatewaySection,
  secrets: {
    gatewayMasterKey: "the gateway's master key (generated when unset): pulumi config set --secret gatewayMasterKey sk-<key>",
    gatewayValkeyPassword: "the password of the gateway's Valkey (generated when unset): pulumi config set --secret gatewayValkeyPassword <password>",
    gatewayDatabasePassword:
      "the password of the gateway database's owner (generated when unset): pulumi config set --secret gatewayDatabasePassword <password>",
  },
  presets: {
    local: { database: { instances: 1, protect: false } },
    dev: { database: { instances: 1, protect: false } },
    staging: { database: { instances: 2, protect: false } },
    prod: { database: { instances: 3, protect: true } },
  },
  check(config, report) {
    const section = config.gateway;
    if (!gatewayEnabled(config)) return;
    if (section.models.length === 0) report(["gateway", "models"], "expected at least one model when the gateway is enabled");
    const db = section.database;
    if (db.enabled && db.backup === undefined && config.environment !== "local") {
      report(
        ["gateway", "database", "backup"],
        `required in ${config.environment}: destinationPath and credentialsSecretName of the object store for base backups and WAL`,
      );
    }
    const served = new Set(section.models.map((model) => model.name));
    config.teams.forEach((team, index) => {
      (team.gateway?.models ?? []).forEach((model, i) => {
        if (!served.has(model)) report(["teams", index, "gateway", "models", i], `expected one of the gateway's models: ${[...served].join(", ")}`);
      });
    });
    for (const problem of gatewayModelProblems(section.models)) {
      const [where, message] = [problem.slice(0, problem.indexOf(":")), problem.slice(problem.indexOf(":") + 2)];
      const path = where.split(/[.[\]]/).filter(Boolean).map((part) => (/^\d+$/.test(part) ? Number(part) : part));
      report(["gateway", ...path], message);
    }
  },
};

/** The gateway runs when enabled explicitly, or (unset) exactly when models are listed. */
export function gatewayEnabled(config: PlatformConfig): boolean {
  return config.gateway.enabled ?? config.gateway.models.length > 0;
}

/** Names of the secret config keys the gateway's models read their provider keys from. */
export function referencedProviderKeys(raw: Record<string, unknown>): Set<string> {
  const section = raw["gateway"];
  const models = section && typeof section === "object" ? (section as Record<string, unknown>)["models"] : undefined;
  const names = new Set<string>();
  if (Array.isArray(models)) {
    for (const model of models) {
      const apiKey = model && typeof model === "object" ? (model as Record<string, unknown>)["apiKey"] : undefined;
      if (typeof apiKey === "string" && SECRET_KEY_NAME.test(apiKey)) names.add(apiKey);
    }
  }
  return names;
}

/**
 * The gateway section of MlPlatformArgs; undefined when the stack runs no gateway. `secrets` holds the
 * provider keys the models name (by config key) and the gateway's own secrets when the stack sets them.
 */
export function gatewayArgs(config: PlatformConfig, secrets: PlatformSecrets): MlPlatformGatewayArgs | undefined {
  if (!gatewayEnabled(config)) return undefined;
  const section = config.gateway;
  const database = section.database;
  return {
    models: section.models.map(({ apiKey, ...model }) => ({
      ...model,
      ...(apiKey !== undefined && secrets[apiKey] !== undefined ? { apiKey: secrets[apiKey] } : {}),
    })),
    cache: section.cache,
    prompts: section.prompts,
    replicas: config.availability.replicas,
    ...(secrets["gatewayMasterKey"] !== undefined ? { masterKey: secrets["gatewayMasterKey"] } : {}),
    ...(secrets["gatewayValkeyPassword"] !== undefined ? { valkeyPassword: secrets["gatewayValkeyPassword"] } : {}),
    ...(section.serviceMonitor !== undefined ? { serviceMonitor: section.serviceMonitor } : {}),
    ...(section.image ? { image: section.image } : {}),
    ...(section.adminUrl ? { adminUrl: section.adminUrl } : {}),
    teams: Object.fromEntries(config.teams.flatMap((team) => (team.gateway ? [[team.name, team.gateway] as const] : []))),
    ...(database.enabled
      ? {
          database: {
            instances: database.instances,
            storageGiB: database.storageGiB,
            protect: database.protect,
            ...(secrets["gatewayDatabasePassword"] !== undefined ? { password: secrets["gatewayDatabasePassword"] } : {}),
            ...(database.backup ? { backup: database.backup } : {}),
          },
        }
      : {}),
  };
}
