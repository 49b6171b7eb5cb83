/**
 * Database: the shared PostgreSQL building block on CloudNativePG. `CloudNativePgOperator` installs the
 * operator (and the barman-cloud backup plugin); `PostgresCluster` runs one cluster with a generated owner
 * password, optional continuous backup with point-in-time recovery, and a PodMonitor. Typed kinds, pure
 * builders and validators for the render kit.
 */
export * from "./cnpg-operator.js";
export * from "./cron.js";
export * from "./manifests.js";
export * from "./postgres-cluster.js";
export * from "./validators.js";
// Kind types and their API constants. Generic shapes (metadata, quantities, resources) stay module-local
// so they never collide with another capability's exports in the package barrel.
export {
  BACKUP_FRESHNESS_METRIC,
  BARMAN_CLOUD_API_VERSION,
  BARMAN_CLOUD_PLUGIN_NAME,
  CNPG_API_VERSION,
  CNPG_CLUSTER_LABEL,
  CNPG_METRICS_PORT,
  CNPG_METRICS_PORT_NAME,
  POD_MONITOR_API_VERSION,
  POSTGRES_PORT,
  type BarmanAzureCredentials,
  type BarmanDataConfiguration,
  type BarmanGoogleCredentials,
  type BarmanInstanceSidecarConfiguration,
  type BarmanObjectStore,
  type BarmanObjectStoreConfiguration,
  type BarmanObjectStoreSpec,
  type BarmanS3Credentials,
  type BarmanWalConfiguration,
  type CnpgBootstrap,
  type CnpgCluster,
  type CnpgClusterSpec,
  type CnpgInitDb,
  type CnpgPluginConfiguration,
  type CnpgPodMonitor,
  type CnpgScheduledBackup,
  type CnpgScheduledBackupSpec,
  type CnpgStorage,
} from "./types.js";
