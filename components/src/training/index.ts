/**
 * Training: `TrainingPlatform` (Kubeflow Trainer with the platform's ClusterTrainingRuntimes, Kueue fair
 * sharing of GPUs) and `trainJob`, the helper teams build jobs with, with the TrainJob kind it returns.
 * Runtime and queue builders, chart values, the plan and the validators stay inside this folder.
 */
export { KUEUE_NAMESPACE, TRAINER_NAMESPACE } from "./operators.js";
export { CPU_RUNTIME_NAME, GPU_RESOURCE, gpuRuntimeName } from "./runtimes.js";
export { trainJob, type TrainJobArgs } from "./train-job.js";
export {
  TrainingPlatform,
  type TrainingGpuPoolArgs,
  type TrainingPlatformArgs,
  type TrainingTeamArgs,
  type TrainingTolerationArgs,
} from "./training-platform.js";
export {
  KUEUE_QUEUE_LABEL,
  TRAINER_API_VERSION,
  type EnvVar as TrainJobEnvVar,
  type ObjectMeta as TrainJobObjectMeta,
  type Quantity,
  type ResourceRequirements as TrainJobResources,
  type RuntimeRef,
  type TrainJob,
  type TrainJobSpec,
  type TrainJobTrainer,
} from "./types.js";
