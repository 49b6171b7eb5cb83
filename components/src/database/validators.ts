/**
 * Validators for the database kinds, written from the upstream CRDs (CloudNativePG v1.30.0 Cluster and
 * ScheduledBackup, barman-cloud plugin v0.14.0 ObjectStore): required fields, types, enums and unknown
 * fields at every level the platform writes, every other CRD field accepted by name. Then the rules the
 * CRDs express as CEL or the webhooks enforce, where a render can check them offline: cluster names,
 * initdb database and owner together, a versioned image, requests within limits, one WAL archiver, a
 * storage size, six-field cron schedules, one set of object store credentials.
 *
 * Imports nothing from `testing/` but the validator type, so the render kit can register these without an
 * import cycle.
 */
import type { ManifestValidator } from "../testing/validate.js";
import { checkSchema, DNS_SUBDOMAIN, s, type FieldSchema } from "../common/crd-schema.js";
import { cronScheduleProblem } from "./cron.js";
import { imageTagProblem } from "./manifests.js";
import { BARMAN_CLOUD_API_VERSION, CNPG_API_VERSION } from "./types.js";

/** A validator that answers synchronously (what every database validator does). */
export type SyncDatabaseValidator = (object: Record<string, unknown>) => string[];

type Json = Record<string, unknown>;
const field = (value: unknown, key: string): unknown => (value as Json | undefined)?.[key];
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const labelMap = s.mapOf(s.string);
const RESOURCES = s.object({ requests: s.mapOf(s.quantity), limits: s.mapOf(s.quantity), claims: s.any });
const SECRET_KEY = s.object({ name: s.name, key: s.string }, ["name", "key"]);
const LOG_LEVEL = s.enumOf("error", "warning", "info", "debug", "trace");

// Every `spec` field of Cluster v1 (CloudNativePG v1.30.0); those the platform sets are checked below.
const CLUSTER_SPEC_FIELDS = [
  "affinity", "backup", "bootstrap", "certificates", "description", "enablePDB", "enableSuperuserAccess", "env", "envFrom",
  "ephemeralVolumeSource", "ephemeralVolumesSizeLimit", "externalClusters", "failoverDelay", "imageCatalogRef", "imageName",
  "imagePullPolicy", "imagePullSecrets", "inheritedMetadata", "instances", "livenessProbeTimeout", "logLevel", "managed",
  "maxSyncReplicas", "minSyncReplicas", "monitoring", "nodeMaintenanceWindow", "plugins", "podSecurityContext", "podSelectorRefs",
  "postgresGID", "postgresUID", "postgresql", "primaryLease", "primaryUpdateMethod", "primaryUpdateStrategy", "priorityClassName",
  "probes", "projectedVolumeTemplate", "replica", "replicationSlots", "resources", "schedulerName", "seccompProfile",
  "securityContext", "serviceAccountName", "serviceAccountTemplate", "smartShutdownTimeout", "startDelay", "stopDelay", "storage",
  "superuserSecret", "switchoverDelay", "tablespaces", "topologySpreadConstraints", "walStorage",
];
const INITDB_FIELDS = [
  "builtinLocale", "dataChecksums", "database", "encoding", "icuLocale", "icuRules", "import", "locale", "localeCType",
  "localeCollate", "localeProvider", "options", "owner", "postInitApplicationSQL", "postInitApplicationSQLRefs", "postInitSQL",
  "postInitSQLRefs", "postInitTemplateSQL", "postInitTemplateSQLRefs", "secret", "walSegmentSize",
];

const CLUSTER_SPEC = s.known(
  CLUSTER_SPEC_FIELDS,
  {
    instances: s.integer(1),
    imageName: s.string,
    description: s.string,
    enablePDB: s.boolean,
    logLevel: LOG_LEVEL,
    primaryUpdateMethod: s.enumOf("switchover", "restart"),
    primaryUpdateStrategy: s.enumOf("unsupervised", "supervised"),
    priorityClassName: s.string,
    inheritedMetadata: s.object({ labels: labelMap, annotations: labelMap }),
    storage: s.known(["pvcTemplate"], { size: s.string, storageClass: s.string, resizeInUseVolumes: s.boolean }),
    bootstrap: s.known(["pg_basebackup", "recovery"], {
      initdb: s.known(INITDB_FIELDS, {
        database: s.string,
        owner: s.string,
        secret: s.object({ name: s.name }, ["name"]),
        postInitApplicationSQL: s.listOf(s.string),
        dataChecksums: s.boolean,
        encoding: s.string,
        locale: s.string,
        walSegmentSize: s.integer(1),
      }),
    }),
    resources: RESOURCES,
    plugins: s.listOf(s.object({ name: s.string, enabled: s.boolean, isWALArchiver: s.boolean, parameters: labelMap }, ["name"])),
  },
  ["instances"],
);

const SCHEDULED_BACKUP_SPEC = s.object(
  {
    cluster: s.object({ name: s.name }, ["name"]),
    schedule: s.string,
    method: s.enumOf("barmanObjectStore", "volumeSnapshot", "plugin"),
    pluginConfiguration: s.object({ name: s.string, parameters: labelMap }, ["name"]),
    immediate: s.boolean,
    suspend: s.boolean,
    online: s.boolean,
    onlineConfiguration: s.object({ immediateCheckpoint: s.boolean, waitForArchive: s.boolean }),
    backupOwnerReference: s.enumOf("none", "self", "cluster"),
    target: s.enumOf("primary", "prefer-standby"),
  },
  ["cluster", "schedule"],
);

const OBJECT_STORE_SPEC = s.object(
  {
    configuration: s.known(
      ["endpointCA", "historyTags", "tags"],
      {
        destinationPath: { type: "string", pattern: /\S/, patternHint: "a path such as s3://bucket/folder" },
        endpointURL: s.string,
        serverName: s.string,
        s3Credentials: s.object({
          accessKeyId: SECRET_KEY,
          secretAccessKey: SECRET_KEY,
          sessionToken: SECRET_KEY,
          region: SECRET_KEY,
          inheritFromIAMRole: s.boolean,
        }),
        azureCredentials: s.object({
          connectionString: SECRET_KEY,
          storageAccount: SECRET_KEY,
          storageKey: SECRET_KEY,
          storageSasToken: SECRET_KEY,
          inheritFromAzureAD: s.boolean,
          useDefaultAzureCredentials: s.boolean,
        }),
        googleCredentials: s.object({ applicationCredentials: SECRET_KEY, gkeEnvironment: s.boolean }),
        wal: s.known(["archiveAdditionalCommandArgs", "restoreAdditionalCommandArgs"], {
          compression: s.enumOf("bzip2", "gzip", "lz4", "snappy", "xz", "zstd"),
          encryption: s.enumOf("AES256", "aws:kms"),
          maxParallel: s.integer(1),
        }),
        data: s.known(["additionalCommandArgs", "restoreAdditionalCommandArgs"], {
          compression: s.enumOf("bzip2", "gzip", "snappy"),
          encryption: s.enumOf("AES256", "aws:kms"),
          jobs: s.integer(1),
          immediateCheckpoint: s.boolean,
        }),
      },
      ["destinationPath"],
    ),
    retentionPolicy: { type: "string", pattern: /^[1-9][0-9]*[dwm]$/, patternHint: 'days, weeks or months such as "30d", "4w", "6m"' },
    instanceSidecarConfiguration: s.known(["additionalContainerArgs", "env"], {
      resources: RESOURCES,
      retentionPolicyIntervalSeconds: s.integer(),
      logLevel: LOG_LEVEL,
    }),
  },
  ["configuration"],
);

/** Cluster names (CloudNativePG's webhook): RFC 1035 labels of at most 50 characters. */
const CLUSTER_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function nameProblems(object: Json, kind: string): string[] {
  const name = field(field(object, "metadata"), "name");
  if (typeof name !== "string") return ["metadata.name is required"];
  if (kind === "Cluster") {
    return CLUSTER_NAME.test(name) && name.length <= 50
      ? []
      : [`metadata.name must be a DNS label that starts with a letter, at most 50 characters (got ${JSON.stringify(name)})`];
  }
  return DNS_SUBDOMAIN.test(name) && name.length <= 253 ? [] : [`metadata.name must be a DNS subdomain (got ${JSON.stringify(name)})`];
}

/** The structural schema first; the cross-field rules only on a structurally valid object, so one mistake is reported once. */
function kindValidator(apiVersion: string, kind: string, spec: FieldSchema, rules: (object: Json) => string[]): SyncDatabaseValidator {
  const schema = s.object({ apiVersion: s.enumOf(apiVersion), kind: s.enumOf(kind), metadata: s.any, spec, status: s.any }, ["apiVersion", "kind", "metadata", "spec"]);
  return (object) => {
    const problems = [...nameProblems(object, kind), ...checkSchema(object, schema, "", kind)];
    return problems.length > 0 ? problems : rules(object);
  };
}

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;
const QUANTITY_SUFFIX: Readonly<Record<string, number>> = {
  n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A quantity's value in base units (cores, bytes), to compare requests with limits. */
function quantityValue(quantity: unknown): number | undefined {
  if (typeof quantity === "number") return quantity;
  const match = typeof quantity === "string" ? QUANTITY.exec(quantity) : null;
  if (match === null) return undefined;
  const [, number = "0", exponent, suffix] = match;
  return Number(number) * (exponent !== undefined ? 10 ** Number(exponent.slice(1)) : suffix !== undefined ? QUANTITY_SUFFIX[suffix]! : 1);
}

function clusterRules(object: Json): string[] {
  const spec = field(object, "spec");
  const problems: string[] = [];
  const initdb = field(field(spec, "bootstrap"), "initdb");
  if ((field(initdb, "database") === undefined) !== (field(initdb, "owner") === undefined)) {
    problems.push("spec.bootstrap.initdb: set database and owner together (CloudNativePG rejects one without the other)");
  }
  const imageName = field(spec, "imageName");
  if (typeof imageName === "string") {
    const problem = imageTagProblem(imageName);
    if (problem !== undefined) problems.push(`spec.imageName ${problem}`);
    if (field(spec, "imageCatalogRef") !== undefined) problems.push("spec.imageName and spec.imageCatalogRef are mutually exclusive");
  }
  for (const resource of ["cpu", "memory"]) {
    const request = quantityValue(field(field(field(spec, "resources"), "requests"), resource));
    const limit = quantityValue(field(field(field(spec, "resources"), "limits"), resource));
    if (request !== undefined && limit !== undefined && request > limit) problems.push(`spec.resources.requests.${resource} is greater than the limit`);
  }
  const archivers = list(field(spec, "plugins")).filter((plugin) => field(plugin, "isWALArchiver") === true && field(plugin, "enabled") !== false);
  if (archivers.length > 1) problems.push(`spec.plugins: at most one WAL archiver plugin (got ${archivers.map((p) => String(field(p, "name"))).join(", ")})`);
  const storage = field(spec, "storage");
  const size = field(storage, "size");
  if (size === undefined && field(storage, "pvcTemplate") === undefined) {
    problems.push("spec.storage.size is required (or a storage request in spec.storage.pvcTemplate)");
  } else if (size !== undefined && !((quantityValue(size) ?? 0) > 0)) {
    problems.push(`spec.storage.size must be a positive quantity such as "10Gi" (got ${JSON.stringify(size)})`);
  }
  return problems;
}

function scheduledBackupRules(object: Json): string[] {
  const spec = field(object, "spec");
  const problems: string[] = [];
  const scheduleProblem = cronScheduleProblem(field(spec, "schedule") as string);
  if (scheduleProblem !== undefined) problems.push(`spec.schedule: ${scheduleProblem}`);
  if (field(spec, "method") === "plugin" && field(spec, "pluginConfiguration") === undefined) {
    problems.push("spec.pluginConfiguration is required with method plugin (name the plugin, e.g. barman-cloud.cloudnative-pg.io)");
  }
  return problems;
}

function objectStoreRules(object: Json): string[] {
  const configuration = field(field(object, "spec"), "configuration");
  const problems: string[] = [];
  if (field(configuration, "serverName") !== undefined) {
    problems.push("spec.configuration.serverName must not be set: use the serverName plugin parameter in the Cluster instead");
  }
  const providers = ["s3Credentials", "azureCredentials", "googleCredentials"].filter((key) => field(configuration, key) !== undefined);
  if (providers.length > 1) problems.push(`spec.configuration: credentials for one provider only (got ${providers.join(", ")})`);
  const s3 = field(configuration, "s3Credentials");
  if (s3 !== undefined && field(s3, "inheritFromIAMRole") !== true && (field(s3, "accessKeyId") === undefined || field(s3, "secretAccessKey") === undefined)) {
    problems.push("spec.configuration.s3Credentials: set accessKeyId and secretAccessKey, or inheritFromIAMRole");
  }
  return problems;
}

export const validateCnpgCluster: SyncDatabaseValidator = kindValidator(CNPG_API_VERSION, "Cluster", CLUSTER_SPEC, clusterRules);
export const validateCnpgScheduledBackup: SyncDatabaseValidator = kindValidator(CNPG_API_VERSION, "ScheduledBackup", SCHEDULED_BACKUP_SPEC, scheduledBackupRules);
export const validateBarmanObjectStore: SyncDatabaseValidator = kindValidator(BARMAN_CLOUD_API_VERSION, "ObjectStore", OBJECT_STORE_SPEC, objectStoreRules);

/** Keys of `DATABASE_VALIDATORS`: `<apiVersion>/<kind>`. */
export type DatabaseKindKey = `${typeof CNPG_API_VERSION}/${"Cluster" | "ScheduledBackup"}` | `${typeof BARMAN_CLOUD_API_VERSION}/ObjectStore`;

/** Validators of every custom kind the database capability writes, for `ValidateOptions.validators`. */
export const DATABASE_VALIDATORS: Readonly<Record<DatabaseKindKey, ManifestValidator>> = {
  "postgresql.cnpg.io/v1/Cluster": validateCnpgCluster,
  "postgresql.cnpg.io/v1/ScheduledBackup": validateCnpgScheduledBackup,
  "barmancloud.cnpg.io/v1/ObjectStore": validateBarmanObjectStore,
};
