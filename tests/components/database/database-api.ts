/**
 * The database capability as its tests see it: the public API, as library users import it, and the internal
 * builders, validators and pins the tests check directly (unsupported entry point).
 */
export * from "@mlops-platform/components";
export {
  BARMAN_CLOUD_PLUGIN_CHART,
  backupProvider,
  CLOUDNATIVE_PG_CHART,
  cronScheduleProblem,
  DATABASE_VALIDATORS,
  objectStoreManifest,
  planPostgresCluster,
  POSTGRES_IMAGE,
  postgresClusterManifest,
  scheduledBackupManifest,
  validateBarmanObjectStore,
  validateCnpgCluster,
  validateCnpgScheduledBackup,
} from "@mlops-platform/components/internal";
