/**
 * Database: the shared PostgreSQL building block on CloudNativePG. `CloudNativePgOperator` installs the
 * operator (and the barman-cloud backup plugin); `PostgresCluster` runs one cluster with a generated owner
 * password, optional continuous backup with point-in-time recovery, and a PodMonitor. The typed kinds,
 * manifest builders and validators behind them stay inside this folder (the render kit uses them).
 */
export { CloudNativePgOperator, CNPG_NAMESPACE, type CloudNativePgOperatorArgs } from "./cnpg-operator.js";
export { DEFAULT_BACKUP_SCHEDULE } from "./cron.js";
export {
  PodAntiAffinity,
  PostgresCluster,
  type PostgresBackupArgs,
  type PostgresBackupCredentialsArgs,
  type PostgresBackupWorkloadIdentityArgs,
  type PostgresClusterArgs,
  type PostgresRecoveryArgs,
} from "./postgres-cluster.js";
