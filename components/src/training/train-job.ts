/**
 * `trainJob`: the TrainJob a team submits, built from intent (runtime, image, command, nodes, resources
 * per node). Placement, tolerations and priority come from the runtime, so they are not arguments.
 */
import { describeValue } from "../common/component.js";
import { isDnsLabel, isPinnedImage } from "../common/kubernetes.js";
import { formatCpu, formatGiB } from "../tenancy/team-spec.js";
import { CPU_RUNTIME_NAME, GPU_RESOURCE, GPU_RUNTIME_PREFIX } from "./runtimes.js";
import { KUEUE_QUEUE_LABEL, TRAINER_API_VERSION, type Quantity, type TrainJob } from "./types.js";

export interface TrainJobArgs {
  /** TrainJob name: an RFC 1035 label (Trainer derives pod host names from it). */
  name: string;
  /** The team's namespace. */
  namespace: string;
  /** ClusterTrainingRuntime to build from: `torch-distributed-cpu` or `torch-distributed-gpu-<pool>`. */
  runtime: string;
  /** Container image with an exact tag or digest. */
  image: string;
  /**
   * Command of the training container, e.g. `["torchrun", "train.py"]`; Trainer gives torchrun its
   * distributed settings through `PET_*` environment variables.
   * @default the image's entrypoint
   */
  command?: string[];
  /**
   * Arguments of the training container.
   * @default []
   */
  args?: string[];
  /**
   * Environment variables of the training container.
   * @default {}
   */
  env?: Record<string, string>;
  /**
   * Nodes (pods) of the distributed job.
   * @default 1
   */
  numNodes?: number;
  /**
   * GPUs per node; also the processes per node. Needs a GPU runtime when above 0.
   * @default 0
   */
  gpusPerNode?: number;
  /** CPU cores per node (request and limit). */
  cpuPerNode: number;
  /** Memory per node, GiB (request and limit). */
  memoryGiBPerNode: number;
  /**
   * Kueue LocalQueue the job waits in; set it when the platform runs Kueue (`TrainingPlatform.queueNames`).
   * @default no queue label: the job starts at once, outside Kueue
   */
  queueName?: string;
  /**
   * Extra labels on the TrainJob.
   * @default {}
   */
  labels?: Record<string, string>;
}

const RFC1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A TrainJob for a team. Requests equal limits for cpu, memory and GPUs, so a training pod is never
 * throttled below what it asked for nor evicted for overcommitted memory; `numProcPerNode` is the GPU
 * count (one process per GPU), left to the runtime on CPU. Throws an Error naming every bad field, a line
 * each, with the fix.
 */
export function trainJob(args: TrainJobArgs): TrainJob {
  const found: string[] = [];
  const problems = {
    add: (field: string, value: unknown, fix: string): void => {
      found.push(`trainJob ${JSON.stringify(args.name)}: ${field}: got ${describeValue(value)}; ${fix}`);
    },
  };
  if (args.name.length > 63 || !RFC1035_LABEL.test(args.name)) problems.add("name", args.name, "use a lowercase name that starts with a letter, at most 63 characters");
  if (!isDnsLabel(args.namespace)) problems.add("namespace", args.namespace, "use the team's namespace name");
  const knownRuntime = args.runtime === CPU_RUNTIME_NAME || args.runtime.startsWith(GPU_RUNTIME_PREFIX);
  if (!knownRuntime) problems.add("runtime", args.runtime, `use ${CPU_RUNTIME_NAME} or ${GPU_RUNTIME_PREFIX}<pool>`);
  if (!isPinnedImage(args.image)) problems.add("image", args.image, 'pin the image to a release tag or digest, e.g. "pytorch/pytorch:2.10.0-cuda12.8-cudnn9-runtime"');
  const numNodes = args.numNodes ?? 1;
  if (!Number.isInteger(numNodes) || numNodes < 1) problems.add("numNodes", numNodes, "use a whole number of at least 1");
  const gpusPerNode = args.gpusPerNode ?? 0;
  if (!Number.isInteger(gpusPerNode) || gpusPerNode < 0) problems.add("gpusPerNode", gpusPerNode, "use a whole number, 0 or more");
  else if (knownRuntime && gpusPerNode > 0 && args.runtime === CPU_RUNTIME_NAME) problems.add("runtime", args.runtime, `GPUs need a GPU runtime: use ${GPU_RUNTIME_PREFIX}<pool>`);
  else if (knownRuntime && gpusPerNode === 0 && args.runtime !== CPU_RUNTIME_NAME) {
    problems.add("gpusPerNode", gpusPerNode, `ask for at least 1 GPU on ${args.runtime}, or use ${CPU_RUNTIME_NAME}`);
  }
  for (const [field, value] of [
    ["cpuPerNode", args.cpuPerNode],
    ["memoryGiBPerNode", args.memoryGiBPerNode],
  ] as const) {
    if (!(Number.isFinite(value) && value > 0)) problems.add(field, value, "use a positive number");
  }
  if (found.length > 0) throw new Error(found.join("\n"));

  const perNode: Record<string, Quantity> = { cpu: formatCpu(args.cpuPerNode), memory: formatGiB(args.memoryGiBPerNode) };
  if (gpusPerNode > 0) perNode[GPU_RESOURCE] = String(gpusPerNode);
  const labels = { ...(args.labels ?? {}), ...(args.queueName !== undefined ? { [KUEUE_QUEUE_LABEL]: args.queueName } : {}) };
  return {
    apiVersion: TRAINER_API_VERSION,
    kind: "TrainJob",
    metadata: { name: args.name, namespace: args.namespace, ...(Object.keys(labels).length > 0 ? { labels } : {}) },
    spec: {
      runtimeRef: { apiGroup: "trainer.kubeflow.org", kind: "ClusterTrainingRuntime", name: args.runtime },
      trainer: {
        image: args.image,
        ...(args.command !== undefined ? { command: [...args.command] } : {}),
        ...(args.args !== undefined ? { args: [...args.args] } : {}),
        ...(args.env !== undefined ? { env: Object.entries(args.env).map(([name, value]) => ({ name, value })) } : {}),
        numNodes,
        ...(gpusPerNode > 0 ? { numProcPerNode: gpusPerNode } : {}),
        resourcesPerNode: { requests: { ...perNode }, limits: { ...perNode } },
      },
    },
  };
}
