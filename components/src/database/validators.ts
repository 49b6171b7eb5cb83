/**
 * Validators for the database kinds. Each checks the object against the schema generated from its
 * upstream CRD (CloudNativePG v1.30.0 Cluster and ScheduledBackup, barman-cloud plugin v0.14.0 ObjectStore;
 * see `testing/crd-schemas/`), then, on an object the schema accepts, the rules no CRD schema holds: what
 * CloudNativePG's and the plugin's webhooks enforce (cluster names, initdb database and owner together,
 * requests within limits, one WAL archiver, a storage size, six-field cron schedules, one set of object
 * store credentials) and the platform's pinned image. CEL rules of the CRDs are not evaluated offline.
 */
import { requiredCrdValidator } from "../testing/crd-validation.js";
import type { ManifestValidator, SyncManifestValidator } from "../testing/validate.js";
import { cronScheduleProblem } from "./cron.js";
import { imageTagProblem } from "./manifests.js";
import { BARMAN_CLOUD_API_VERSION, CNPG_API_VERSION } from "./types.js";

/** A validator that answers synchronously (what every database validator does). */
export type SyncDatabaseValidator = SyncManifestValidator;

type Json = Record<string, unknown>;
const field = (value: unknown, key: string): unknown => (value as Json | undefined)?.[key];
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Cluster names (CloudNativePG's webhook): RFC 1035 labels of at most 50 characters. */
const CLUSTER_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

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
  const name = field(field(object, "metadata"), "name");
  if (typeof name === "string" && !(CLUSTER_NAME.test(name) && name.length <= 50)) {
    problems.push(`metadata.name must be a DNS label that starts with a letter, at most 50 characters (got ${JSON.stringify(name)})`);
  }
  const initdb = field(field(spec, "bootstrap"), "initdb");
  if ((field(initdb, "database") === undefined) !== (field(initdb, "owner") === undefined)) {
    problems.push("spec.bootstrap.initdb: set database and owner together (CloudNativePG rejects one without the other)");
  }
  const imageName = field(spec, "imageName");
  if (typeof imageName === "string") {
    const problem = imageTagProblem(imageName);
    if (problem !== undefined) problems.push(`spec.imageName ${problem}`);
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
  const providers = ["s3Credentials", "azureCredentials", "googleCredentials"].filter((key) => field(configuration, key) !== undefined);
  if (providers.length > 1) problems.push(`spec.configuration: credentials for one provider only (got ${providers.join(", ")})`);
  const s3 = field(configuration, "s3Credentials");
  if (s3 !== undefined && field(s3, "inheritFromIAMRole") !== true && (field(s3, "accessKeyId") === undefined || field(s3, "secretAccessKey") === undefined)) {
    problems.push("spec.configuration.s3Credentials: set accessKeyId and secretAccessKey, or inheritFromIAMRole");
  }
  return problems;
}

export const validateCnpgCluster: SyncDatabaseValidator = requiredCrdValidator(CNPG_API_VERSION, "Cluster", clusterRules);
export const validateCnpgScheduledBackup: SyncDatabaseValidator = requiredCrdValidator(CNPG_API_VERSION, "ScheduledBackup", scheduledBackupRules);
export const validateBarmanObjectStore: SyncDatabaseValidator = requiredCrdValidator(BARMAN_CLOUD_API_VERSION, "ObjectStore", objectStoreRules);

/** Keys of `DATABASE_VALIDATORS`: `<apiVersion>/<kind>`. */
export type DatabaseKindKey = `${typeof CNPG_API_VERSION}/${"Cluster" | "ScheduledBackup"}` | `${typeof BARMAN_CLOUD_API_VERSION}/ObjectStore`;

/** Validators of every custom kind the database capability writes, for `ValidateOptions.validators`. */
export const DATABASE_VALIDATORS: Readonly<Record<DatabaseKindKey, ManifestValidator>> = {
  "postgresql.cnpg.io/v1/Cluster": validateCnpgCluster,
  "postgresql.cnpg.io/v1/ScheduledBackup": validateCnpgScheduledBackup,
  "barmancloud.cnpg.io/v1/ObjectStore": validateBarmanObjectStore,
};
