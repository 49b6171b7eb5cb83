import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { argumentProblems, typeToken } from "../common/component.js";
import { suppliedOrGeneratedSecret } from "../common/generated-secret.js";
import { isDnsLabel, isDnsSubdomain, platformLabels } from "../common/kubernetes.js";
import { formatCpu } from "../tenancy/team-spec.js";
import { cronScheduleProblem, DEFAULT_BACKUP_SCHEDULE } from "./cron.js";
import {
  backupProvider,
  imageTagProblem,
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
   * Secret in the cluster's namespace with the object store credentials, keys per provider as in
   * `BACKUP_CREDENTIAL_KEYS`: S3 `ACCESS_KEY_ID` and `ACCESS_SECRET_KEY`; GCS `gcsCredentials` (the JSON
   * key); Azure `AZURE_STORAGE_CONNECTION_STRING`.
   */
  credentialsSecretName: string;
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
   * Create a PodMonitor for the instances' metrics (needs the Prometheus Operator's CRDs).
   * @default true
   */
  podMonitor?: boolean;
  /**
   * Protect the Cluster, its password and the password Secret: `pulumi destroy` refuses, and removing them
   * from the program leaves them in Kubernetes (`protect` and `retainOnDelete`).
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
    credentialsSecretName: string;
    endpointUrl?: string;
    retentionDays: number;
    schedule: string;
  };
  podMonitor: boolean;
  protect: boolean;
  /** Names of the objects the component creates. */
  names: { secret: string; objectStore: string; scheduledBackup: string; podMonitor: string };
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

  let backup: PostgresClusterPlan["backup"];
  if (args.backup !== undefined) {
    const b = args.backup;
    const provider = backupProvider(b.destinationPath);
    if (provider === undefined) {
      problems.add("backup.destinationPath", b.destinationPath, "use s3://bucket/path, gs://bucket/path or https://<account>.blob.core.windows.net/<container>/path");
    }
    if (!isDnsSubdomain(b.credentialsSecretName)) problems.add("backup.credentialsSecretName", b.credentialsSecretName, "name the Secret holding the object store credentials");
    if (b.endpointUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(b.endpointUrl)) problems.add("backup.endpointUrl", b.endpointUrl, "use the store's http(s):// URL");
    const schedule = b.schedule ?? DEFAULT_BACKUP_SCHEDULE;
    const scheduleProblem = cronScheduleProblem(schedule);
    if (scheduleProblem !== undefined) problems.add("backup.schedule", schedule, scheduleProblem);
    backup = {
      destinationPath: b.destinationPath,
      // Reported above when undefined; the plan is never returned with a problem.
      provider: provider!,
      credentialsSecretName: b.credentialsSecretName,
      ...(b.endpointUrl !== undefined ? { endpointUrl: b.endpointUrl } : {}),
      retentionDays: wholeAtLeast("backup.retentionDays", b.retentionDays ?? 30, 1, "days"),
      schedule,
    };
  }

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
    podMonitor: args.podMonitor ?? true,
    protect: args.protect ?? false,
    names: {
      secret: `${clusterName}-app-user`,
      objectStore: `${clusterName}-backups`,
      scheduledBackup: `${clusterName}-backup`,
      podMonitor: clusterName,
    },
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
    if (plan.backup !== undefined) {
      // Before the Cluster: its first WAL segment is archived as soon as the primary starts.
      beforeCluster.push(
        new k8s.apiextensions.CustomResource(
          `${name}-object-store`,
          objectStoreManifest({
            name: plan.names.objectStore,
            ...objectMeta,
            destinationPath: plan.backup.destinationPath,
            provider: plan.backup.provider,
            credentialsSecretName: plan.backup.credentialsSecretName,
            ...(plan.backup.endpointUrl !== undefined ? { endpointUrl: plan.backup.endpointUrl } : {}),
            retentionDays: plan.backup.retentionDays,
            sidecarResources: SIDECAR_RESOURCES,
          }),
          { parent: this },
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
        ...(plan.backup !== undefined ? { objectStoreName: plan.names.objectStore } : {}),
      }),
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
    this.registerOutputs({
      clusterName: this.clusterName,
      host: this.host,
      port: this.port,
      database: this.database,
      username: this.username,
      secretName: this.secretName,
      connectionUri: this.connectionUri,
    });
  }
}
