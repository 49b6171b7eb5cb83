import * as pulumi from "@pulumi/pulumi";
import { argumentProblems, typeToken } from "../common/component.js";
import { isDnsLabel } from "../common/kubernetes.js";
import {
  planPostgresCluster,
  PostgresCluster,
  type PodAntiAffinity,
  type PostgresBackupArgs,
  type PostgresClusterArgs,
  type PostgresRecoveryArgs,
} from "../database/postgres-cluster.js";
import { CATALOG_READONLY_ROLE, catalogSqlFiles } from "./catalog-sql.js";

/** Namespace of the data catalog and its database. */
export const CATALOG_NAMESPACE = "mlp-catalog";
/** Names the catalog's database is known by: its Services are `catalog-db-rw` and siblings. */
export const CATALOG_DB = { clusterName: "catalog-db", database: "openmetadata_db", owner: "openmetadata" } as const;

/**
 * The catalog's PostgreSQL: the data catalog's metadata (datasets, owners, sensitivity, lineage). Environments
 * differ only in these args (presets in `infra/capabilities/catalog.ts`):
 *
 * | environment | args |
 * |---|---|
 * | local | `{ instances: 1 }`: no backup |
 * | dev | `{ instances: 1, backup: { ..., retentionDays: 7 } }` |
 * | staging | `{ instances: 2, backup: { ..., retentionDays: 14 }, protect: true }` |
 * | prod | `{ instances: 3, podAntiAffinity: "required", backup: { ..., retentionDays: 35 }, protect: true }` |
 */
export interface CatalogDatabaseArgs {
  /**
   * Namespace of the database; it must exist (pass it in `dependsOn`).
   * @default "mlp-catalog"
   */
  namespace?: string;
  /**
   * The owner's password (the role the catalog connects as).
   * @default a random 32-character password (letters and digits)
   */
  password?: pulumi.Input<string>;
  /**
   * PostgreSQL instances: one primary, the rest streaming replicas.
   * @default 1
   */
  instances?: number;
  /**
   * Volume size of each instance, GiB.
   * @default 10
   */
  storageGiB?: number;
  /**
   * StorageClass of the volumes.
   * @default the cluster's default StorageClass
   */
  storageClass?: string;
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
   * Memory of each instance, MiB (request and limit).
   * @default 1024
   */
  memoryMiB?: number;
  /**
   * Spread instances over nodes.
   * @default "preferred"
   */
  podAntiAffinity?: PodAntiAffinity;
  /**
   * Continuous backup with point-in-time recovery.
   * @default none: no backups
   */
  backup?: PostgresBackupArgs;
  /**
   * Create the database from its backups up to a point in time, instead of an empty one.
   * @default none
   */
  recovery?: PostgresRecoveryArgs;
  /**
   * A PodMonitor for the instances' metrics (needs the Prometheus Operator's CRDs).
   * @default true
   */
  podMonitor?: boolean;
  /**
   * `protect` and `retainOnDelete` on the cluster (and its volumes), its secrets and its backups' store.
   * @default false
   */
  protect?: boolean;
}

const COMPONENT = "CatalogDatabase";

/** The PostgresCluster args of a catalog database: its fixed names and the SQL it is created with. */
export function catalogDatabaseClusterArgs(args: CatalogDatabaseArgs): PostgresClusterArgs {
  const { namespace, ...rest } = args;
  return {
    ...rest,
    namespace: namespace ?? CATALOG_NAMESPACE,
    ...CATALOG_DB,
    postInitApplicationSql: catalogSqlFiles().map((file) => file.sql),
  };
}

/**
 * Validates CatalogDatabase args (its PostgresCluster's rules, reported as CatalogDatabase's) and returns
 * the cluster's args.
 */
export function planCatalogDatabase(name: string, args: CatalogDatabaseArgs): PostgresClusterArgs {
  const problems = argumentProblems(COMPONENT, name);
  if (args.namespace !== undefined && !isDnsLabel(args.namespace)) problems.add("namespace", args.namespace, "use a namespace name (a DNS label)");
  problems.throwIfAny();
  const clusterArgs = catalogDatabaseClusterArgs(args);
  planPostgresCluster(`${name}-postgres`, clusterArgs);
  return clusterArgs;
}

/**
 * The data catalog's PostgreSQL on the shared PostgresCluster: database `openmetadata_db` owned by
 * `openmetadata`, created with the SQL the package ships (extensions, the `platform` schema with the
 * sensitivity levels, and `catalog_readonly`, the analysts' read-only role).
 */
export class CatalogDatabase extends pulumi.ComponentResource {
  /** Name of the CloudNativePG Cluster. */
  public readonly clusterName: pulumi.Output<string>;
  /** Read-write Service of the primary. */
  public readonly host: pulumi.Output<string>;
  /** PostgreSQL's port. */
  public readonly port: pulumi.Output<number>;
  /** The catalog's database, `openmetadata_db`. */
  public readonly database: pulumi.Output<string>;
  /** The owner role the catalog connects as. */
  public readonly username: pulumi.Output<string>;
  /** `kubernetes.io/basic-auth` Secret with the owner's `username` and `password`. */
  public readonly secretName: pulumi.Output<string>;
  /** The analysts' role: grant it to a login role to read the catalog's tables. */
  public readonly readOnlyRole: pulumi.Output<string>;
  /** `postgresql://...`; a Pulumi secret. */
  public readonly connectionUri: pulumi.Output<string>;
  /** The owner's password; a Pulumi secret. */
  public readonly password: pulumi.Output<string>;

  constructor(name: string, args: CatalogDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken(COMPONENT), name, {}, opts);
    const clusterArgs = planCatalogDatabase(name, args);
    const cluster = new PostgresCluster(`${name}-postgres`, clusterArgs, { parent: this });
    this.clusterName = cluster.clusterName;
    this.host = cluster.host;
    this.port = cluster.port;
    this.database = cluster.database;
    this.username = cluster.username;
    this.secretName = cluster.secretName;
    this.readOnlyRole = pulumi.output(CATALOG_READONLY_ROLE);
    this.connectionUri = cluster.connectionUri;
    this.password = cluster.password;
    this.registerOutputs({
      clusterName: this.clusterName,
      host: this.host,
      port: this.port,
      database: this.database,
      username: this.username,
      secretName: this.secretName,
      readOnlyRole: this.readOnlyRole,
      connectionUri: this.connectionUri,
      password: this.password,
    });
  }
}
