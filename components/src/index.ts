/**
 * @mlops-platform/components: Pulumi component resources for a machine-learning platform on Kubernetes.
 *
 * The public surface, named one by one: the components with their args and outputs types, `MlPlatform`,
 * the helpers the README documents, and the names a program or a policy pack shares with the components
 * (namespaces, labels, annotations). Everything else is internal to its capability folder. The offline
 * render kit is a separate entry point: `@mlops-platform/components/testing`. api/components.api.md records
 * this surface; a change to it is deliberate (`npm run api -w components`).
 *
 * @packageDocumentation
 */

// Platform
export {
  checkMlPlatformArgs,
  MlPlatform,
  type GpuPoolPlacement,
  type MlPlatformArgs,
  type MlPlatformCatalogArgs,
  type MlPlatformDataCatalogArgs,
  type MlPlatformGatewayArgs,
  type MlPlatformGatewayDatabaseArgs,
  type MlPlatformGatewayTeamArgs,
  type MlPlatformGpuArgs,
  type MlPlatformModelMonitorArgs,
  type MlPlatformMonitoringArgs,
  type MlPlatformNotebookAccessArgs,
  type MlPlatformNotebookArgs,
  type MlPlatformTrainingArgs,
} from "./platform/index.js";

// Common: the errors of bad arguments, the DNS-label check a program applies to its own names, and the
// Kubernetes enums args use (each with the list of its values, in the order messages give them)
export {
  CLUSTER_PROVIDERS,
  ClusterProvider,
  ComponentArgumentError,
  ComponentArgumentErrors,
  isDnsLabel,
  POD_SECURITY_LEVELS,
  PodSecurityLevel,
  TAINT_EFFECTS,
  TaintEffect,
  TOLERATION_OPERATORS,
  TolerationOperator,
} from "./common/index.js";

// Cluster
export {
  ClusterBase,
  ClusterOperator,
  OPERATOR_CRDS,
  WORKLOAD_CLASSES,
  WorkloadClass,
  type CertManagerArgs,
  type ClusterBaseArgs,
  type PlatformNamespaceArgs,
  type PriorityClassesArgs,
  type PriorityClassNames,
} from "./cluster/index.js";

// Tenancy
export { Team, TEAM_LABEL, type TeamArgs, type TeamQuotaArgs, type TrainingGpuInput } from "./tenancy/index.js";

// GPU
export {
  AZURE_IMAGE_FAMILIES,
  AzureImageFamily,
  CAPACITY_TYPES,
  CapacityType,
  GPU_CAPACITY_NAMESPACE,
  GPU_CATALOG,
  GPU_CLOUDS,
  GPU_OPERATOR_NAMESPACE,
  GPU_POOL_LABEL,
  GPU_TAINT,
  GPU_TYPE_LABEL,
  GPU_TYPES,
  GPU_WORKLOADS,
  GpuCloud,
  gpuCloudOf,
  GpuNodePool,
  GpuOperator,
  gpusPerNodeOptions,
  GpuType,
  gpuTypesOn,
  GpuWorkload,
  IDLE_MONTHLY_COST_ANNOTATION,
  isGpuType,
  machinesFor,
  MAX_MONTHLY_COST_ANNOTATION,
  MIG_CAPABLE,
  WORKLOAD_LABEL_PREFIX,
  type AwsGpuNodeArgs,
  type AzureGpuNodeArgs,
  type GpuMachine,
  type GpuNodePoolArgs,
  type GpuOffering,
  type GpuOperatorArgs,
  type GpuPoolArgs,
  type GpuSharingArgs,
  type GpuToleration,
  type PodPlacement,
} from "./gpu/index.js";

// Cost
export {
  estimatePoolCost,
  estimateStackCost,
  GPU_PRICES,
  gpuPrice,
  HOURS_PER_MONTH,
  type GpuPrice,
  type GpuPriceTable,
  type PoolCost,
  type PoolCostInput,
  type StackCost,
} from "./cost/index.js";

// Notebooks
export {
  DEFAULT_NOTEBOOK_IMAGES,
  DEFAULT_NOTEBOOK_SIZES,
  NOTEBOOK_ACCESS_NAMESPACE,
  NOTEBOOK_CATALOG_CONFIG_MAP,
  NOTEBOOK_CONTROLLER_DEPLOYMENT,
  NOTEBOOK_CONTROLLER_NAMESPACE,
  NotebookAccess,
  notebookFor,
  NotebookPlatform,
  PODDEFAULTS_WEBHOOK_NAMESPACE,
  type GatewayContext,
  type Notebook,
  type NotebookAccessArgs,
  type NotebookCullingArgs,
  type NotebookGpuPool,
  type NotebookImage,
  type NotebookObjectMeta,
  type NotebookPlatformArgs,
  type NotebookRequest,
  type NotebookSize,
  type NotebookTeamArgs,
  type RouterTeam,
} from "./notebooks/index.js";

// Training
export {
  CPU_RUNTIME_NAME,
  GPU_RESOURCE,
  gpuRuntimeName,
  KUEUE_NAMESPACE,
  KUEUE_QUEUE_LABEL,
  TRAINER_API_VERSION,
  TRAINER_NAMESPACE,
  trainJob,
  TrainingPlatform,
  type Quantity,
  type RuntimeRef,
  type TrainingGpuPoolArgs,
  type TrainingPlatformArgs,
  type TrainingTeamArgs,
  type TrainingTolerationArgs,
  type TrainJob,
  type TrainJobArgs,
  type TrainJobEnvVar,
  type TrainJobObjectMeta,
  type TrainJobResources,
  type TrainJobSpec,
  type TrainJobTrainer,
} from "./training/index.js";

// AI gateway
export {
  AiGateway,
  defaultApiKeyEnv,
  DESIRED_GATEWAY_TEAMS_KEY,
  DESIRED_GATEWAY_TEAMS_LABEL,
  GATEWAY_BUDGET_ANNOTATION,
  GATEWAY_ENV,
  GATEWAY_KEY_SECRET_KEY,
  GATEWAY_KEY_SECRET_NAME,
  GATEWAY_NAMESPACE,
  GATEWAY_PORT,
  GATEWAY_PROVIDERS,
  gatewayKeySecret,
  GatewayProvider,
  GatewayTeam,
  GatewayTeamReconciler,
  litellmConfig,
  MODELS_WITHOUT_FALLBACK_ANNOTATION,
  type AiGatewayArgs,
  type AiGatewayCacheArgs,
  type AiGatewayModelArgs,
  type GatewayKeySecretArgs,
  type GatewayModel,
  type GatewayPrompt,
  type GatewayTeamArgs,
  type GatewayTeamInputs,
  type GatewayTeamOutputs,
  type GatewayTeamReconcilerArgs,
  type GatewayTeamReconcilerTeamArgs,
  type LiteLlmConfigInput,
  type TeamSettings,
} from "./gateway/index.js";

// Database
export {
  CloudNativePgOperator,
  CNPG_NAMESPACE,
  DEFAULT_BACKUP_SCHEDULE,
  PodAntiAffinity,
  PostgresCluster,
  type CloudNativePgOperatorArgs,
  type PostgresBackupArgs,
  type PostgresBackupCredentialsArgs,
  type PostgresBackupWorkloadIdentityArgs,
  type PostgresClusterArgs,
  type PostgresRecoveryArgs,
} from "./database/index.js";

// Data catalog
export {
  CATALOG_NAMESPACE,
  CatalogDatabase,
  DataCatalog,
  type CatalogDatabaseArgs,
  type DataCatalogAccessArgs,
  type DataCatalogArgs,
  type DataCatalogDatabaseArgs,
  type DataCatalogSourceArgs,
  type DataCatalogTeamArgs,
} from "./catalog/index.js";

// Monitoring
export {
  AlertReceiverKind,
  AlertSeverity,
  MODEL_METRICS_PORT_NAME,
  ModelMonitor,
  MONITORING_NAMESPACE,
  MonitoredCapability,
  MonitoringStack,
  QualityDirection,
  type AlertReceiverArgs,
  type ModelFeatureArgs,
  type ModelMonitorArgs,
  type ModelMonitorThresholdArgs,
  type ModelQualityMetricArgs,
  type ModelReferenceWindowArgs,
  type MonitoringStackArgs,
} from "./monitoring/index.js";
