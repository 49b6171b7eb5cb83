/**
 * `@mlops-platform/components/internal`: UNSUPPORTED. The pure functions, chart pins and validators behind
 * the components, exported only so this repository's tests can check them directly (table tests of the
 * logic the constructors delegate to). Not part of the public API: no API report, no compatibility
 * promise; any release may change or remove any of it. Programs (infra/ included) and policy packs use
 * `@mlops-platform/components` and `@mlops-platform/components/testing` only.
 *
 * Each name here is added on purpose, for a test that needs it.
 */

// Common
export { isPinnedImage } from "../common/kubernetes.js";

// Cluster
export { CERT_MANAGER_CHART, certManagerValues } from "../cluster/cert-manager.js";
export { planClusterBase } from "../cluster/cluster-base.js";
export { priorityClassSpecs } from "../cluster/priority-classes.js";

// Database
export { BARMAN_CLOUD_PLUGIN_CHART, CLOUDNATIVE_PG_CHART } from "../database/cnpg-operator.js";
export { cronScheduleProblem } from "../database/cron.js";
export { backupProvider, objectStoreManifest, postgresClusterManifest, scheduledBackupManifest } from "../database/manifests.js";
export { planPostgresCluster, POSTGRES_IMAGE } from "../database/postgres-cluster.js";
export { DATABASE_VALIDATORS, validateBarmanObjectStore, validateCnpgCluster, validateCnpgScheduledBackup } from "../database/validators.js";
export { CATALOG_READONLY_ROLE, catalogSqlFiles } from "../catalog/catalog-sql.js";
export { catalogDatabaseClusterArgs, planCatalogDatabase } from "../catalog/catalog-database.js";
export { CATALOG_RECONCILER_SCRIPT } from "../catalog/catalog-reconciler-script.js";
export { desiredCatalog, desiredCatalogJson, SENSITIVITY_LEVELS } from "../catalog/catalog-reconciler-manifests.js";
export { OPENMETADATA_CHART, OPENMETADATA_INGESTION_IMAGE, OPENSEARCH_CHART, openMetadataValues, openSearchValues } from "../catalog/charts.js";
export { planDataCatalog } from "../catalog/data-catalog.js";

// AI gateway
export { LITELLM_IMAGE, planAiGateway, type AiGatewayPlan } from "../gateway/ai-gateway.js";
export {
  egressPorts,
  gatewayAutoscaler,
  gatewayConfigMap,
  gatewayConfigYaml,
  gatewayDeployment,
  gatewayDisruptionBudget,
  gatewayEnvSecret,
  gatewayNetworkPolicy,
  gatewayService,
  gatewayServiceMonitor,
  valkeyDeployment,
  valkeyNetworkPolicy,
  valkeyService,
} from "../gateway/gateway-manifests.js";
export { diffGatewayTeam, gatewayTeamProvider } from "../gateway/gateway-team.js";
export { gatewayModelProblems } from "../gateway/litellm-config.js";
export {
  liteLLMAdmin,
  LiteLLMAdminError,
  liteLLMErrorMessage,
  teamRequestBody,
  teamSettingsProblems,
  type LiteLLMAdminOptions,
} from "../gateway/litellm-admin.js";
export { planGatewayTeamReconciler, type GatewayTeamReconcilerPlan } from "../gateway/team-reconciler.js";
export {
  desiredGatewayTeams,
  desiredGatewayTeamsJson,
  gatewayFromReconcilerNetworkPolicy,
  reconcilerCronJob,
  reconcilerJob,
  reconcilerNetworkPolicy,
  reconcilerRole,
  reconcilerRoleBinding,
  reconcilerScriptConfigMap,
  reconcilerServiceAccount,
  reconcilerTeamsConfigMap,
  type DesiredGatewayTeam,
  type DesiredGatewayTeams,
} from "../gateway/team-reconciler-manifests.js";
export { TEAM_RECONCILER_SCRIPT } from "../gateway/team-reconciler-script.js";

// GPU
export { planGpuNodePool } from "../gpu/gpu-node-pool.js";
export { devicePluginConfigs, GPU_OPERATOR_CHART, gpuOperatorValues, migStrategy } from "../gpu/gpu-operator.js";
export { podPlacement } from "../gpu/node-pool-spec.js";

// Monitoring
export { alertmanagerConfigYaml, prometheusStackValues } from "../monitoring/charts.js";
export { monitoringDashboards, monitoringRuleGroups, type MonitoringContent } from "../monitoring/content.js";
export { costRules } from "../monitoring/cost-rules.js";
export { dashboardQueries, type Dashboard } from "../monitoring/dashboard-kit.js";
export { deliveryDashboard } from "../monitoring/delivery-dashboard.js";
export {
  DEPLOYMENT_ENVIRONMENT_LABEL,
  DEPLOYMENT_RECORD,
  deliveryRules,
  deploymentRecordCrd,
  deploymentRecordStateMetrics,
  DeploymentResult,
  DORA_SERIES,
  DORA_WINDOW_DAYS,
  RECORD_RETENTION_DAYS,
} from "../monitoring/delivery.js";
export { catalogMetrics, DEPLOYMENT_RECORDS, exposedSeries, MODEL_CONTRACT, type MetricInfo } from "../monitoring/metrics.js";
export { modelDashboard, modelDashboardUid, modelsOverviewDashboard } from "../monitoring/model-dashboards.js";
export { MODEL_MONITOR_DEFAULTS, planModelMonitor, type ModelMonitorPlan } from "../monitoring/model-monitor.js";
export { isPortableBucketBound, leMatcher, MODEL_SERIES, modelRules, PSI_EPSILON, type ModelRulesInput } from "../monitoring/model-rules.js";
export { dashboardConfigMap } from "../monitoring/monitoring-manifests.js";
export { planMonitoringStack } from "../monitoring/monitoring-stack.js";
export { DEFAULT_RUNBOOK_URL, isAlertingRule, ruleFileYaml, runbookUrl, type AlertingRule, type PrometheusRuleGroup } from "../monitoring/rules.js";

// Notebooks
export { planNotebookAccess, validateNotebookAccess, type NotebookAccessPlan } from "../notebooks/notebook-access.js";
export {
  accessRouterConfig,
  notebookAccessHttpRoute,
  notebookAccessIngress,
  notebookRouterConfigMap,
  notebookRouterDeployment,
  notebookRouterService,
  oauth2ProxyDeployment,
  oauth2ProxySecret,
  oauth2ProxyService,
} from "../notebooks/notebook-access-manifests.js";
export { planNotebookPlatform } from "../notebooks/notebook-platform.js";
export { notebookRouterConfig } from "../notebooks/notebook-router.js";
export { teamPodDefaults } from "../notebooks/notebook-spec.js";
export { NOTEBOOK_VALIDATORS, validateNotebook, validatePodDefault } from "../notebooks/validators.js";

// Tenancy
export { planTeam } from "../tenancy/team.js";
export { formatCpu, formatGiB, teamLimitRange, teamQuotaHard } from "../tenancy/team-spec.js";

// Training
export { cpuTorchRuntime, gpuTorchRuntime } from "../training/runtimes.js";
export { planTrainingPlatform } from "../training/training-platform.js";
export {
  TRAINING_VALIDATORS,
  validateClusterQueue,
  validateClusterTrainingRuntime,
  validateLocalQueue,
  validateResourceFlavor,
  validateTrainJob,
} from "../training/validators.js";
