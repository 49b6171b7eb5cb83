/**
 * The ClusterTrainingRuntimes the platform ships, as pure functions: PyTorch distributed on CPU nodes,
 * and one per GPU pool that already carries the pool's node selector, GPU toleration and the training
 * PriorityClass. A team's TrainJob then only names the runtime, its image, command, nodes and GPUs.
 * Shape from upstream's `torch-distributed` runtime (Trainer v2.3.0 chart): `mlPolicy.torch`, one
 * replicated job `node` labelled as the trainer step, with a container `node`.
 */
import { platformLabels } from "../common/kubernetes.js";
import { GPU_POOL_LABEL, GPU_TYPE_LABEL } from "../gpu/node-pool-spec.js";
import { TRAINER_API_VERSION, TRAINER_NODE_NAME, TRAINJOB_ANCESTOR_LABEL, type ClusterTrainingRuntime, type Toleration } from "./types.js";

/** Runtime for CPU-only PyTorch jobs. */
export const CPU_RUNTIME_NAME = "torch-distributed-cpu";
/** Prefix of the per-pool GPU runtimes: `torch-distributed-gpu-<pool>`. */
export const GPU_RUNTIME_PREFIX = "torch-distributed-gpu-";

/** Name of the GPU runtime of a pool. */
export function gpuRuntimeName(pool: string): string {
  return `${GPU_RUNTIME_PREFIX}${pool}`;
}

/**
 * Image a TrainJob runs when it sets none: the one upstream's torch-distributed runtime pins in the
 * Trainer 2.3.0 chart. CUDA builds also run on CPU nodes, so both runtimes share it.
 */
export const DEFAULT_TORCH_IMAGE = "pytorch/pytorch:2.10.0-cuda12.8-cudnn9-runtime";
/** Label the Kubeflow SDK reads to tell which framework a runtime runs. */
export const FRAMEWORK_LABEL = "trainer.kubeflow.org/framework";
/** The extended resource NVIDIA's device plugin advertises. */
export const GPU_RESOURCE = "nvidia.com/gpu";
/**
 * Whole-JobSet restarts before a TrainJob fails. Spot pools lose nodes; a restart resumes from the job's
 * last checkpoint instead of failing the run, and the cap stops a crash-looping script.
 */
export const JOBSET_MAX_RESTARTS = 3;
/**
 * Non-root identity of training pods. Team namespaces enforce Pod Security `restricted`, which rejects
 * images that run as root (the PyTorch images do) unless the pod names another user.
 */
export const TRAINING_UID = 1000;

/** Where a GPU pool's pods go (what `GpuNodePool` and `MlPlatform.gpuPools` report per pool). */
export interface RuntimePoolPlacement {
  /** Pool name. */
  name: string;
  /** GPU type, e.g. `nvidia-l4`. */
  gpu: string;
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
}

/** The runtime for CPU-only jobs: no GPU toleration, so its pods never land on (or hold) GPU nodes. */
export function cpuTorchRuntime(priorityClassName: string): ClusterTrainingRuntime {
  return torchRuntime(CPU_RUNTIME_NAME, priorityClassName, undefined);
}

/**
 * The runtime of one GPU pool: its pods select the pool's nodes, tolerate its GPU taint and ask for one GPU
 * unless the TrainJob asks for more (`resourcesPerNode`).
 */
export function gpuTorchRuntime(pool: RuntimePoolPlacement, priorityClassName: string): ClusterTrainingRuntime {
  return torchRuntime(gpuRuntimeName(pool.name), priorityClassName, pool);
}

function torchRuntime(name: string, priorityClassName: string, pool: RuntimePoolPlacement | undefined): ClusterTrainingRuntime {
  const oneGpu = { [GPU_RESOURCE]: "1" };
  return {
    apiVersion: TRAINER_API_VERSION,
    kind: "ClusterTrainingRuntime",
    metadata: {
      name,
      labels: platformLabels("training", {
        [FRAMEWORK_LABEL]: "torch",
        ...(pool ? { [GPU_POOL_LABEL]: pool.name, [GPU_TYPE_LABEL]: pool.gpu } : {}),
      }),
    },
    spec: {
      mlPolicy: { numNodes: 1, torch: {} },
      template: {
        spec: {
          failurePolicy: { maxRestarts: JOBSET_MAX_RESTARTS },
          replicatedJobs: [
            {
              name: TRAINER_NODE_NAME,
              template: {
                metadata: { labels: { [TRAINJOB_ANCESTOR_LABEL]: "trainer" } },
                spec: {
                  template: {
                    spec: {
                      priorityClassName,
                      ...(pool ? { nodeSelector: { ...pool.nodeSelector }, tolerations: pool.tolerations.map((t) => ({ ...t })) } : {}),
                      securityContext: {
                        runAsNonRoot: true,
                        runAsUser: TRAINING_UID,
                        runAsGroup: TRAINING_UID,
                        fsGroup: TRAINING_UID,
                        seccompProfile: { type: "RuntimeDefault" },
                      },
                      containers: [
                        {
                          name: TRAINER_NODE_NAME,
                          image: DEFAULT_TORCH_IMAGE,
                          // The image's HOME is root's; caches (pip, Hugging Face, Triton kernels) need a writable one.
                          env: [{ name: "HOME", value: "/tmp" }],
                          ...(pool ? { resources: { requests: oneGpu, limits: oneGpu } } : {}),
                          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                          // PyTorch DataLoader workers share batches through /dev/shm; the container default is 64Mi.
                          volumeMounts: [{ name: "dshm", mountPath: "/dev/shm" }],
                        },
                      ],
                      volumes: [{ name: "dshm", emptyDir: { medium: "Memory" } }],
                    },
                  },
                },
              },
            },
          ],
        },
      },
    },
  };
}
