/**
 * The AI gateway (`mlops-platform:gateway`): models and their provider keys (named secret config keys),
 * cache, prompt templates and the PostgreSQL behind keys, teams and spend.
 */
import type { GatewayProvider, MlPlatformGatewayArgs } from "@mlops-platform/components";
import { z } from "zod";
import type { PlatformConfig } from "../config.js";
import type { Capability, PlatformSecrets } from "./capability.js";
import { backupArgs, backupSection, BACKUP_REQUIRED, recoverySection } from "./backup.js";
import { checkedString, flag, SECRET_KEY_NAME } from "./fields.js";

export { SECRET_KEY_NAME } from "./fields.js";

// Models, prompts, cache, image and the database are AiGateway's and PostgresCluster's to check; the stack
// keeps what is its own: which config keys hold provider keys, and what an environment requires.
const gatewaySection = z
  .strictObject({
    /** Unset: the gateway runs exactly when models are listed. */
    enabled: flag().optional(),
    models: z
      .array(
        z.strictObject({
          name: z.string(),
          provider: checkedString<GatewayProvider>(),
          model: z.string(),
          apiBase: z.string().optional(),
          apiVersion: z.string().optional(),
          /** Name of the secret stack config key holding the provider key (pulumi config set --secret <name> ...). */
          apiKey: z
            .string({ error: "expected the name of a secret config key, such as openaiApiKey" })
            .regex(SECRET_KEY_NAME, { error: "expected the name of a secret config key, such as openaiApiKey" })
            .optional(),
          rpm: z.number().optional(),
          tpm: z.number().optional(),
          fallbacks: z.array(z.string(), { error: "expected a list of model names" }).default([]),
        }),
        { error: "expected a list of models" },
      )
      .default([]),
    cache: z.strictObject({ enabled: flag().default(true), ttlSeconds: z.number().default(600) }).prefault({}),
    /** Prompt templates (dotprompt: optional front matter, then System:/User: with {{variables}}). */
    prompts: z.array(z.strictObject({ id: z.string(), template: z.string() }), { error: "expected a list of prompts" }).default([]),
    image: z.string().optional(),
    /** A ServiceMonitor for the gateway; unset: exactly when the Prometheus Operator is there. */
    serviceMonitor: flag().optional(),
    /**
     * The gateway's admin URL as reachable from where pulumi up runs: with it, teams and keys are managed from
     * there (GatewayTeam); unset, a reconciler in the cluster manages them (see docs/gateway-teams.md).
     */
    adminUrl: z.string().optional(),
    /**
     * Monthly budget (USD) of every team whose teams[].gateway sets none. Preset: none in local and dev, 100
     * in staging, 500 in prod, where gateway-team-budgets requires a budget for every team.
     */
    defaultTeamMonthlyBudgetUsd: z.number().optional(),
    /** PostgreSQL (CloudNativePG) for keys, teams and spend. */
    database: z
      .strictObject({
        enabled: flag().default(true),
        instances: z.number(),
        storageGiB: z.number().default(10),
        /** Keep the database (and its password) when the stack or the resource goes away. */
        protect: flag(),
        backup: backupSection.optional(),
        /** Create the database from its backups, up to a point in time (docs/runbooks.md: disaster recovery). */
        recovery: recoverySection.optional(),
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
    staging: { database: { instances: 2, protect: true }, defaultTeamMonthlyBudgetUsd: 100 },
    prod: { database: { instances: 3, protect: true }, defaultTeamMonthlyBudgetUsd: 500 },
  },
  argPaths: [[/^gateway\.replicas$/, "availability.replicas"]],
  check(config, report) {
    const db = config.gateway.database;
    // What an environment asks of the gateway: its database backed up everywhere but on a laptop.
    if (gatewayEnabled(config) && db.enabled && db.backup === undefined && config.environment !== "local") {
      report(
        ["gateway", "database", "backup"],
        `required in ${config.environment}: ${BACKUP_REQUIRED}`,
      );
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
    teams: Object.fromEntries(
      config.teams.flatMap((team) => {
        const budget = team.gateway?.monthlyBudgetUsd ?? section.defaultTeamMonthlyBudgetUsd;
        const settings = { ...team.gateway, ...(budget !== undefined ? { monthlyBudgetUsd: budget } : {}) };
        return Object.keys(settings).length > 0 ? [[team.name, settings] as const] : [];
      }),
    ),
    ...(database.enabled
      ? {
          database: {
            instances: database.instances,
            storageGiB: database.storageGiB,
            protect: database.protect,
            ...(secrets["gatewayDatabasePassword"] !== undefined ? { password: secrets["gatewayDatabasePassword"] } : {}),
            ...(database.backup ? { backup: backupArgs(database.backup, secrets) } : {}),
            ...(database.recovery ? { recovery: database.recovery } : {}),
          },
        }
      : {}),
  };
}
