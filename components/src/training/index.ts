/**
 * Training: Kubeflow Trainer with the platform's ClusterTrainingRuntimes, Kueue fair sharing of GPUs, typed
 * TrainJob and queue kinds, their validators, and the `trainJob` helper teams build jobs with.
 */
export * from "./kueue.js";
export * from "./operators.js";
export * from "./runtimes.js";
export * from "./train-job.js";
export * from "./training-platform.js";
export * from "./validators.js";
// Kind types and their API constants. Generic shapes (metadata, tolerations, quantities) stay module-local
// so they never collide with another capability's exports in the package barrel.
export {
  KUEUE_API_VERSION,
  KUEUE_QUEUE_LABEL,
  TRAINER_API_VERSION,
  TRAINER_NODE_NAME,
  TRAINJOB_ANCESTOR_LABEL,
  type ClusterQueue,
  type ClusterQueuePreemption,
  type ClusterTrainingRuntime,
  type ClusterTrainingRuntimeSpec,
  type FlavorQuota,
  type JobSetFailurePolicy,
  type LocalQueue,
  type MLPolicy,
  type ReplicatedJob,
  type ResourceFlavor,
  type ResourceGroup,
  type RuntimeRef,
  type TrainJob,
  type TrainJobSpec,
  type TrainJobTrainer,
} from "./types.js";
