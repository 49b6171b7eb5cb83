/**
 * GPU: `GpuNodePool` (a pool by intent, rendered per cloud) and `GpuOperator`; the GPU catalog (which GPU
 * each cloud offers, in which sizes and machines); the taint, labels and cost annotations every pool carries.
 * Node-class builders, chart values and the plan stay inside this folder.
 */
export {
  GPU_CATALOG,
  GPU_CLOUDS,
  GPU_TYPES,
  GpuCloud,
  gpuCloudOf,
  gpusPerNodeOptions,
  GpuType,
  gpuTypesOn,
  isGpuType,
  machinesFor,
  type GpuMachine,
  type GpuOffering,
} from "./catalog.js";
export {
  GPU_CAPACITY_NAMESPACE,
  GPU_OPERATOR_NAMESPACE,
  GpuNodePool,
  type AwsGpuNodeArgs,
  type AzureGpuNodeArgs,
  type GpuNodePoolArgs,
  type GpuPoolArgs,
} from "./gpu-node-pool.js";
export { GpuOperator, type GpuOperatorArgs, type GpuSharingArgs } from "./gpu-operator.js";
export {
  AZURE_IMAGE_FAMILIES,
  AzureImageFamily,
  CAPACITY_TYPES,
  CapacityType,
  GPU_POOL_LABEL,
  GPU_TAINT,
  GPU_TYPE_LABEL,
  GPU_WORKLOADS,
  GpuWorkload,
  IDLE_MONTHLY_COST_ANNOTATION,
  MAX_MONTHLY_COST_ANNOTATION,
  MIG_CAPABLE,
  WORKLOAD_LABEL_PREFIX,
  type GpuToleration,
  type PodPlacement,
} from "./node-pool-spec.js";
