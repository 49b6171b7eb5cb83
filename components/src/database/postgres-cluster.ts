import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { argumentProblems, typeToken, type ArgumentProblems } from "../common/component.js";
import { suppliedOrGeneratedSecret } from "../common/generated-secret.js";
import { isDnsLabel, isDnsSubdomain, platformLabels } from "../common/kubernetes.js";
import { formatCpu } from "../tenancy/team-spec.js";
import { cronScheduleProblem, DEFAULT_BACKUP_SCHEDULE } from "./cron.js";
import {
  AZURE_WORKLOAD_IDENTITY_POD_LABEL,
  BACKUP_CREDENTIAL_KEYS,
  backupProvider,
  imageTagProblem,
  WORKLOAD_IDENTITY,
  type BackupAuth,
  objectStoreManifest,
  podMonitorManifest,
  postgresClusterManifest,
  scheduledBackupManifest,
  type BackupProvider,
} from "./manifests.js";
import { POSTGRES_PORT, type ResourceRequirements } from "./types.js";

/**
 * PostgreSQL image, pinned: 18.4, the release CloudNativePG's default image moved to in May 2026, in the
 * `standard` flavour (common extensions and every locale, without the in-tree barman tools the plugin
 * replaces). Minor updates are rolling restarts; a major version needs CloudNativePG's upgrade procedure.
 * Check `crane ls ghcr.io/cloudnative-pg/postgresql` before bumping.
 */
export const POSTGRES_IMAGE = "ghcr.io/cloudnative-pg/postgresql:18.4-standard-trixie";

/**
 * Continuous backup to object storage. WAL is archived as it is written and base backups are taken on a
 * schedule, so the cluster can be restored to any moment within `retentionDays` (point-in-time recovery).
 * There is no backup without WAL archiving: barman-cloud takes online base backups only, and those are
 * consistent only together with the WAL archived while they ran.
 */
export interface PostgresBackupArgs {
  /**
   * Where base backups and WAL go: `s3://bucket/path` (S3, MinIO), `gs://bucket/path` or
   * `https://<account>.blob.core.windows.net/<container>/path`. barman-cloud adds a folder per cluster name.
   */
  destinationPath: string;
  /**
   * How the backups reach the object store; exactly one of `credentials`, `workloadIdentity` and
   * `credentialsSecretName`. `credentials` and `workloadIdentity` work on the first `pulumi up`: nothing
   * has to exist in the cluster's namespace beforehand.
   *
   * Keys (Pulumi secrets) the component writes into the Secret `<clusterName>-backup-credentials`.
   * @default none
   */
  credentials?: PostgresBackupCredentialsArgs;
  /**
   * The cloud identity the instances' ServiceAccount acts as (IRSA, Azure or GKE Workload Identity): no key.
   * @default none
   */
  workloadIdentity?: PostgresBackupWorkloadIdentityArgs;
  /**
   * A Secret that already exists in the cluster's namespace, keys per provider as `credentials` writes
   * them: S3 `ACCESS_KEY_ID` and `ACCESS_SECRET_KEY`; GCS `gcsCredentials` (the JSON key); Azure
   * `AZURE_STORAGE_CONNECTION_STRING`.
   * @default none
   */
  credentialsSecretName?: string;
  /**
   * The cluster's folder in the object store. A cluster restored from a backup must write to a new one,
   * never over its source's.
   * @default the cluster's name
   */
  serverName?: string;
  /**
   * Endpoint of an S3-compatible store, e.g. `http://minio.minio.svc:9000`.
   * @default the provider's endpoint
   */
  endpointUrl?: string;
  /**
   * Days base backups and WAL are kept: how far back the cluster can be restored.
   * @default 30
   */
  retentionDays?: number;
  /**
   * When base backups are taken: six-field cron, seconds first (`"0 0 2 * * *"` is daily at 02:00).
   * @default "0 0 2 * * *"
   */
  schedule?: string;
}

/** Object store keys, by provider: the ones of the destination path's provider are required. */
export interface PostgresBackupCredentialsArgs {
  /**
   * S3: the access key id.
   * @default none
   */
  accessKeyId?: pulumi.Input<string>;
  /**
   * S3: the secret access key.
   * @default none
   */
  secretAccessKey?: pulumi.Input<string>;
  /**
   * Google Cloud Storage: the service account's JSON key.
   * @default none
   */
  gcsCredentials?: pulumi.Input<string>;
  /**
   * Azure Blob Storage: the storage account's connection string.
   * @default none
   */
  azureConnectionString?: pulumi.Input<string>;
}

/** The cloud identity of the instances' ServiceAccount: the one of the destination path's provider. */
export interface PostgresBackupWorkloadIdentityArgs {
  /**
   * S3 through IRSA: the IAM role's ARN (annotation `eks.amazonaws.com/role-arn`).
   * @default none
   */
  awsRoleArn?: string;
  /**
   * Azure Workload Identity: the managed identity's client id (annotation `azure.workload.identity/client-id`).
   * @default none
   */
  azureClientId?: string;
  /**
   * GKE Workload Identity: the Google service account (annotation `iam.gke.io/gcp-service-account`).
   * @default none
   */
  gcpServiceAccount?: string;
}

/** Spreading of a cluster's instances over nodes. */
export enum PodAntiAffinity {
  /** Avoid two instances on one node when another node has room. */
  Preferred = "preferred",
  /** Never two instances on one node: an instance stays pending rather than share a node. */
  Required = "required",
}

/**
 * A new cluster made from another's backups: its latest base backup before the target, then its archived
 * WAL replayed up to the target. Needs `backup` (the same object store) with a new `serverName`.
 */
export interface PostgresRecoveryArgs {
  /** The source's folder in the object store: its `serverName` (by default its cluster name). */
  sourceServerName: string;
  /**
   * Where replay stops, an RFC 3339 timestamp with its zone (`2026-11-28T07:00:00Z`).
   * @default the end of the archived WAL (the latest state the backups hold)
   */
  targetTime?: string;
}

/**
 * One PostgreSQL cluster. Environments differ only in these args (the presets live in
 * `infra/capabilities/gateway.ts`, never here):
 *
 * | environment | args |
 * |---|---|
 * | local | `{ instances: 1 }`: no backup |
 * | dev | `{ instances: 1, backup: { ..., retentionDays: 7 } }`: daily base backup, WAL archived |
 * | staging | `{ instances: 2, backup: { ..., retentionDays: 15 } }` |
 * | prod | `{ instances: 3, backup: { ..., retentionDays: 30 }, protect: true }`: point-in-time recovery over 30 days, protected |
 *
 * Every `backup` archives WAL continuously, so point-in-time recovery comes with any backup; what prod adds
 * is the longer window, the third instance and protection.
 */
export interface PostgresClusterArgs {
  /** Namespace of the cluster; it must exist (pass it in `dependsOn`). */
  namespace: string;
  /**
   * Name of the CloudNativePG Cluster; its read-write Service is `<clusterName>-rw`.
   * @default the component's name
   */
  clusterName?: string;
  /** Application database, e.g. `litellm`. */
  database: string;
  /**
   * Role that owns the database and that applications connect as; its password is generated and stored in
   * the `<clusterName>-app-user` Secret.
   * @default "app" (CloudNativePG's convention)
   */
  owner?: string;
  /**
   * The owner's password (from a vault, or the stack's secret config); generated when not given.
   * @default a random 32-character password (letters and digits)
   */
  password?: pulumi.Input<string>;
  /**
   * PostgreSQL instances: one primary, the rest streaming replicas that CloudNativePG fails over to.
   * @default 1
   */
  instances?: number;
  /**
   * Volume size of each instance, GiB. It can grow later, never shrink.
   * @default 10
   */
  storageGiB?: number;
  /**
   * StorageClass of the volumes.
   * @default the cluster's default StorageClass
   */
  storageClass?: string;
  /**
   * PostgreSQL image with a version tag.
   * @default POSTGRES_IMAGE (PostgreSQL 18.4)
   */
  imageName?: string;
  /**
   * CPU cores requested by each instance.
   * @default 0.25
   */
  cpuRequestCores?: number;
  /**
   * CPU cores each instance may burst to.
   * @default 1, or cpuRequestCores when that is more
   */
  cpuLimitCores?: number;
  /**
   * Memory of each instance, MiB: requested and limit alike, so PostgreSQL is never the first process the
   * kernel kills under memory pressure.
   * @default 1024
   */
  memoryMiB?: number;
  /**
   * SQL run in the new database as superuser once, at creation (extensions, grants).
   * @default none
   */
  postInitApplicationSql?: string[];
  /**
   * Continuous backup with point-in-time recovery. Needs `CloudNativePgOperator` with `barmanCloudPlugin`.
   * @default none: no backups
   */
  backup?: PostgresBackupArgs;
  /**
   * Create the cluster from a backup (point-in-time recovery) instead of an empty database.
   * @default none: a new, empty database
   */
  recovery?: PostgresRecoveryArgs;
  /**
   * Spread instances over nodes.
   * @default "preferred"
   */
  podAntiAffinity?: PodAntiAffinity;
  /**
   * Create a PodMonitor for the instances' metrics (needs the Prometheus Operator's CRDs).
   * @default true
   */
  podMonitor?: boolean;
  /**
   * Protect the Cluster (and with it the volumes it owns), its password, the password Secret and the
   * backups' ObjectStore and credentials: `pulumi destroy` refuses, and removing them from the program
   * leaves them in Kubernetes (`protect` and `retainOnDelete`).
   * @default false
   */
  protect?: boolean;
}

/** PostgresCluster args with every default applied and every value checked. */
export interface PostgresClusterPlan {
  namespace: string;
  clusterName: string;
  database: string;
  owner: string;
  instances: number;
  storageGiB: number;
  storageClass?: string;
  imageName: string;
  resources: ResourceRequirements;
  postInitApplicationSql: string[];
  backup?: {
    destinationPath: string;
    provider: BackupProvider;
    auth: BackupAuth;
    /** Keys the component writes into `names.backupSecret`, when `credentials` are given. */
    credentials?: Record<string, pulumi.Input<string>>;
    /** The ServiceAccount annotation binding the instances to a cloud identity. */
    serviceAccountAnnotations?: Record<string, string>;
    serverName: string;
    endpointUrl?: string;
    retentionDays: number;
    schedule: string;
  };
  recovery?: { sourceServerName: string; targetTime?: string };
  podAntiAffinity: PodAntiAffinity;
  podMonitor: boolean;
  protect: boolean;
  /** Names of the objects the component creates. */
  names: { secret: string; backupSecret: string; objectStore: string; scheduledBackup: string; podMonitor: string };
}

const COMPONENT = "PostgresCluster";
const DEFAULT_OWNER = "app";
/** CloudNativePG's webhook: cluster names are RFC 1035 labels of at most 50 characters (pods, Jobs and Services add suffixes). */
const CLUSTER_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const CLUSTER_NAME_MAX = 50;
/** Unquoted PostgreSQL identifiers: what every client accepts without quoting, at most 63 bytes. */
const SQL_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
/** Roles PostgreSQL or CloudNativePG own: `postgres` (superuser), `streaming_replica`, and the reserved `pg_` prefix. */
const RESERVED_ROLE = /^(postgres|streaming_replica|pg_.*)$/;
const RESERVED_DATABASES: readonly string[] = ["postgres", "template0", "template1"];
// The barman-cloud sidecar runs in every instance pod; uploads are I/O-bound, compression takes some CPU.
const SIDECAR_RESOURCES: ResourceRequirements = { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } };

/**
 * Validates PostgresCluster args and applies defaults; throws `InputPropertyError` (`InputPropertiesError`
 * for several) naming each property and the fix.
 */
export function planPostgresCluster(name: string, args: PostgresClusterArgs): PostgresClusterPlan {
  const problems = argumentProblems(COMPONENT, name);
  const wholeAtLeast = (property: string, value: number, min: number, unit: string): number => {
    if (!(Number.isInteger(value) && value >= min)) problems.add(property, value, `use a whole number of ${unit}, at least ${min}`);
    return value;
  };

  if (!isDnsLabel(args.namespace)) problems.add("namespace", args.namespace, "use a namespace name (a DNS label)");
  const clusterName = args.clusterName ?? name;
  if (clusterName.length > CLUSTER_NAME_MAX || !CLUSTER_NAME.test(clusterName)) {
    const source = args.clusterName === undefined ? " (the component name is used when clusterName is not set)" : "";
    problems.add("clusterName", clusterName, `use a DNS label that starts with a letter, at most ${CLUSTER_NAME_MAX} characters${source}`);
  }
  if (!SQL_IDENTIFIER.test(args.database) || RESERVED_DATABASES.includes(args.database)) {
    problems.add("database", args.database, `use a lowercase SQL name (letters, digits, "_"), not ${RESERVED_DATABASES.join(", ")}`);
  }
  const owner = args.owner ?? DEFAULT_OWNER;
  if (!SQL_IDENTIFIER.test(owner) || RESERVED_ROLE.test(owner)) {
    problems.add("owner", owner, 'use a lowercase SQL name (letters, digits, "_"); postgres, streaming_replica and pg_* are reserved');
  }
  const instances = wholeAtLeast("instances", args.instances ?? 1, 1, "instances");
  const storageGiB = wholeAtLeast("storageGiB", args.storageGiB ?? 10, 1, "GiB");
  if (args.storageClass !== undefined && !isDnsSubdomain(args.storageClass)) problems.add("storageClass", args.storageClass, "name a StorageClass");
  const imageName = args.imageName ?? POSTGRES_IMAGE;
  const imageProblem = imageTagProblem(imageName);
  if (imageProblem !== undefined) problems.add("imageName", imageName, `the image ${imageProblem}; use e.g. "${POSTGRES_IMAGE}"`);

  const cpuRequest = args.cpuRequestCores ?? 0.25;
  const cpuLimit = args.cpuLimitCores ?? Math.max(1, cpuRequest);
  if (!(Number.isFinite(cpuRequest) && cpuRequest >= 0.001)) problems.add("cpuRequestCores", cpuRequest, "use a positive number of cores, e.g. 0.5");
  else if (!(Number.isFinite(cpuLimit) && cpuLimit >= cpuRequest)) problems.add("cpuLimitCores", cpuLimit, `use at least cpuRequestCores (${cpuRequest})`);
  // A floor, not a recommendation: PostgreSQL's default shared_buffers alone is 128MB, and CloudNativePG's
  // instance manager shares the container's memory limit.
  const memoryMiB = wholeAtLeast("memoryMiB", args.memoryMiB ?? 1024, 256, "MiB");
  const memory = `${memoryMiB}Mi`;

  const backup = args.backup === undefined ? undefined : planBackup(args.backup, clusterName, problems);
  let recovery: PostgresClusterPlan["recovery"];
  if (args.recovery !== undefined) {
    const r = args.recovery;
    if (backup === undefined) problems.add("recovery", r, "set backup too: a cluster recovers from the object store its backup names, and archives to a new serverName there");
    if (!SERVER_NAME.test(r.sourceServerName)) problems.add("recovery.sourceServerName", r.sourceServerName, "name the source's folder in the object store (its cluster name, or the serverName it archived to)");
    else if (backup !== undefined && backup.serverName === r.sourceServerName) {
      problems.add(
        "backup.serverName",
        backup.serverName,
        `a recovered cluster must archive to a new folder, not over its source "${r.sourceServerName}": set backup.serverName, e.g. "${r.sourceServerName}-restored"`,
      );
    }
    if (r.targetTime !== undefined && !isRecoveryTime(r.targetTime)) {
      problems.add("recovery.targetTime", r.targetTime, 'use an RFC 3339 timestamp with its zone, e.g. "2026-11-28T07:00:00Z"');
    }
    recovery = { sourceServerName: r.sourceServerName, ...(r.targetTime !== undefined ? { targetTime: r.targetTime } : {}) };
  }
  const podAntiAffinity = args.podAntiAffinity ?? PodAntiAffinity.Preferred;
  if (!Object.values(PodAntiAffinity).includes(podAntiAffinity)) problems.add("podAntiAffinity", podAntiAffinity, `use one of ${Object.values(PodAntiAffinity).join(", ")}`);

  problems.throwIfAny();
  return {
    namespace: args.namespace,
    clusterName,
    database: args.database,
    owner,
    instances,
    storageGiB,
    ...(args.storageClass !== undefined ? { storageClass: args.storageClass } : {}),
    imageName,
    resources: { requests: { cpu: formatCpu(cpuRequest), memory }, limits: { cpu: formatCpu(cpuLimit), memory } },
    postInitApplicationSql: [...(args.postInitApplicationSql ?? [])],
    ...(backup !== undefined ? { backup } : {}),
    ...(recovery !== undefined ? { recovery } : {}),
    podAntiAffinity,
    podMonitor: args.podMonitor ?? true,
    protect: args.protect ?? false,
    names: {
      secret: `${clusterName}-app-user`,
      backupSecret: `${clusterName}-backup-credentials`,
      objectStore: `${clusterName}-backups`,
      scheduledBackup: `${clusterName}-backup`,
      podMonitor: clusterName,
    },
  };
}

/** Folders in the object store: what barman-cloud accepts as a server name. */
const SERVER_NAME = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/;
/** RFC 3339 with a zone: PostgreSQL reads it as recovery_target_time unambiguously. */
const RECOVERY_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}(:?\d{2})?)$/;

function isRecoveryTime(value: string): boolean {
  return RECOVERY_TIME.test(value) && !Number.isNaN(Date.parse(value.replace(" ", "T")));
}

/** The credential keys each provider needs, as `PostgresBackupCredentialsArgs` names them. */
const CREDENTIAL_ARGS: Record<BackupProvider, Array<[keyof PostgresBackupCredentialsArgs, string]>> = {
  s3: [
    ["accessKeyId", BACKUP_CREDENTIAL_KEYS.s3.accessKeyId],
    ["secretAccessKey", BACKUP_CREDENTIAL_KEYS.s3.secretAccessKey],
  ],
  gcs: [["gcsCredentials", BACKUP_CREDENTIAL_KEYS.gcs.applicationCredentials]],
  azure: [["azureConnectionString", BACKUP_CREDENTIAL_KEYS.azure.connectionString]],
};
const IDENTITY_ARG: Record<BackupProvider, keyof PostgresBackupWorkloadIdentityArgs> = { s3: "awsRoleArn", gcs: "gcpServiceAccount", azure: "azureClientId" };
const IDENTITY_VALUE: Record<BackupProvider, RegExp> = {
  s3: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/,
  gcs: /^[a-z][-a-z0-9]{4,28}[a-z0-9]@[-a-z0-9.]+\.iam\.gserviceaccount\.com$/,
  azure: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
};

/** The backup half of the plan: where, how it authenticates (exactly one way), how long, how often. */
function planBackup(b: PostgresBackupArgs, clusterName: string, problems: ArgumentProblems): PostgresClusterPlan["backup"] {
  const provider = backupProvider(b.destinationPath);
  if (provider === undefined) {
    problems.add("backup.destinationPath", b.destinationPath, "use s3://bucket/path, gs://bucket/path or https://<account>.blob.core.windows.net/<container>/path");
  }
  const ways = (["credentials", "workloadIdentity", "credentialsSecretName"] as const).filter((way) => b[way] !== undefined);
  if (ways.length !== 1) {
    problems.add(
      "backup",
      ways.length === 0 ? undefined : ways.join(", "),
      "give exactly one of credentials (keys from secret config, written into a Secret here), workloadIdentity (the cloud identity of the instances' ServiceAccount) or credentialsSecretName (a Secret that already exists in the namespace)",
    );
  }
  const secretName = `${clusterName}-backup-credentials`;
  let auth: BackupAuth = { secretName };
  let credentials: Record<string, pulumi.Input<string>> | undefined;
  let serviceAccountAnnotations: Record<string, string> | undefined;
  if (b.credentialsSecretName !== undefined) {
    if (!isDnsSubdomain(b.credentialsSecretName)) problems.add("backup.credentialsSecretName", b.credentialsSecretName, "name the Secret holding the object store credentials");
    auth = { secretName: b.credentialsSecretName };
  }
  if (b.credentials !== undefined && provider !== undefined) {
    const needed = CREDENTIAL_ARGS[provider];
    for (const [arg] of needed) {
      if (b.credentials[arg] === undefined) problems.add(`backup.credentials.${arg}`, undefined, `the ${provider} store at ${b.destinationPath} needs ${needed.map(([a]) => a).join(" and ")}`);
    }
    for (const arg of Object.keys(b.credentials) as Array<keyof PostgresBackupCredentialsArgs>) {
      if (b.credentials[arg] !== undefined && !needed.some(([a]) => a === arg)) problems.add(`backup.credentials.${arg}`, "<secret>", `not used by a ${provider} store; give ${needed.map(([a]) => a).join(" and ")}`);
    }
    credentials = Object.fromEntries(needed.flatMap(([arg, key]) => (b.credentials![arg] !== undefined ? [[key, b.credentials![arg]!]] : [])));
  }
  if (b.workloadIdentity !== undefined && provider !== undefined) {
    const arg = IDENTITY_ARG[provider];
    const value = b.workloadIdentity[arg];
    for (const other of Object.values(IDENTITY_ARG)) {
      if (other !== arg && b.workloadIdentity[other] !== undefined) problems.add(`backup.workloadIdentity.${other}`, b.workloadIdentity[other], `not used by a ${provider} store; give ${arg}`);
    }
    if (value === undefined || !IDENTITY_VALUE[provider].test(value)) {
      problems.add(`backup.workloadIdentity.${arg}`, value, `use ${WORKLOAD_IDENTITY[provider].what} for ${b.destinationPath}`);
    }
    auth = { workloadIdentity: value ?? "" };
    serviceAccountAnnotations = { [WORKLOAD_IDENTITY[provider].annotation]: value ?? "" };
  }
  const serverName = b.serverName ?? clusterName;
  if (!SERVER_NAME.test(serverName)) problems.add("backup.serverName", serverName, "use lower-case letters, digits, '-', '_' or '.'");
  if (b.endpointUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(b.endpointUrl)) problems.add("backup.endpointUrl", b.endpointUrl, "use the store's http(s):// URL");
  const schedule = b.schedule ?? DEFAULT_BACKUP_SCHEDULE;
  const scheduleProblem = cronScheduleProblem(schedule);
  if (scheduleProblem !== undefined) problems.add("backup.schedule", schedule, scheduleProblem);
  const retentionDays = b.retentionDays ?? 30;
  if (!(Number.isInteger(retentionDays) && retentionDays >= 1)) problems.add("backup.retentionDays", retentionDays, "use a whole number of days, at least 1");
  return {
    destinationPath: b.destinationPath,
    // Reported above when undefined; the plan is never returned with a problem.
    provider: provider!,
    auth,
    ...(credentials !== undefined ? { credentials } : {}),
    ...(serviceAccountAnnotations !== undefined ? { serviceAccountAnnotations } : {}),
    serverName,
    ...(b.endpointUrl !== undefined ? { endpointUrl: b.endpointUrl } : {}),
    retentionDays,
    schedule,
  };
}

/**
 * A PostgreSQL cluster run by CloudNativePG: `instances` pods with automated failover, an application
 * database owned by `owner` whose generated password is a Pulumi secret end to end (RandomPassword ->
 * `kubernetes.io/basic-auth` Secret -> `connectionUri`), optional continuous backup with point-in-time
 * recovery through the barman-cloud plugin, and a PodMonitor.
 *
 * The operator is not installed here: pass the `CloudNativePgOperator` (and the namespace) in `dependsOn`.
 */
export class PostgresCluster extends pulumi.ComponentResource {
  /** Name of the CloudNativePG Cluster. */
  public readonly clusterName: pulumi.Output<string>;
  /** Read-write Service of the primary: `<clusterName>-rw.<namespace>.svc`. */
  public readonly host: pulumi.Output<string>;
  /** PostgreSQL's port. */
  public readonly port: pulumi.Output<number>;
  /** The application database. */
  public readonly database: pulumi.Output<string>;
  /** The owner role applications connect as. */
  public readonly username: pulumi.Output<string>;
  /** `kubernetes.io/basic-auth` Secret with `username` and `password`, for pods' `secretKeyRef`. */
  public readonly secretName: pulumi.Output<string>;
  /** `postgresql://<user>:<password>@<host>:5432/<database>`; a Pulumi secret. */
  public readonly connectionUri: pulumi.Output<string>;
  /** The owner's password; a Pulumi secret. */
  public readonly password: pulumi.Output<string>;

  constructor(name: string, args: PostgresClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken(COMPONENT), name, {}, opts);
    const plan = planPostgresCluster(name, args);
    const labels = platformLabels("database");
    const objectMeta = { namespace: plan.namespace, labels };
    // Only when asked: an explicit `protect: false` would override protection inherited from the caller.
    const keep = plan.protect ? { protect: true, retainOnDelete: true } : {};

    // Generated: letters and digits only, as the password goes into a URI and into libpq keyword strings,
    // where other characters would need escaping that not every client does. 32 of them are ~190 bits.
    const secretPassword = suppliedOrGeneratedSecret(args.password, `${name}-password`, 32, { parent: this, ...keep });
    const secret = new k8s.core.v1.Secret(
      `${name}-app-user`,
      {
        metadata: { name: plan.names.secret, ...objectMeta },
        // CloudNativePG requires basic-auth for initdb.secret.
        type: "kubernetes.io/basic-auth",
        stringData: { username: plan.owner, password: secretPassword },
      },
      { parent: this, ...keep },
    );

    const beforeCluster: pulumi.Resource[] = [secret];
    const backup = plan.backup;
    if (backup !== undefined) {
      // Written here from the stack's secrets, so the first `pulumi up` needs nothing made by hand in a
      // namespace the stack itself creates.
      if (backup.credentials !== undefined) {
        beforeCluster.push(
          new k8s.core.v1.Secret(
            `${name}-backup-credentials`,
            {
              metadata: { name: plan.names.backupSecret, ...objectMeta },
              type: "Opaque",
              stringData: Object.fromEntries(Object.entries(backup.credentials).map(([key, value]) => [key, pulumi.secret(value)])),
            },
            { parent: this, ...keep },
          ),
        );
      }
      // Before the Cluster: its first WAL segment is archived as soon as the primary starts (and a
      // recovering cluster reads its source through the same store).
      beforeCluster.push(
        new k8s.apiextensions.CustomResource(
          `${name}-object-store`,
          objectStoreManifest({
            name: plan.names.objectStore,
            ...objectMeta,
            destinationPath: backup.destinationPath,
            provider: backup.provider,
            auth: backup.auth,
            ...(backup.endpointUrl !== undefined ? { endpointUrl: backup.endpointUrl } : {}),
            retentionDays: backup.retentionDays,
            sidecarResources: SIDECAR_RESOURCES,
          }),
          { parent: this, ...keep },
        ),
      );
    }
    const cluster = new k8s.apiextensions.CustomResource(
      `${name}-cluster`,
      postgresClusterManifest({
        name: plan.clusterName,
        ...objectMeta,
        instances: plan.instances,
        imageName: plan.imageName,
        storageSize: `${plan.storageGiB}Gi`,
        ...(plan.storageClass !== undefined ? { storageClass: plan.storageClass } : {}),
        database: plan.database,
        owner: plan.owner,
        ownerSecretName: plan.names.secret,
        postInitApplicationSql: plan.postInitApplicationSql,
        resources: plan.resources,
        podAntiAffinity: plan.podAntiAffinity,
        ...(backup !== undefined
          ? { objectStoreName: plan.names.objectStore, ...(backup.serverName !== plan.clusterName ? { serverName: backup.serverName } : {}) }
          : {}),
        ...(backup?.serviceAccountAnnotations !== undefined ? { serviceAccountAnnotations: backup.serviceAccountAnnotations } : {}),
        // Azure's webhook injects the identity's token only into pods that carry this label.
        ...(backup?.provider === "azure" && "workloadIdentity" in backup.auth ? { inheritedLabels: { [AZURE_WORKLOAD_IDENTITY_POD_LABEL]: "true" } } : {}),
        ...(plan.recovery !== undefined ? { recovery: plan.recovery } : {}),
      }),
      // The volumes are owned by the Cluster: kept with it, they survive a destroy or a removal too.
      { parent: this, dependsOn: beforeCluster, ...keep },
    );
    if (plan.backup !== undefined) {
      new k8s.apiextensions.CustomResource(
        `${name}-scheduled-backup`,
        scheduledBackupManifest({ name: plan.names.scheduledBackup, ...objectMeta, clusterName: plan.clusterName, schedule: plan.backup.schedule }),
        { parent: this, dependsOn: [cluster] },
      );
    }
    if (plan.podMonitor) {
      new k8s.apiextensions.CustomResource(
        `${name}-pod-monitor`,
        podMonitorManifest({ name: plan.names.podMonitor, ...objectMeta, clusterName: plan.clusterName }),
        { parent: this },
      );
    }

    const host = `${plan.clusterName}-rw.${plan.namespace}.svc`;
    this.clusterName = pulumi.output(plan.clusterName);
    this.host = pulumi.output(host);
    this.port = pulumi.output(POSTGRES_PORT);
    this.database = pulumi.output(plan.database);
    this.username = pulumi.output(plan.owner);
    this.secretName = pulumi.output(plan.names.secret);
    // The owner is a plain identifier; a supplied password may hold characters a URI must percent-encode.
    this.connectionUri = pulumi.secret(
      pulumi.interpolate`postgresql://${plan.owner}:${secretPassword.apply(encodeURIComponent)}@${host}:${POSTGRES_PORT}/${plan.database}`,
    );
    this.password = secretPassword;
    this.registerOutputs({
      clusterName: this.clusterName,
      host: this.host,
      port: this.port,
      database: this.database,
      username: this.username,
      secretName: this.secretName,
      connectionUri: this.connectionUri,
      password: this.password,
    });
  }
}
