/**
 * The training capability as its tests see it: the public API, as library users import it, and the internal
 * runtime builders, plan and validators the tests check directly (unsupported entry point).
 */
export * from "@mlops-platform/components";
export {
  cpuTorchRuntime,
  gpuTorchRuntime,
  planTrainingPlatform,
  TRAINING_VALIDATORS,
  validateClusterQueue,
  validateClusterTrainingRuntime,
  validateLocalQueue,
  validateResourceFlavor,
  validateTrainJob,
} from "@mlops-platform/components/internal";
