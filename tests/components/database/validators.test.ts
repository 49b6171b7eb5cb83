import { describe, expect, it } from "vitest";
import {
  backupProvider,
  cronScheduleProblem,
  DATABASE_VALIDATORS,
  objectStoreManifest,
  postgresClusterManifest,
  scheduledBackupManifest,
  validateBarmanObjectStore,
  validateCnpgCluster,
  validateCnpgScheduledBackup,
} from "./database-api.js";

// Plain JSON copies: what a validator sees after YAML parsing or rendering.
const json = (value: unknown): Record<string, any> => JSON.parse(JSON.stringify(value)) as Record<string, any>;
const labels = { "app.kubernetes.io/component": "database" };
const resources = { requests: { cpu: "250m", memory: "1024Mi" }, limits: { cpu: "1", memory: "1024Mi" } };

const cluster = () =>
  json(
    postgresClusterManifest({
      name: "gateway-db",
      namespace: "mlp-gateway",
      labels,
      instances: 3,
      imageName: "ghcr.io/cloudnative-pg/postgresql:18.4-standard-trixie",
      storageSize: "10Gi",
      database: "litellm",
      owner: "app",
      ownerSecretName: "gateway-db-app-user",
      resources,
      objectStoreName: "gateway-db-backups",
    }),
  );
const objectStore = () =>
  json(
    objectStoreManifest({
      name: "gateway-db-backups",
      namespace: "mlp-gateway",
      labels,
      destinationPath: "s3://mlp-backups/postgres",
      provider: "s3",
      auth: { secretName: "backup-s3" },
      retentionDays: 30,
      sidecarResources: resources,
    }),
  );
const scheduledBackup = () =>
  json(scheduledBackupManifest({ name: "gateway-db-backup", namespace: "mlp-gateway", labels, clusterName: "gateway-db", schedule: "0 0 2 * * *" }));

describe("DATABASE_VALIDATORS", () => {
  it("cover the three custom kinds the database capability writes, keyed <apiVersion>/<kind>", () => {
    expect(Object.keys(DATABASE_VALIDATORS).sort()).toEqual(["barmancloud.cnpg.io/v1/ObjectStore", "postgresql.cnpg.io/v1/Cluster", "postgresql.cnpg.io/v1/ScheduledBackup"]);
  });

  it("accept what the builders produce", () => {
    expect(validateCnpgCluster(cluster())).toEqual([]);
    expect(validateBarmanObjectStore(objectStore())).toEqual([]);
    expect(validateCnpgScheduledBackup(scheduledBackup())).toEqual([]);
  });
});

describe("Cluster validator", () => {
  it.each<[string, (c: Record<string, any>) => void, string]>([
    ["a misspelled field", (c) => (c["spec"].instance = 3), "spec.instance is not a field of Cluster"],
    ["instances as a string", (c) => (c["spec"].instances = "3"), 'spec.instances must be integer (got "3")'],
    ["zero instances", (c) => (c["spec"].instances = 0), "spec.instances must be at least 1 (got 0)"],
    ["a name CloudNativePG rejects", (c) => (c["metadata"].name = "1-db"), "metadata.name must be a DNS label that starts with a letter, at most 50 characters"],
    ["a name over 50 characters", (c) => (c["metadata"].name = "a".repeat(51)), "at most 50 characters"],
    ["a database without owner", (c) => delete c["spec"].bootstrap.initdb.owner, "spec.bootstrap.initdb: set database and owner together"],
    ["an initdb secret without a name", (c) => (c["spec"].bootstrap.initdb.secret = {}), "spec.bootstrap.initdb.secret.name is required"],
    ["the latest image", (c) => (c["spec"].imageName = "ghcr.io/cloudnative-pg/postgresql:latest"), "spec.imageName must not use the tag latest"],
    ["a CPU request above the limit", (c) => (c["spec"].resources.requests.cpu = "2"), "spec.resources.requests.cpu is greater than the limit"],
    ["a memory request above the limit", (c) => (c["spec"].resources.requests.memory = "2Gi"), "spec.resources.requests.memory is greater than the limit"],
    ["a bad quantity", (c) => (c["spec"].resources.limits.memory = "1 GB"), 'spec.resources.limits.memory must be a quantity such as "4", "500m" or "16Gi" (got "1 GB")'],
    ["two WAL archivers", (c) => c["spec"].plugins.push({ name: "other.example.com", isWALArchiver: true }), "spec.plugins: at most one WAL archiver plugin (got barman-cloud.cloudnative-pg.io, other.example.com)"],
    ["a plugin without a name", (c) => (c["spec"].plugins[0] = { isWALArchiver: true }), "spec.plugins[0].name is required"],
    ["no storage size", (c) => (c["spec"].storage = {}), "spec.storage.size is required"],
    ["an empty storage size", (c) => (c["spec"].storage.size = "0Gi"), 'spec.storage.size must be a positive quantity such as "10Gi" (got "0Gi")'],
    ["an unknown update strategy", (c) => (c["spec"].primaryUpdateStrategy = "manual"), "spec.primaryUpdateStrategy must be one of unsupervised, supervised"],
    ["a storage field the CRD does not have", (c) => (c["spec"].storage.sizeGiB = 10), "spec.storage.sizeGiB is not a field of Cluster"],
    ["a label value Kubernetes refuses", (c) => (c["metadata"].labels["app.kubernetes.io/component"] = "data base"), "metadata.labels[\"app.kubernetes.io/component\"] must be a label value"],
  ])("rejects %s", (_case, change, message) => {
    const object = cluster();
    change(object);
    expect(validateCnpgCluster(object).join("\n")).toContain(message);
  });

  it("accepts a Cluster without instances: the CRD defaults them to 1", () => {
    const object = cluster();
    delete object["spec"].instances;
    expect(validateCnpgCluster(object)).toEqual([]);
  });

  it("accepts upstream fields the platform does not set, and an equal request and limit", () => {
    const object = cluster();
    object["spec"].postgresql = { parameters: { max_connections: "200" } };
    object["spec"].affinity = { enablePodAntiAffinity: true, topologyKey: "kubernetes.io/hostname" };
    object["spec"].resources.requests.cpu = "1000m";
    expect(validateCnpgCluster(object)).toEqual([]);
  });

  it("accepts a disabled second WAL archiver", () => {
    const object = cluster();
    object["spec"].plugins.push({ name: "other.example.com", isWALArchiver: true, enabled: false });
    expect(validateCnpgCluster(object)).toEqual([]);
  });
});

describe("ScheduledBackup validator", () => {
  it.each<[string, (b: Record<string, any>) => void, string]>([
    ["a five-field schedule", (b) => (b["spec"].schedule = "0 2 * * *"), 'spec.schedule: a schedule has six fields, seconds first (e.g. "0 0 2 * * *"), got 5'],
    ["a minute out of range", (b) => (b["spec"].schedule = "0 60 2 * * *"), 'spec.schedule: minutes "60" is outside 0-59'],
    ["an unknown method", (b) => (b["spec"].method = "snapshot"), "spec.method must be one of barmanObjectStore, volumeSnapshot, plugin"],
    ["method plugin without the plugin", (b) => delete b["spec"].pluginConfiguration, "spec.pluginConfiguration is required with method plugin"],
    ["no cluster", (b) => delete b["spec"].cluster, "spec.cluster is required"],
    ["an unknown owner reference", (b) => (b["spec"].backupOwnerReference = "owner"), "spec.backupOwnerReference must be one of none, self, cluster"],
  ])("rejects %s", (_case, change, message) => {
    const object = scheduledBackup();
    change(object);
    expect(validateCnpgScheduledBackup(object).join("\n")).toContain(message);
  });
});

describe("ObjectStore validator", () => {
  it.each<[string, (o: Record<string, any>) => void, string]>([
    ["no destination", (o) => delete o["spec"].configuration.destinationPath, "spec.configuration.destinationPath is required"],
    ["a retention in hours", (o) => (o["spec"].retentionPolicy = "48h"), 'spec.retentionPolicy must match ^[1-9][0-9]*[dwm]$ (got "48h")'],
    ["two providers' credentials", (o) => (o["spec"].configuration.googleCredentials = { gkeEnvironment: true }), "credentials for one provider only (got s3Credentials, googleCredentials)"],
    ["an S3 key without its secret", (o) => delete o["spec"].configuration.s3Credentials.secretAccessKey, "set accessKeyId and secretAccessKey, or inheritFromIAMRole"],
    ["a credential without a key", (o) => delete o["spec"].configuration.s3Credentials.accessKeyId.key, "spec.configuration.s3Credentials.accessKeyId.key is required"],
    ["a WAL compression barman cannot do for data", (o) => (o["spec"].configuration.data.compression = "zstd"), 'spec.configuration.data.compression must be one of bzip2, gzip, lz4, snappy (got "zstd")'],
  ])("rejects %s", (_case, change, message) => {
    const object = objectStore();
    change(object);
    expect(validateBarmanObjectStore(object).join("\n")).toContain(message);
  });

  it("accepts lz4 data compression, which the CRD allows", () => {
    const object = objectStore();
    object["spec"].configuration.data.compression = "lz4";
    expect(validateBarmanObjectStore(object)).toEqual([]);
  });

  it("accepts IAM-role credentials without keys", () => {
    const object = objectStore();
    object["spec"].configuration.s3Credentials = { inheritFromIAMRole: true };
    expect(validateBarmanObjectStore(object)).toEqual([]);
  });
});

describe("backup schedules", () => {
  it.each(["0 0 2 * * *", "0 30 1 * * sun", "0 0 */6 * * *", "0 0 3 1,15 * ?", "30 15 2 * jan-mar mon-fri", "@daily"])("accepts %s", (schedule) => {
    expect(cronScheduleProblem(schedule)).toBeUndefined();
  });

  it.each([
    ["0 2 * * *", "crontab's five fields need a seconds field first"],
    ["0 0 2 * * * *", "got 7"],
    ["0 0 2 32 * *", 'day of month "32" is outside 1-31'],
    ["0 0 2 * 13 *", 'month "13" is outside 1-12'],
    ["0 0 2 * * 7", 'day of week "7" is outside 0-6'],
    ["0 0 5-2 * * *", 'hours "5-2" is outside 0-23'],
    ["0 0 */0 * * *", 'hours "*/0" has a bad step'],
    ["0 0 two * * *", 'hours "two" is not a value, range or step'],
    ["@every 1h", "got 2"],
  ])("rejects %s", (schedule, message) => {
    expect(cronScheduleProblem(schedule)).toContain(message);
  });
});

describe("backup destinations", () => {
  it.each([
    ["s3://mlp-backups/postgres", "s3"],
    ["s3://mlp-backups", "s3"],
    ["gs://mlp-backups/postgres", "gcs"],
    ["https://mlpbackups.blob.core.windows.net/postgres", "azure"],
    ["http://azurite:10000/devstoreaccount1/postgres", "azure"],
    ["minio://mlp-backups", undefined],
    ["s3://", undefined],
    ["/backups", undefined],
  ])("%s is %s", (path, provider) => {
    expect(backupProvider(path)).toBe(provider);
  });
});
