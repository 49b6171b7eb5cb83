/**
 * The platform's stack configuration: one zod schema for everything under the `mlops-platform:` namespace
 * of `stacks/Pulumi.<stack>.yaml`, environment presets applied first (stack values override), and errors a
 * user can act on: every problem of a file at once, each naming the file, the key path, the bad value and
 * what is allowed.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  CAPACITY_TYPES,
  GATEWAY_PROVIDERS,
  gatewayModelProblems,
  GPU_TYPES,
  gpuTypesOn,
  gpusPerNodeOptions,
  isCidr,
  isDnsLabel,
  isExactChartVersion,
  isHostName,
  isPinnedImage,
  MIG_CAPABLE,
  type GpuType,
} from "@mlops-platform/components";
import { z } from "zod";

export const CONFIG_NAMESPACE = "mlops-platform";
export const ENVIRONMENTS = ["local", "dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
export const CLUSTER_PROVIDERS = ["aws", "azure", "gcp", "kind"] as const;


// Leaf schemas carry their own message: it is what the user reads after "<key>: ".
const positiveInt = () =>
  z.int({ error: "expected a positive integer" }).positive({ error: "expected a positive integer" });
const nonNegativeInt = () =>
  z.int({ error: "expected a whole number (0 or more)" }).nonnegative({ error: "expected a whole number (0 or more)" });
const positiveNumber = () =>
  z.number({ error: "expected a positive number" }).positive({ error: "expected a positive number" });
const DNS_LABEL_RULE = "a DNS label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)";
const dnsLabel = (what: string) =>
  z.string({ error: `expected ${what}: ${DNS_LABEL_RULE}` }).refine(isDnsLabel, { error: `expected ${what}: ${DNS_LABEL_RULE}` });
const nonEmptyString = (what: string) => z.string({ error: `expected ${what}` }).min(1, { error: `expected ${what}, not an empty string` });
const EXACT_VERSION_RULE = 'expected an exact version such as "v1.20.2" (no ranges, no "latest")';
const exactVersion = () => z.string({ error: EXACT_VERSION_RULE }).refine(isExactChartVersion, { error: EXACT_VERSION_RULE });
const PINNED_IMAGE_RULE = 'expected an image reference pinned to a tag or digest (not "latest")';
const pinnedImage = () => z.string({ error: PINNED_IMAGE_RULE }).refine(isPinnedImage, { error: PINNED_IMAGE_RULE });
const CIDR_RULE = 'expected a CIDR such as "10.20.0.0/16"';
const cidr = () => z.string({ error: CIDR_RULE }).refine(isCidr, { error: CIDR_RULE });
const priorityValue = () =>
  z
    .int({ error: "expected a whole number from 0 to 1000000000" })
    .min(0, { error: "expected a whole number from 0 to 1000000000" })
    .max(1_000_000_000, { error: "expected a whole number from 0 to 1000000000" });

const clusterSchema = z.strictObject({
  /** Where the cluster runs; decides GPU pool flavours and storage defaults. */
  provider: z.enum(CLUSTER_PROVIDERS),
  /** kubeconfig context to deploy to; unset means the current context. */
  context: nonEmptyString("a kubeconfig context name").optional(),
  /** IngressClass for anything the stack exposes; unset means nothing uses Ingress. */
  ingressClass: dnsLabel("an IngressClass name").optional(),
  /** Gateway API GatewayClass for anything the stack exposes. */
  gatewayClass: dnsLabel("a GatewayClass name").optional(),
  certManager: z
    .strictObject({
      enabled: z.boolean({ error: "expected true or false" }).default(true),
      version: exactVersion().optional(),
      namespace: dnsLabel("a namespace name").default("cert-manager"),
      replicas: positiveInt().optional(),
    })
    .prefault({}),
  priorityClasses: z
    .strictObject({
      prefix: dnsLabel("a name prefix").default("mlp"),
      servingValue: priorityValue().default(100000),
      notebooksValue: priorityValue().default(50000),
      trainingValue: priorityValue().default(10000),
    })
    .prefault({}),
});

const teamSchema = z.strictObject({
  /** Team name; its namespace is `team-<name>`. */
  name: dnsLabel("a team name").refine((name) => name.length <= 58, {
    error: "expected a team name of at most 58 characters (its namespace is team-<name>)",
  }),
  /** Identity-provider groups whose members administer the team's namespace. */
  owners: z.array(nonEmptyString("a group name"), { error: "expected a list of group names" }).min(1, {
    error: "expected at least one owner group",
  }),
  /** Identity-provider groups whose members work in the team's namespace. */
  members: z.array(nonEmptyString("a group name"), { error: "expected a list of group names" }).default([]),
  quota: z.strictObject({
    cpu: positiveNumber(),
    memoryGiB: positiveNumber(),
    gpus: nonNegativeInt().default(0),
    storageGiB: positiveNumber(),
  }),
  /** What the team may do through the AI gateway. */
  gateway: z
    .strictObject({
      models: z.array(dnsLabel("a model name"), { error: "expected a list of model names" }).optional(),
      monthlyBudgetUsd: positiveNumber().optional(),
      tpmLimit: positiveInt().optional(),
      rpmLimit: positiveInt().optional(),
    })
    .optional(),
  /** Addresses outside the cluster the team's pods may reach (package mirrors, object storage). */
  egressCidrs: z
    .array(cidr(), { error: "expected a list of CIDRs" })
    .default([]),
});

export const GPU_WORKLOADS = ["notebooks", "training", "serving", "batch"] as const;

const gpuPoolSchema = z
  .strictObject({
    name: dnsLabel("a pool name").refine((name) => name.length <= 40, { error: "expected a pool name of at most 40 characters" }),
    gpu: z.enum(GPU_TYPES),
    gpusPerNode: positiveInt().default(1),
    capacity: z
      .array(z.enum(CAPACITY_TYPES), { error: 'expected a list such as ["spot", "on-demand"]' })
      .min(1, { error: "expected at least one capacity type" })
      .refine((list) => new Set(list).size === list.length, { error: "expected each capacity type once" })
      .default(["on-demand"]),
    minNodes: nonNegativeInt().default(0),
    maxGpus: positiveInt(),
    consolidateAfterMinutes: positiveInt().default(30),
    /** 0: nodes never expire. */
    expireAfterHours: nonNegativeInt().default(720),
    sharing: z
      .strictObject({
        timeSlicingReplicas: z
          .int({ error: "expected a whole number from 2 to 64" })
          .min(2, { error: "expected a whole number from 2 to 64" })
          .max(64, { error: "expected a whole number from 2 to 64" })
          .optional(),
        mig: z
          .string({ error: 'expected a MIG layout such as "all-1g.10gb"' })
          .regex(/^(all-[0-9a-z.]+|all-balanced)$/, { error: 'expected a MIG layout such as "all-1g.10gb" or "all-balanced"' })
          .optional(),
      })
      .refine((s) => s.timeSlicingReplicas === undefined || s.mig === undefined, { error: "expected either timeSlicingReplicas or mig, not both" })
      .optional(),
    labels: z.record(z.string(), z.string({ error: "expected label values to be strings" }), { error: "expected a mapping of labels" }).default({}),
    workloads: z.array(z.enum(GPU_WORKLOADS), { error: "expected a list of workloads" }).default([]),
  })
  // Only meaningful once the numbers themselves are valid; otherwise their own messages say enough.
  .refine((pool) => !(pool.maxGpus >= 1 && pool.minNodes >= 0) || pool.maxGpus >= pool.minNodes * pool.gpusPerNode, {
    error: "expected maxGpus to allow at least minNodes × gpusPerNode GPUs",
    path: ["maxGpus"],
  });

const gpuSchema = z.strictObject({
  pools: z.array(gpuPoolSchema, { error: "expected a list of GPU pools" }).default([]),
  /** Monthly GPU spend the stack may reach at every pool's maxGpus; over it, the cost policy fails. */
  monthlyBudgetUsd: z.number({ error: "expected a number of US dollars (0 or more)" }).nonnegative({ error: "expected a number of US dollars (0 or more)" }),
  operator: z
    .strictObject({
      version: exactVersion().optional(),
      /** Needs the Prometheus Operator's CRDs in the cluster. */
      serviceMonitor: z.boolean({ error: "expected true or false" }).default(true),
    })
    .prefault({}),
  aws: z
    .strictObject({
      nodeRole: nonEmptyString("the IAM role name of Karpenter nodes"),
      discoveryTag: nonEmptyString("the karpenter.sh/discovery tag value (usually the cluster name)"),
      amiAlias: z
        .string({ error: 'expected a pinned EKS AMI alias such as "al2023@v20251108"' })
        .regex(/^(al2023|bottlerocket)@v\d{8}$/, { error: 'expected a pinned EKS AMI alias such as "al2023@v20251108"' }),
      rootVolumeGiB: positiveInt().default(200),
    })
    .optional(),
  azure: z
    .strictObject({
      imageFamily: z.enum(["Ubuntu2204", "Ubuntu2404", "AzureLinux"]).default("Ubuntu2204"),
      osDiskSizeGB: positiveInt().default(200),
    })
    .optional(),
});

const notebooksSchema = z.strictObject({
  enabled: z.boolean({ error: "expected true or false" }).default(true),
  culling: z.strictObject({
    enabled: z.boolean({ error: "expected true or false" }),
    /** Minutes without kernel activity before a notebook is stopped. */
    idleMinutes: positiveInt(),
    checkPeriodMinutes: positiveInt().default(1),
  }),
  /** Images offered besides Kubeflow's three. */
  images: z
    .array(
      z.strictObject({
        name: dnsLabel("an image name"),
        image: pinnedImage(),
        cuda: z.boolean({ error: "expected true or false" }).default(false),
      }),
      { error: "expected a list of images" },
    )
    .default([]),
  /** Sizes offered besides small, medium, large, gpu-1 and gpu-2. */
  sizes: z
    .array(z.strictObject({ name: dnsLabel("a size name"), cpu: positiveNumber(), memoryGiB: positiveNumber(), gpus: nonNegativeInt().default(0) }), {
      error: "expected a list of sizes",
    })
    .default([]),
  defaultWorkspaceGiB: positiveInt().default(10),
  /** Needs the Prometheus Operator's CRDs in the cluster. */
  podMonitor: z.boolean({ error: "expected true or false" }).default(true),
  /** Notebooks from outside the cluster, behind OIDC sign-in; off means port-forward only. */
  access: z
    .strictObject({
      enabled: z.boolean({ error: "expected true or false" }).default(false),
      host: z
        .string({ error: "expected a host name such as notebooks.dev.example.com" })
        .refine(isHostName, { error: "expected a host name such as notebooks.dev.example.com" })
        .optional(),
      /** Attach to this Gateway (Gateway API) instead of an Ingress of cluster.ingressClass. */
      gateway: z.strictObject({ name: dnsLabel("a Gateway name"), namespace: dnsLabel("a namespace name") }).optional(),
      tlsSecretName: dnsLabel("a Secret name").optional(),
      oidc: z
        .strictObject({
          issuerUrl: z.string({ error: "expected the issuer's https:// URL" }).regex(/^https:\/\/\S+$/, { error: "expected the issuer's https:// URL" }),
          clientId: nonEmptyString("the OIDC client id"),
        })
        .optional(),
    })
    .prefault({}),
});

const trainingSchema = z.strictObject({
  enabled: z.boolean({ error: "expected true or false" }).default(true),
  trainerVersion: exactVersion().optional(),
  /** Fair GPU sharing between teams: each team's quota guaranteed, idle GPUs lent. */
  kueue: z.strictObject({
    enabled: z.boolean({ error: "expected true or false" }),
    version: exactVersion().optional(),
  }),
});

const SECRET_KEY_NAME = /^[a-z][A-Za-z0-9]*$/;

const gatewaySchema = z.strictObject({
  /** Unset: the gateway runs exactly when models are listed. */
  enabled: z.boolean({ error: "expected true or false" }).optional(),
  models: z
    .array(
      z.strictObject({
        name: dnsLabel("a model name"),
        provider: z.enum(GATEWAY_PROVIDERS),
        model: nonEmptyString("the provider's model name"),
        apiBase: z.string({ error: "expected an http(s) URL" }).regex(/^https?:\/\/\S+$/, { error: "expected an http(s) URL" }).optional(),
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
  cache: z
    .strictObject({ enabled: z.boolean({ error: "expected true or false" }).default(true), ttlSeconds: positiveInt().default(600) })
    .prefault({}),
  /** Prompt templates (dotprompt: optional front matter, then System:/User: with {{variables}}). */
  prompts: z
    .array(z.strictObject({ id: dnsLabel("a prompt id"), template: nonEmptyString("a dotprompt template") }), { error: "expected a list of prompts" })
    .default([]),
  image: pinnedImage().optional(),
  /** Needs the Prometheus Operator's CRDs in the cluster. */
  serviceMonitor: z.boolean({ error: "expected true or false" }).default(true),
  /** The gateway's admin URL as reachable from where pulumi up runs; with it, teams get keys and budgets. */
  adminUrl: z.string({ error: "expected an http(s) URL" }).regex(/^https?:\/\/\S+$/, { error: "expected an http(s) URL" }).optional(),
  /** PostgreSQL (CloudNativePG) for keys, teams and spend. */
  database: z
    .strictObject({
      enabled: z.boolean({ error: "expected true or false" }).default(true),
      instances: positiveInt(),
      storageGiB: positiveInt().default(10),
      /** Keep the database (and its password) when the stack or the resource goes away. */
      protect: z.boolean({ error: "expected true or false" }),
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
});

export const platformConfigSchema = z.strictObject({
  environment: z.enum(ENVIRONMENTS),
  cluster: clusterSchema,
  availability: z
    .strictObject({
      /** Replicas of every platform service that can run more than one (cert-manager, gateway, ...). */
      replicas: positiveInt(),
    })
    .prefault({ replicas: 1 }),
  // The environment preset always sets the budget; 0 only applies when the environment itself is invalid.
  gpu: gpuSchema.prefault({ monthlyBudgetUsd: 0 }),
  // The preset always sets culling; the fallback only applies when the environment itself is invalid.
  notebooks: notebooksSchema.prefault({ culling: { enabled: true, idleMinutes: 60 } }),
  training: trainingSchema.prefault({ kueue: { enabled: false } }),
  gateway: gatewaySchema.prefault({}),
  policies: z
    .strictObject({
      /** Services allowed to be LoadBalancer or NodePort, as `namespace/name`. */
      allowedExternalServices: z
        .array(
          z.string({ error: 'expected "namespace/name"' }).regex(/^[a-z0-9-]+\/[a-z0-9.-]+$/, { error: 'expected "namespace/name"' }),
          { error: "expected a list of namespace/name" },
        )
        .default([]),
      /** Namespaces where privileged pods and GPU tolerations are expected (system agents). */
      systemNamespaces: z.array(dnsLabel("a namespace name"), { error: "expected a list of namespace names" }).optional(),
    })
    .prefault({}),
  teams: z
    .array(teamSchema, { error: "expected a list of teams" })
    .default([])
    .superRefine((teams, ctx) => {
      const first = new Map<string, number>();
      teams.forEach((team, index) => {
        const earlier = first.get(team.name);
        if (earlier === undefined) first.set(team.name, index);
        else ctx.addIssue({ code: "custom", path: [index, "name"], message: `duplicate team name (also teams[${earlier}].name)` });
      });
    }),
});

/**
 * Checks that need more than one section: GPU pools against the cluster's provider, and pool names.
 * Uses the components' GPU catalog, so config and components agree on what each cloud offers.
 */
export const checkedPlatformConfigSchema = platformConfigSchema.superRefine((config, ctx) => {
  const provider = config.cluster.provider;
  const pools = config.gpu.pools;
  const names = new Map<string, number>();
  pools.forEach((pool, index) => {
    const at = (...path: PropertyKey[]) => ["gpu", "pools", index, ...path];
    const earlier = names.get(pool.name);
    if (earlier !== undefined) ctx.addIssue({ code: "custom", path: at("name"), message: `duplicate pool name (also gpu.pools[${earlier}].name)` });
    else names.set(pool.name, index);
    if (provider === "kind") return;
    const offered = gpuTypesOn(provider);
    if (!offered.includes(pool.gpu)) {
      ctx.addIssue({ code: "custom", path: at("gpu"), message: `expected a GPU that ${provider} offers: ${offered.join(", ")}` });
      return;
    }
    const sizes = gpusPerNodeOptions(provider, pool.gpu);
    if (!sizes.includes(pool.gpusPerNode)) {
      ctx.addIssue({ code: "custom", path: at("gpusPerNode"), message: `expected one of ${sizes.join(", ")} (the ${pool.gpu} node sizes on ${provider})` });
    }
    if (provider === "gcp" && pool.sharing !== undefined) {
      ctx.addIssue({ code: "custom", path: at("sharing"), message: "expected no sharing on gcp pools: GKE sets GPU sharing on its node pools" });
    }
    if (pool.sharing?.mig !== undefined && !MIG_CAPABLE.has(pool.gpu as GpuType)) {
      ctx.addIssue({ code: "custom", path: at("sharing", "mig"), message: `expected MIG only on ${[...MIG_CAPABLE].join(", ")}` });
    }
  });
  if (pools.length > 0 && provider === "kind") {
    ctx.addIssue({
      code: "custom",
      path: ["gpu", "pools"],
      message: 'expected no GPU pools: cluster.provider is "kind" (CPU only); remove them or deploy to aws, azure or gcp',
    });
  }
  if (config.gateway.enabled === true || config.gateway.models.length > 0) {
    if (config.gateway.models.length === 0) {
      ctx.addIssue({ code: "custom", path: ["gateway", "models"], message: "expected at least one model when the gateway is enabled" });
    }
    const db = config.gateway.database;
    if (db.enabled && db.backup === undefined && config.environment !== "local") {
      ctx.addIssue({
        code: "custom",
        path: ["gateway", "database", "backup"],
        message: `required in ${config.environment}: destinationPath and credentialsSecretName of the object store for base backups and WAL`,
      });
    }
    const served = new Set(config.gateway.models.map((model) => model.name));
    config.teams.forEach((team, index) => {
      (team.gateway?.models ?? []).forEach((model, i) => {
        if (!served.has(model)) {
          ctx.addIssue({ code: "custom", path: ["teams", index, "gateway", "models", i], message: `expected one of the gateway's models: ${[...served].join(", ")}` });
        }
      });
    });
    for (const problem of gatewayModelProblems(config.gateway.models)) {
      const [where, message] = [problem.slice(0, problem.indexOf(":")), problem.slice(problem.indexOf(":") + 2)];
      const path = where.split(/[.[\]]/).filter(Boolean).map((part) => (/^\d+$/.test(part) ? Number(part) : part));
      ctx.addIssue({ code: "custom", path: ["gateway", ...path], message });
    }
  }
  const access = config.notebooks.access;
  if (access.enabled) {
    if (access.host === undefined) ctx.addIssue({ code: "custom", path: ["notebooks", "access", "host"], message: "required when access is enabled" });
    if (access.oidc === undefined) ctx.addIssue({ code: "custom", path: ["notebooks", "access", "oidc"], message: "required when access is enabled: issuerUrl, clientId" });
    if (access.gateway === undefined && config.cluster.ingressClass === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["notebooks", "access", "gateway"],
        message: "required when access is enabled and cluster.ingressClass is not set: expose through a Gateway or an IngressClass",
      });
    }
  }
  if (pools.length > 0 && provider === "aws" && config.gpu.aws === undefined) {
    ctx.addIssue({ code: "custom", path: ["gpu", "aws"], message: "required for GPU pools on aws: nodeRole, discoveryTag, amiAlias" });
  }
});

/** The validated stack configuration, every preset and default applied. */
export type PlatformConfig = z.infer<typeof platformConfigSchema>;

/**
 * Environment presets (DESIGN.md §7): applied first, then the stack file's values override them. Each
 * capability adds its column when it lands.
 */
export const ENVIRONMENT_PRESETS: Readonly<Record<Environment, Record<string, unknown>>> = {
  local: {
    availability: { replicas: 1 },
    gpu: { monthlyBudgetUsd: 0 },
    notebooks: { culling: { enabled: true, idleMinutes: 30 } },
    training: { kueue: { enabled: false } },
    gateway: { database: { instances: 1, protect: false } },
  },
  dev: {
    availability: { replicas: 1 },
    gpu: { monthlyBudgetUsd: 5000 },
    notebooks: { culling: { enabled: true, idleMinutes: 30 } },
    training: { kueue: { enabled: false } },
    gateway: { database: { instances: 1, protect: false } },
  },
  staging: {
    availability: { replicas: 2 },
    gpu: { monthlyBudgetUsd: 25000 },
    notebooks: { culling: { enabled: true, idleMinutes: 60 } },
    training: { kueue: { enabled: true } },
    gateway: { database: { instances: 2, protect: false } },
  },
  prod: {
    availability: { replicas: 2 },
    gpu: { monthlyBudgetUsd: 250000 },
    notebooks: { culling: { enabled: true, idleMinutes: 120 } },
    training: { kueue: { enabled: true } },
    gateway: { database: { instances: 3, protect: true } },
  },
};

/** All problems of one stack file; `message` lists every one, a line each. */
export class ConfigError extends Error {
  constructor(
    public readonly stackFile: string,
    public readonly problems: string[],
  ) {
    super(`${stackFile} has ${problems.length} configuration ${problems.length === 1 ? "error" : "errors"}:\n${problems.join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Keys that hold secrets. They must be set with `pulumi config set --secret`; the program reads them with
 * `getSecret`, so their values never enter `PlatformConfig` (which is plain and may be logged).
 */
export const SECRET_CONFIG_KEYS: Readonly<Record<string, string>> = {
  kubeconfig: "the contents of a kubeconfig file, for deploying from CI: pulumi config set --secret kubeconfig < kubeconfig.yaml",
  notebookOidcClientSecret: "the OIDC client secret of notebook sign-in: pulumi config set --secret notebookOidcClientSecret <secret>",
};

/**
 * Validates raw stack configuration (keys without the `mlops-platform:` prefix) and applies the environment
 * preset. `secretKeys` names the raw keys that are Pulumi secrets. Throws `ConfigError` with every problem
 * when anything is wrong. Pure: no Pulumi runtime needed.
 */
export function parsePlatformConfig(
  raw: Record<string, unknown>,
  stackFile: string,
  secretKeys: ReadonlySet<string> = new Set(),
): PlatformConfig {
  const problems: string[] = [];
  const plain: Record<string, unknown> = {};
  const providerKeys = referencedProviderKeys(raw);
  for (const key of providerKeys) {
    if (!(key in raw)) {
      problems.push(`${stackFile}: ${keyPath([key])}: required: a gateway model's apiKey names it; set it with pulumi config set --secret ${key} <provider key>`);
    }
  }
  for (const [key, value] of Object.entries(raw)) {
    const purpose = SECRET_CONFIG_KEYS[key] ?? (providerKeys.has(key) ? `a provider key for the AI gateway: pulumi config set --secret ${key} <key>` : undefined);
    if (purpose === undefined) plain[key] = value;
    else if (!secretKeys.has(key)) {
      problems.push(`${stackFile}: ${keyPath([key])}: must be a secret (${purpose}); it is stored in plain text`);
    }
  }
  const environment = plain["environment"];
  const preset = typeof environment === "string" && isEnvironment(environment) ? ENVIRONMENT_PRESETS[environment] : {};
  const merged = deepMerge(preset, plain);
  const result = checkedPlatformConfigSchema.safeParse(merged, { error: (issue) => describeIssue(issue) });
  if (!result.success) problems.push(...result.error.issues.flatMap((issue) => formatIssue(issue, merged, stackFile)));
  if (result.success && result.data.notebooks.access.enabled && !("notebookOidcClientSecret" in raw)) {
    problems.push(`${stackFile}: ${keyPath(["notebookOidcClientSecret"])}: required when notebooks.access is enabled; ${SECRET_CONFIG_KEYS["notebookOidcClientSecret"]}`);
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(stackFile, problems);
  return result.data;
}

/** Names of the secret config keys the gateway's models read their provider keys from. */
export function referencedProviderKeys(raw: Record<string, unknown>): Set<string> {
  const gateway = raw["gateway"];
  const models = gateway && typeof gateway === "object" ? (gateway as Record<string, unknown>)["models"] : undefined;
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
 * The platform's keys from Pulumi's flat config map (`<namespace>:<key>` to text), prefix removed and
 * structured values decoded from JSON, as `pulumi.Config#getObject` would.
 */
export function rawPlatformConfig(all: Readonly<Record<string, string>>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const prefix = `${CONFIG_NAMESPACE}:`;
  for (const [key, value] of Object.entries(all)) {
    if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = decodeConfigValue(value);
  }
  return raw;
}

/** The stack file Pulumi reads for a stack (`stackConfigDir: stacks` in Pulumi.yaml). */
export function stackFileFor(stack: string): string {
  return `stacks/Pulumi.${stack}.yaml`;
}

/**
 * Reads the running stack's configuration from Pulumi (under `pulumi up` or the offline render) and
 * validates it. On bad config it throws a `RunError`, which Pulumi prints without a stack trace.
 */
export function loadPlatformConfig(): PlatformConfig {
  const stackFile = stackFileFor(pulumi.getStack());
  const raw = rawPlatformConfig(pulumi.runtime.allConfig());
  const secretKeys = new Set(Object.keys(raw).filter((key) => isConfigSecret(`${CONFIG_NAMESPACE}:${key}`)));
  try {
    return parsePlatformConfig(raw, stackFile, secretKeys);
  } catch (err) {
    if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
    throw err;
  }
}

/** Whether Pulumi holds a config key as a secret. The SDK has this check but does not declare its type. */
function isConfigSecret(fullKey: string): boolean {
  const check = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
  if (check === undefined) throw new Error("this @pulumi/pulumi version has no runtime.isConfigSecret");
  return check(fullKey);
}

/** Pulumi hands structured config over as JSON text and scalars as plain text. */
function decodeConfigValue(value: string): unknown {
  const trimmed = value.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return value;
    }
  }
  return value;
}

function isEnvironment(value: string): value is Environment {
  return (ENVIRONMENTS as readonly string[]).includes(value);
}

/** Objects merge key by key; anything else (lists included) from `override` replaces `base`. */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(override)) out[key] = key in base ? deepMerge(base[key], value) : value;
    return out;
  }
  return override === undefined ? base : override;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

/** Messages for structural problems; leaf schemas above carry their own. */
function describeIssue(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "required";
      return `expected ${articleFor(issue.expected)}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return undefined;
  }
}

function articleFor(expected: string): string {
  switch (expected) {
    case "object":
      return "a mapping of keys to values";
    case "array":
      return "a list";
    case "boolean":
      return "true or false";
    case "string":
      return "a string";
    case "number":
      return "a number";
    default:
      return expected;
  }
}

function formatIssue(issue: Issue, input: unknown, stackFile: string): string[] {
  if (issue.code === "unrecognized_keys") {
    const allowed = allowedKeysAt(issue.path);
    return issue.keys.map((key) => {
      const hint = closest(key, allowed);
      const where = keyPath([...issue.path, key]);
      const suggestion = hint ? `did you mean "${hint}"? ` : "";
      return `${stackFile}: ${where}: unknown key; ${suggestion}allowed keys: ${allowed.join(", ")}`;
    });
  }
  const value = valueAt(input, issue.path);
  const where = keyPath(issue.path);
  if (value === undefined) {
    const expected = issue.code === "invalid_value" ? `; ${issue.message}` : issue.message === "required" ? "" : `; ${issue.message}`;
    return [`${stackFile}: ${where}: required${expected}`];
  }
  return [`${stackFile}: ${where}: ${issue.message}, got ${JSON.stringify(value)}`];
}

/** `mlops-platform:teams[1].quota.cpu` */
export function keyPath(path: readonly PropertyKey[]): string {
  let out = CONFIG_NAMESPACE;
  path.forEach((part, index) => {
    if (typeof part === "number") out += `[${part}]`;
    else out += `${index === 0 ? ":" : "."}${String(part)}`;
  });
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/** The keys the schema allows at a path, for "did you mean" hints. */
function allowedKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.core.$ZodType | undefined = platformConfigSchema;
  for (const part of path) {
    schema = schema && unwrap(schema);
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.core.$ZodType>)[String(part)];
    else if (schema instanceof z.ZodArray) schema = schema.element as z.core.$ZodType;
    else return [];
  }
  schema = schema && unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    const def = current._zod.def as { innerType?: z.core.$ZodType; in?: z.core.$ZodType; type: string };
    if (def.innerType) current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else return current;
  }
}

/**
 * The allowed key nearest to `key` by edit distance, when it is near enough to be a typo. Ties go to the
 * key sharing the longer prefix (`gpu` means `gpus`, not `cpu`).
 */
export function closest(key: string, allowed: readonly string[]): string | undefined {
  const typed = key.toLowerCase();
  let best: { candidate: string; distance: number; prefix: number } | undefined;
  for (const candidate of allowed) {
    const lower = candidate.toLowerCase();
    const distance = editDistance(typed, lower);
    const prefix = sharedPrefixLength(typed, lower);
    if (!best || distance < best.distance || (distance === best.distance && prefix > best.prefix)) {
      best = { candidate, distance, prefix };
    }
  }
  return best && best.distance <= Math.max(2, Math.floor(best.candidate.length / 3)) ? best.candidate : undefined;
}

function sharedPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
