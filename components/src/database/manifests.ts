/**
 * Pure builders of the objects behind one PostgreSQL cluster: the CloudNativePG Cluster, the barman-cloud
 * ObjectStore its WAL and base backups go to, the ScheduledBackup, and the PodMonitor. The component only
 * wires them together; everything decided about their content is here and tested directly.
 */
import {
  BARMAN_CLOUD_API_VERSION,
  BARMAN_CLOUD_PLUGIN_NAME,
  CNPG_API_VERSION,
  CNPG_CLUSTER_LABEL,
  CNPG_METRICS_PORT_NAME,
  POD_MONITOR_API_VERSION,
  type BarmanObjectStore,
  type BarmanObjectStoreConfiguration,
  type CnpgCluster,
  type CnpgPodMonitor,
  type CnpgScheduledBackup,
  type ResourceRequirements,
} from "./types.js";

/**
 * What is wrong with a PostgreSQL image reference for CloudNativePG, or undefined: it reads the major
 * version from the tag, so the tag must start with it (`18.4-standard-trixie`); `latest` and digest-only
 * references are rejected by its webhook because upgrades could not be detected.
 */
export function imageTagProblem(imageName: string): string | undefined {
  const tag = /^[^@]+:([^:/@]+)(@sha256:[0-9a-f]{64})?$/.exec(imageName)?.[1];
  if (tag === undefined) return "needs a tag (a digest alone hides the PostgreSQL version)";
  if (tag === "latest") return "must not use the tag latest (upgrades could not be detected)";
  if (!/^\d+(\.\d+)?([-_.].*)?$/.test(tag)) return `tag "${tag}" does not start with a PostgreSQL version`;
  return undefined;
}

/** Object stores barman-cloud writes to, told apart by the destination path's scheme. */
export type BackupProvider = "s3" | "gcs" | "azure";

/**
 * The provider of a destination path: `s3://bucket/...` (AWS S3 and S3-compatible stores such as MinIO),
 * `gs://bucket/...` (Google Cloud Storage), `https://<account>.blob.core.windows.net/<container>/...`
 * (Azure Blob Storage, or an Azure-compatible emulator at any http(s) address). Undefined otherwise.
 */
export function backupProvider(destinationPath: string): BackupProvider | undefined {
  if (/^s3:\/\/[^/\s]+/.test(destinationPath)) return "s3";
  if (/^gs:\/\/[^/\s]+/.test(destinationPath)) return "gcs";
  if (/^https?:\/\/[^/\s]+\/[^/\s]+/.test(destinationPath)) return "azure";
  return undefined;
}

/**
 * Keys the backup credentials Secret must hold, per provider: the names the barman-cloud plugin's
 * documentation uses, so a Secret created by following it works unchanged.
 */
export const BACKUP_CREDENTIAL_KEYS = {
  s3: { accessKeyId: "ACCESS_KEY_ID", secretAccessKey: "ACCESS_SECRET_KEY" },
  gcs: { applicationCredentials: "gcsCredentials" },
  azure: { connectionString: "AZURE_STORAGE_CONNECTION_STRING" },
} as const;

/**
 * How the barman-cloud sidecar authenticates to the object store: with the keys of a Secret in the
 * cluster's namespace, or as the instances' ServiceAccount through the cloud's workload identity (IRSA on
 * EKS, Azure Workload Identity, GKE Workload Identity), with no key anywhere.
 */
export type BackupAuth = { secretName: string } | { workloadIdentity: string };

/**
 * The ServiceAccount annotation that binds the instances' ServiceAccount to a cloud identity, per
 * provider, and the pod label Azure's webhook also needs before it injects the token.
 */
export const WORKLOAD_IDENTITY = {
  s3: { annotation: "eks.amazonaws.com/role-arn", what: "an IAM role ARN (arn:aws:iam::<account>:role/<name>)" },
  gcs: { annotation: "iam.gke.io/gcp-service-account", what: "a Google service account email (<name>@<project>.iam.gserviceaccount.com)" },
  azure: { annotation: "azure.workload.identity/client-id", what: "the client id (a UUID) of a managed identity or app registration" },
} as const;
export const AZURE_WORKLOAD_IDENTITY_POD_LABEL = "azure.workload.identity/use";

/** The `*Credentials` block of an ObjectStore for a provider: a Secret's keys, or the pod's identity. */
export function backupCredentials(
  provider: BackupProvider,
  auth: BackupAuth,
): Pick<BarmanObjectStoreConfiguration, "s3Credentials" | "googleCredentials" | "azureCredentials"> {
  if ("workloadIdentity" in auth) {
    switch (provider) {
      case "s3":
        return { s3Credentials: { inheritFromIAMRole: true } };
      case "gcs":
        return { googleCredentials: { gkeEnvironment: true } };
      case "azure":
        return { azureCredentials: { inheritFromAzureAD: true } };
    }
  }
  const ref = (key: string) => ({ name: auth.secretName, key });
  switch (provider) {
    case "s3":
      return {
        s3Credentials: {
          accessKeyId: ref(BACKUP_CREDENTIAL_KEYS.s3.accessKeyId),
          secretAccessKey: ref(BACKUP_CREDENTIAL_KEYS.s3.secretAccessKey),
        },
      };
    case "gcs":
      return { googleCredentials: { applicationCredentials: ref(BACKUP_CREDENTIAL_KEYS.gcs.applicationCredentials) } };
    case "azure":
      return { azureCredentials: { connectionString: ref(BACKUP_CREDENTIAL_KEYS.azure.connectionString) } };
  }
}

/** The external cluster a recovering cluster reads its source's backups from. */
export const RECOVERY_SOURCE = "origin";

/** Inputs of `postgresClusterManifest`: a fully decided cluster. */
export interface PostgresClusterManifestInput {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  instances: number;
  imageName: string;
  /** Kubernetes quantity, e.g. `"10Gi"`. */
  storageSize: string;
  /** Omitted: the cluster's default StorageClass. */
  storageClass?: string;
  database: string;
  owner: string;
  /** The `kubernetes.io/basic-auth` Secret holding the owner's password. */
  ownerSecretName: string;
  postInitApplicationSql?: readonly string[];
  resources: ResourceRequirements;
  /** ObjectStore that receives WAL and base backups; omitted: no backups. */
  objectStoreName?: string;
  /** Folder of this cluster in the object store. Omitted: the cluster's name. */
  serverName?: string;
  /** Annotations of the instances' ServiceAccount (workload identity). */
  serviceAccountAnnotations?: Record<string, string>;
  /** Labels CloudNativePG copies onto the pods (and the other objects it creates). */
  inheritedLabels?: Record<string, string>;
  /** Spread instances over nodes: `required` refuses to co-locate two, `preferred` only avoids it. */
  podAntiAffinity?: "preferred" | "required";
  /**
   * Bootstrap from a backup instead of an empty database: the source's server name in `objectStoreName`,
   * and where to stop (no targetTime: the end of the archived WAL).
   */
  recovery?: { sourceServerName: string; targetTime?: string };
}

/**
 * The Cluster: `initdb` creates the application database owned by `owner`, whose password CloudNativePG
 * reads from `ownerSecretName` instead of generating one, so the caller knows it without reading the
 * cluster. With an ObjectStore, the barman-cloud plugin is the WAL archiver: archived WAL plus the
 * scheduled base backups give point-in-time recovery anywhere in the retention window.
 */
export function postgresClusterManifest(input: PostgresClusterManifestInput): CnpgCluster {
  const owner = { database: input.database, owner: input.owner, secret: { name: input.ownerSecretName } };
  const plugin = (parameters: Record<string, string>) => ({ name: BARMAN_CLOUD_PLUGIN_NAME, parameters });
  const archive =
    input.objectStoreName !== undefined
      ? { barmanObjectName: input.objectStoreName, ...(input.serverName !== undefined ? { serverName: input.serverName } : {}) }
      : undefined;
  return {
    apiVersion: CNPG_API_VERSION,
    kind: "Cluster",
    metadata: { name: input.name, namespace: input.namespace, labels: input.labels },
    spec: {
      instances: input.instances,
      imageName: input.imageName,
      storage: { size: input.storageSize, ...(input.storageClass !== undefined ? { storageClass: input.storageClass } : {}) },
      // A recovered database already holds what postInitApplicationSQL would create: recovery runs none.
      bootstrap:
        input.recovery !== undefined
          ? {
              recovery: {
                source: RECOVERY_SOURCE,
                ...owner,
                ...(input.recovery.targetTime !== undefined ? { recoveryTarget: { targetTime: input.recovery.targetTime } } : {}),
              },
            }
          : {
              initdb: {
                ...owner,
                ...(input.postInitApplicationSql?.length ? { postInitApplicationSQL: [...input.postInitApplicationSql] } : {}),
              },
            },
      resources: input.resources,
      ...(input.podAntiAffinity !== undefined
        ? { affinity: { enablePodAntiAffinity: true, podAntiAffinityType: input.podAntiAffinity, topologyKey: "kubernetes.io/hostname" } }
        : {}),
      ...(archive !== undefined ? { plugins: [{ ...plugin(archive), isWALArchiver: true }] } : {}),
      ...(input.recovery !== undefined && input.objectStoreName !== undefined
        ? { externalClusters: [{ name: RECOVERY_SOURCE, plugin: plugin({ barmanObjectName: input.objectStoreName, serverName: input.recovery.sourceServerName }) }] }
        : {}),
      ...(input.serviceAccountAnnotations !== undefined ? { serviceAccountTemplate: { metadata: { annotations: input.serviceAccountAnnotations } } } : {}),
      ...(input.inheritedLabels !== undefined ? { inheritedMetadata: { labels: input.inheritedLabels } } : {}),
    },
  };
}

/** Inputs of `objectStoreManifest`. */
export interface ObjectStoreManifestInput {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  destinationPath: string;
  provider: BackupProvider;
  auth: BackupAuth;
  /** Omitted: the provider's own endpoint. */
  endpointUrl?: string;
  /** Days base backups and WAL are kept: the point-in-time recovery window. */
  retentionDays: number;
  /** Requests and limits of the plugin's sidecar in every instance pod. */
  sidecarResources: ResourceRequirements;
}

/**
 * The ObjectStore. barman-cloud appends the cluster name to `destinationPath` (its server name), so several
 * clusters can share one bucket path. gzip: every barman-cloud build supports it for both WAL and base
 * backups, and WAL segments (16 MiB, mostly padding when idle) shrink several-fold.
 */
export function objectStoreManifest(input: ObjectStoreManifestInput): BarmanObjectStore {
  return {
    apiVersion: BARMAN_CLOUD_API_VERSION,
    kind: "ObjectStore",
    metadata: { name: input.name, namespace: input.namespace, labels: input.labels },
    spec: {
      configuration: {
        destinationPath: input.destinationPath,
        ...(input.endpointUrl !== undefined ? { endpointURL: input.endpointUrl } : {}),
        ...backupCredentials(input.provider, input.auth),
        wal: { compression: "gzip" },
        data: { compression: "gzip" },
      },
      retentionPolicy: `${input.retentionDays}d`,
      instanceSidecarConfiguration: { resources: input.sidecarResources },
    },
  };
}

/** Inputs of `scheduledBackupManifest`. */
export interface ScheduledBackupManifestInput {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  clusterName: string;
  /** Six-field cron, seconds first. */
  schedule: string;
}

/**
 * Base backups through the barman-cloud plugin. `immediate`: the first backup is taken at creation, so a
 * new cluster is recoverable the same day rather than after the first scheduled run. `backupOwnerReference:
 * self`: the Backup objects (records only; the data lives in the object store and is pruned by the
 * retention policy) go away with the schedule instead of piling up in the namespace.
 */
export function scheduledBackupManifest(input: ScheduledBackupManifestInput): CnpgScheduledBackup {
  return {
    apiVersion: CNPG_API_VERSION,
    kind: "ScheduledBackup",
    metadata: { name: input.name, namespace: input.namespace, labels: input.labels },
    spec: {
      cluster: { name: input.clusterName },
      schedule: input.schedule,
      method: "plugin",
      pluginConfiguration: { name: BARMAN_CLOUD_PLUGIN_NAME },
      immediate: true,
      backupOwnerReference: "self",
    },
  };
}

/** Inputs of `podMonitorManifest`. */
export interface PodMonitorManifestInput {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  clusterName: string;
}

/**
 * The PodMonitor upstream recommends (CloudNativePG's own `enablePodMonitor` is deprecated): every pod of
 * the cluster, port `metrics` (9187). In the cluster's namespace, so it selects that namespace only.
 */
export function podMonitorManifest(input: PodMonitorManifestInput): CnpgPodMonitor {
  return {
    apiVersion: POD_MONITOR_API_VERSION,
    kind: "PodMonitor",
    metadata: { name: input.name, namespace: input.namespace, labels: input.labels },
    spec: {
      selector: { matchLabels: { [CNPG_CLUSTER_LABEL]: input.clusterName } },
      podMetricsEndpoints: [{ port: CNPG_METRICS_PORT_NAME }],
    },
  };
}
