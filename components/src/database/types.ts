/**
 * Typed shapes of the objects the database capability writes, from the upstream CRDs: CloudNativePG v1.30.0
 * (`postgresql.cnpg.io/v1`: Cluster, ScheduledBackup), the barman-cloud plugin v0.14.0
 * (`barmancloud.cnpg.io/v1`: ObjectStore) and the Prometheus Operator's PodMonitor. Only the fields the
 * platform sets or a caller is likely to add are typed, with the CRDs' names and types, so a misspelled
 * field or a string where an integer belongs fails to compile. Only constants and types live here.
 */

export const CNPG_API_VERSION = "postgresql.cnpg.io/v1";
export const BARMAN_CLOUD_API_VERSION = "barmancloud.cnpg.io/v1";
export const POD_MONITOR_API_VERSION = "monitoring.coreos.com/v1";
/** Name under which the barman-cloud plugin registers with CloudNativePG (`spec.plugins[].name`). */
export const BARMAN_CLOUD_PLUGIN_NAME = "barman-cloud.cloudnative-pg.io";
/** Label CloudNativePG puts on every pod of a cluster; the documented PodMonitor selector. */
export const CNPG_CLUSTER_LABEL = "cnpg.io/cluster";
/** Name and number of the metrics port of every CloudNativePG instance. */
export const CNPG_METRICS_PORT_NAME = "metrics";
export const CNPG_METRICS_PORT = 9187;
/** Port of the PostgreSQL Services CloudNativePG creates (`<cluster>-rw`, `-ro`, `-r`). */
export const POSTGRES_PORT = 5432;
/**
 * Unix time of the newest base backup in the object store, exported by the barman-cloud plugin's sidecar.
 * Alert on its age: WAL archiving alone cannot restore a cluster without a recent base backup.
 */
export const BACKUP_FRESHNESS_METRIC = "barman_cloud_cloudnative_pg_io_last_available_backup_timestamp";

/** A Kubernetes quantity: `"4"`, `"500m"`, `"16Gi"`, or a whole number. */
export type Quantity = string | number;

/** The metadata fields the platform sets; every kind here is namespaced. */
export interface ObjectMeta {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface LocalObjectReference {
  name: string;
}

/** A key of a Secret in the object's namespace. */
export interface SecretKeySelector {
  name: string;
  key: string;
}

export interface ResourceRequirements {
  requests?: Record<string, Quantity>;
  limits?: Record<string, Quantity>;
}

// ---------------------------------------------------------------------------------------------------
// CloudNativePG Cluster

/** `spec.storage` of a Cluster. */
export interface CnpgStorage {
  /** Size of each instance's volume; it can grow, never shrink. */
  size?: string;
  /** @default the cluster's default StorageClass */
  storageClass?: string;
  /** @default true */
  resizeInUseVolumes?: boolean;
}

/** `spec.bootstrap.initdb`: create a new, empty cluster with one application database and its owner. */
export interface CnpgInitDb {
  /** Application database; required together with `owner`. */
  database?: string;
  /** Owner role of the database; required together with `database`. */
  owner?: string;
  /** `kubernetes.io/basic-auth` Secret with the owner's `username` and `password`. */
  secret?: LocalObjectReference;
  /** SQL run in the application database right after it is created, as the superuser. */
  postInitApplicationSQL?: string[];
  dataChecksums?: boolean;
  encoding?: string;
  locale?: string;
}

/** `spec.bootstrap.recovery`: create the cluster from another cluster's base backup and archived WAL. */
export interface CnpgRecovery {
  /** Name of the `spec.externalClusters` entry to recover from. */
  source: string;
  /** Application database and owner, as with initdb; the owner's password is reset from `secret`. */
  database?: string;
  owner?: string;
  secret?: LocalObjectReference;
  /** Where replay stops; without it, at the end of the archived WAL. */
  recoveryTarget?: {
    /** A timestamp PostgreSQL reads, with its zone: `2026-11-28 07:00:00+00`. */
    targetTime?: string;
    /** Stop just before the target rather than just after it. @default false */
    exclusive?: boolean;
  };
}

export interface CnpgBootstrap {
  initdb?: CnpgInitDb;
  recovery?: CnpgRecovery;
}

/** One entry of `spec.externalClusters`: here, a server in an object store read through a plugin. */
export interface CnpgExternalCluster {
  name: string;
  plugin?: CnpgPluginConfiguration;
}

/** One entry of `spec.plugins`: a CNPG-I plugin the instances use. */
export interface CnpgPluginConfiguration {
  name: string;
  /** @default true */
  enabled?: boolean;
  /** Archive WAL through this plugin; at most one plugin of a cluster may. @default false */
  isWALArchiver?: boolean;
  parameters?: Record<string, string>;
}

export interface CnpgClusterSpec {
  /** Instances: one primary, the rest streaming replicas. */
  instances: number;
  /** PostgreSQL image with a version tag (`latest` and digest-only references are rejected). */
  imageName?: string;
  storage?: CnpgStorage;
  bootstrap?: CnpgBootstrap;
  resources?: ResourceRequirements;
  plugins?: CnpgPluginConfiguration[];
  externalClusters?: CnpgExternalCluster[];
  /** Metadata of the ServiceAccount CloudNativePG creates for the instances (workload identity annotations). */
  serviceAccountTemplate?: { metadata: { annotations?: Record<string, string>; labels?: Record<string, string> } };
  /** Spread instances: `enablePodAntiAffinity` with `podAntiAffinityType` and `topologyKey`. */
  affinity?: { enablePodAntiAffinity?: boolean; podAntiAffinityType?: "preferred" | "required"; topologyKey?: string };
  /** @default true */
  enablePDB?: boolean;
  description?: string;
  /** @default "unsupervised" */
  primaryUpdateStrategy?: "unsupervised" | "supervised";
  /** @default "restart" */
  primaryUpdateMethod?: "switchover" | "restart";
  priorityClassName?: string;
  /** Labels and annotations CloudNativePG copies onto the pods, Services and PVCs it creates. */
  inheritedMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

/** `postgresql.cnpg.io/v1` Cluster. */
export interface CnpgCluster {
  apiVersion: typeof CNPG_API_VERSION;
  kind: "Cluster";
  metadata: ObjectMeta;
  spec: CnpgClusterSpec;
}

// ---------------------------------------------------------------------------------------------------
// CloudNativePG ScheduledBackup

export interface CnpgScheduledBackupSpec {
  cluster: LocalObjectReference;
  /** Six-field cron, seconds first (`"0 0 2 * * *"`: daily at 02:00). */
  schedule: string;
  /** @default "barmanObjectStore" (the deprecated in-tree method; the platform always sets `plugin`) */
  method?: "barmanObjectStore" | "volumeSnapshot" | "plugin";
  /** The plugin that takes the backup, with `method: plugin`. */
  pluginConfiguration?: { name: string; parameters?: Record<string, string> };
  /** Take a backup as soon as the ScheduledBackup is created. */
  immediate?: boolean;
  suspend?: boolean;
  /** Owner of the Backup objects it creates. @default "none" */
  backupOwnerReference?: "none" | "self" | "cluster";
  /** @default the cluster's `backup.target` */
  target?: "primary" | "prefer-standby";
}

/** `postgresql.cnpg.io/v1` ScheduledBackup. */
export interface CnpgScheduledBackup {
  apiVersion: typeof CNPG_API_VERSION;
  kind: "ScheduledBackup";
  metadata: ObjectMeta;
  spec: CnpgScheduledBackupSpec;
}

// ---------------------------------------------------------------------------------------------------
// barman-cloud ObjectStore

export interface BarmanS3Credentials {
  accessKeyId?: SecretKeySelector;
  secretAccessKey?: SecretKeySelector;
  sessionToken?: SecretKeySelector;
  region?: SecretKeySelector;
  /** Use the pod's IAM role (IRSA) instead of keys. */
  inheritFromIAMRole?: boolean;
}

export interface BarmanAzureCredentials {
  connectionString?: SecretKeySelector;
  storageAccount?: SecretKeySelector;
  storageKey?: SecretKeySelector;
  storageSasToken?: SecretKeySelector;
  inheritFromAzureAD?: boolean;
  useDefaultAzureCredentials?: boolean;
}

export interface BarmanGoogleCredentials {
  /** The service account's JSON key. */
  applicationCredentials?: SecretKeySelector;
  /** Use GKE Workload Identity instead of a key. */
  gkeEnvironment?: boolean;
}

export interface BarmanWalConfiguration {
  compression?: "bzip2" | "gzip" | "lz4" | "snappy" | "xz" | "zstd";
  encryption?: "AES256" | "aws:kms";
  maxParallel?: number;
}

export interface BarmanDataConfiguration {
  compression?: "bzip2" | "gzip" | "snappy";
  encryption?: "AES256" | "aws:kms";
  jobs?: number;
  immediateCheckpoint?: boolean;
}

/** `spec.configuration`: where barman-cloud writes base backups and WAL, and with which credentials. */
export interface BarmanObjectStoreConfiguration {
  /** `s3://bucket/path`, `gs://bucket/path` or `https://<account>.blob.core.windows.net/<container>/<path>`. */
  destinationPath: string;
  /** Endpoint of an S3- or Azure-compatible store (MinIO, Azurite, ...). */
  endpointURL?: string;
  s3Credentials?: BarmanS3Credentials;
  azureCredentials?: BarmanAzureCredentials;
  googleCredentials?: BarmanGoogleCredentials;
  wal?: BarmanWalConfiguration;
  data?: BarmanDataConfiguration;
}

/** How the plugin's sidecar runs inside every instance pod of the clusters using the store. */
export interface BarmanInstanceSidecarConfiguration {
  resources?: ResourceRequirements;
  /** @default 1800 */
  retentionPolicyIntervalSeconds?: number;
  logLevel?: "error" | "warning" | "info" | "debug" | "trace";
}

export interface BarmanObjectStoreSpec {
  configuration: BarmanObjectStoreConfiguration;
  /** How long base backups and WAL are kept: `<n>d`, `<n>w` or `<n>m`. */
  retentionPolicy?: string;
  instanceSidecarConfiguration?: BarmanInstanceSidecarConfiguration;
}

/** `barmancloud.cnpg.io/v1` ObjectStore. */
export interface BarmanObjectStore {
  apiVersion: typeof BARMAN_CLOUD_API_VERSION;
  kind: "ObjectStore";
  metadata: ObjectMeta;
  spec: BarmanObjectStoreSpec;
}

// ---------------------------------------------------------------------------------------------------
// Prometheus Operator PodMonitor (the fields a cluster's monitor sets)

export interface CnpgPodMonitor {
  apiVersion: typeof POD_MONITOR_API_VERSION;
  kind: "PodMonitor";
  metadata: ObjectMeta;
  spec: {
    selector: { matchLabels: Record<string, string> };
    podMetricsEndpoints: Array<{ port: string }>;
  };
}
