import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { estimatePoolCost } from "../cost/estimate.js";
import { argumentProblems, typeToken, type ArgumentProblems } from "../common/component.js";
import { CLUSTER_PROVIDERS, ClusterProvider, isDnsLabel, isLabelKey, isLabelValue, isReservedLabelKey, LABEL_KEY_RULE, LABEL_VALUE_RULE, platformLabels } from "../common/kubernetes.js";
import { GPU_TYPES, GpuCloud, gpuTypesOn, gpusPerNodeOptions, isGpuType, type GpuType } from "./catalog.js";
import {
  aksNodeClass,
  AZURE_IMAGE_FAMILIES,
  AzureImageFamily,
  CAPACITY_TYPES,
  CapacityType,
  ec2NodeClass,
  GPU_WORKLOADS,
  gkeComputeClass,
  IDLE_MONTHLY_COST_ANNOTATION,
  karpenterNodePool,
  MAX_MONTHLY_COST_ANNOTATION,
  MIG_CAPABLE,
  podPlacement,
  poolObjectName,
  type GpuPoolSpec,
  type GpuToleration,
  type GpuWorkload,
  type PodPlacement,
} from "./node-pool-spec.js";

/** A GPU pool described by intent. */
export interface GpuPoolArgs {
  /** Pool name, a DNS label; objects are named `gpu-<name>`. */
  name: string;
  /** GPU type, e.g. `nvidia-l4`; the cloud must offer it (see GPU_CATALOG). */
  gpu: GpuType;
  /**
   * GPUs per node; must be a size the cloud offers for this GPU.
   * @default 1
   */
  gpusPerNode?: number;
  /**
   * Capacity types allowed, in order of preference.
   * @default ["on-demand"]
   */
  capacity?: CapacityType[];
  /**
   * Nodes kept running when idle. 0 lets the pool scale to zero.
   * @default 0
   */
  minNodes?: number;
  /** Most GPUs the pool may run at once: its spend ceiling. */
  maxGpus: number;
  /**
   * Minutes an empty node waits before it is removed.
   * @default 30
   */
  consolidateAfterMinutes?: number;
  /**
   * Hours after which a node is replaced (fresh image, security patches); 0 means never.
   * @default 720
   */
  expireAfterHours?: number;
  /**
   * Share each GPU between this many pods by time-slicing (no memory isolation). Exclusive with `migProfile`.
   * @default no sharing
   */
  timeSlicingReplicas?: number;
  /**
   * MIG layout for the pool's nodes, e.g. `all-1g.10gb` (A100 and H100 only). Exclusive with time-slicing.
   * @default no MIG
   */
  migProfile?: string;
  /**
   * Extra labels on the pool's nodes.
   * @default {}
   */
  labels?: Record<string, string>;
  /**
   * Workloads the pool is meant for (`notebooks`, `training`, `serving`, `batch`), as node labels.
   * @default []
   */
  workloads?: GpuWorkload[];
}

/** AWS settings for EC2NodeClass. */
export interface AwsGpuNodeArgs {
  /** IAM role of Karpenter-launched nodes. */
  nodeRole: string;
  /** `karpenter.sh/discovery` tag value on the cluster's subnets and security groups. */
  discoveryTag: string;
  /** Pinned EKS AMI alias such as `al2023@v20251108`. */
  amiAlias: string;
  /**
   * Root volume size, GiB.
   * @default 200
   */
  rootVolumeGiB?: number;
}

/** Azure settings for AKSNodeClass. */
export interface AzureGpuNodeArgs {
  /**
   * Node image.
   * @default "Ubuntu2204"
   */
  imageFamily?: AzureImageFamily;
  /**
   * OS disk size, GB.
   * @default 200
   */
  osDiskSizeGB?: number;
}

export interface GpuNodePoolArgs {
  /** Where the cluster runs. */
  cloud: GpuCloud;
  /** The pool. */
  pool: GpuPoolArgs;
  /** AWS settings of the pool's EC2NodeClass; required on AWS. */
  aws?: AwsGpuNodeArgs;
  /**
   * Azure settings of the pool's AKSNodeClass.
   * @default {}
   */
  azure?: AzureGpuNodeArgs;
  /**
   * Namespace of the placeholder pods that keep `minNodes` nodes warm. Required when `minNodes` > 0.
   * @default none
   */
  warmCapacityNamespace?: string;
  /**
   * PriorityClass of those placeholders: any real pod must preempt them.
   * @default none (required when minNodes > 0)
   */
  warmCapacityPriorityClass?: string;
}

const COMPONENT = "GpuNodePool";
/** The pause image, pinned: a placeholder holds its GPUs and does nothing else. */
export const PLACEHOLDER_IMAGE = "registry.k8s.io/pause:3.10";
/** Namespace of the GPU Operator in an MlPlatform: its agents need privileged pods. */
export const GPU_OPERATOR_NAMESPACE = "gpu-operator";
/** Namespace of the placeholder pods that keep GPU nodes warm in an MlPlatform. */
export const GPU_CAPACITY_NAMESPACE = "mlp-gpu";
const AMI_ALIAS = /^(al2023|bottlerocket)@v\d{8}$/;

/**
 * An autoscaled GPU pool: tainted `nvidia.com/gpu=present:NoSchedule`, labelled for notebooks and training,
 * removed only when empty, capped at `maxGpus`, on spot where allowed. AWS and Azure get a Karpenter
 * NodePool and node class; GCP gets a GKE ComputeClass. kind clusters have no GPU pools.
 */
export class GpuNodePool extends pulumi.ComponentResource {
  /** The pool's name. */
  public readonly poolName: pulumi.Output<string>;
  /** The pool's GPU type. */
  public readonly gpuType: pulumi.Output<GpuType>;
  /** Most GPUs the pool runs at once. */
  public readonly maxGpus: pulumi.Output<number>;
  /** Node selector a GPU pod needs to land on this pool. */
  public readonly nodeSelector: pulumi.Output<Record<string, string>>;
  /** Tolerations a GPU pod needs for this pool's taint. */
  public readonly tolerations: pulumi.Output<GpuToleration[]>;
  /** Estimated monthly cost at `maxGpus`, USD. */
  public readonly maxMonthlyCostUsd: pulumi.Output<number>;

  constructor(name: string, args: GpuNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken(COMPONENT), name, {}, opts);
    const { cloud, pool } = planGpuNodePool(name, args);
    const cost = estimatePoolCost(cloud, pool);
    const annotations = {
      [MAX_MONTHLY_COST_ANNOTATION]: cost.maxMonthlyUsd.toFixed(2),
      [IDLE_MONTHLY_COST_ANNOTATION]: cost.idleMonthlyUsd.toFixed(2),
    };
    const labels = platformLabels("gpu");
    const withLabels = (object: CustomObject): k8s.apiextensions.CustomResourceArgs => ({
      ...object,
      metadata: { ...object.metadata, labels: { ...labels, ...(object.metadata?.labels ?? {}) } },
    });

    let poolResource: pulumi.Resource;
    if (cloud === GpuCloud.Gcp) {
      poolResource = new k8s.apiextensions.CustomResource(`${name}-compute-class`, withLabels(gkeComputeClass(pool, annotations)), { parent: this });
    } else {
      const nodeClass =
        cloud === GpuCloud.Aws
          ? ec2NodeClass(pool, { ...args.aws!, rootVolumeGiB: args.aws!.rootVolumeGiB ?? 200 })
          : aksNodeClass(pool, {
              imageFamily: args.azure?.imageFamily ?? AzureImageFamily.Ubuntu2204,
              osDiskSizeGB: args.azure?.osDiskSizeGB ?? 200,
            });
      const nodeClassResource = new k8s.apiextensions.CustomResource(`${name}-node-class`, withLabels(nodeClass), { parent: this });
      poolResource = new k8s.apiextensions.CustomResource(
        `${name}-node-pool`,
        withLabels(karpenterNodePool(pool, cloud, annotations)),
        { parent: this, dependsOn: [nodeClassResource] },
      );
    }

    const placement = podPlacement(pool, cloud);
    if (pool.minNodes > 0) {
      this.warmCapacity(name, pool, placement, args, [poolResource]);
    }

    this.poolName = pulumi.output(pool.name);
    this.gpuType = pulumi.output(pool.gpu);
    this.maxGpus = pulumi.output(pool.maxGpus);
    this.nodeSelector = pulumi.output(placement.nodeSelector);
    this.tolerations = pulumi.output(placement.tolerations);
    this.maxMonthlyCostUsd = pulumi.output(cost.maxMonthlyUsd);
    this.registerOutputs({
      poolName: this.poolName,
      gpuType: this.gpuType,
      maxGpus: this.maxGpus,
      nodeSelector: this.nodeSelector,
      tolerations: this.tolerations,
      maxMonthlyCostUsd: this.maxMonthlyCostUsd,
    });
  }

  /**
   * Karpenter and GKE have no minimum node count, so `minNodes` nodes are kept by placeholder pods that
   * request a whole node's GPUs at a negative priority: any real GPU pod preempts one and takes its node.
   */
  private warmCapacity(name: string, pool: GpuPoolSpec, placement: PodPlacement, args: GpuNodePoolArgs, dependsOn: pulumi.Resource[]): void {
    const appLabels = { "app.kubernetes.io/name": "gpu-warm-capacity", "mlops-platform.io/gpu-pool": pool.name };
    const tiny = { cpu: "10m", memory: "16Mi", "nvidia.com/gpu": String(pool.gpusPerNode) };
    new k8s.apps.v1.Deployment(
      `${name}-warm-capacity`,
      {
        metadata: { name: `warm-${poolObjectName(pool)}`, namespace: args.warmCapacityNamespace!, labels: { ...platformLabels("gpu"), ...appLabels } },
        spec: {
          replicas: pool.minNodes,
          selector: { matchLabels: appLabels },
          template: {
            metadata: { labels: appLabels },
            spec: {
              priorityClassName: args.warmCapacityPriorityClass!,
              nodeSelector: placement.nodeSelector,
              tolerations: placement.tolerations,
              terminationGracePeriodSeconds: 0,
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, runAsUser: 65535, seccompProfile: { type: "RuntimeDefault" } },
              containers: [
                {
                  name: "placeholder",
                  image: PLACEHOLDER_IMAGE,
                  resources: { requests: tiny, limits: tiny },
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                },
              ],
            },
          },
        },
      },
      { parent: this, dependsOn },
    );
  }
}

/**
 * Validates GpuNodePool args and applies defaults; throws `InputPropertyError` (`InputPropertiesError` for
 * several) naming each property, its value and the fix. A check that needs an earlier value (the GPU's node
 * sizes need a known cloud and GPU) is skipped while that value is wrong, so each mistake is reported once.
 */
export function planGpuNodePool(name: string, args: GpuNodePoolArgs): { cloud: GpuCloud; pool: GpuPoolSpec } {
  const problems = argumentProblems(COMPONENT, name);
  const wholeNumber = (property: string, value: number, min: number, max?: number): number => {
    if (!Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
      problems.add(property, value, max === undefined ? `use a whole number of at least ${min}` : `use a whole number from ${min} to ${max}`);
    }
    return value;
  };
  let cloud: GpuCloud | undefined;
  if (!(CLUSTER_PROVIDERS as readonly string[]).includes(args.cloud)) {
    problems.add("cloud", args.cloud, `use one of ${CLUSTER_PROVIDERS.join(", ")}`);
  } else if ((args.cloud as string) === ClusterProvider.Kind) {
    problems.add("cloud", args.cloud, "kind clusters are CPU only: remove the GPU pool, or deploy to aws, azure or gcp");
  } else {
    cloud = args.cloud;
  }
  const p = args.pool;
  if (!isDnsLabel(p.name) || p.name.length > 40) problems.add("pool.name", p.name, "use a DNS label of at most 40 characters");
  const gpu = p.gpu as GpuSpecGpu;
  if (!isGpuType(p.gpu)) problems.add("pool.gpu", p.gpu, `use one of ${GPU_TYPES.join(", ")}`);
  const offered = cloud !== undefined && isGpuType(p.gpu) && gpuTypesOn(cloud).includes(gpu);
  if (cloud !== undefined && isGpuType(p.gpu) && !offered) problems.add("pool.gpu", p.gpu, `${cloud} offers ${gpuTypesOn(cloud).join(", ")}`);
  const gpusPerNode = p.gpusPerNode ?? 1;
  const sizes = offered ? gpusPerNodeOptions(cloud!, gpu) : [];
  if (offered && !sizes.includes(gpusPerNode)) {
    problems.add("pool.gpusPerNode", gpusPerNode, `${p.gpu} on ${cloud} comes with ${sizes.join(", ")} GPUs per node`);
  }
  const capacity = p.capacity ?? [CapacityType.OnDemand];
  if (capacity.length === 0 || capacity.some((c) => !(CAPACITY_TYPES as readonly string[]).includes(c)) || new Set(capacity).size !== capacity.length) {
    problems.add("pool.capacity", capacity, `list one or both of ${CAPACITY_TYPES.join(", ")}, each once`);
  }
  const minNodes = wholeNumber("pool.minNodes", p.minNodes ?? 0, 0);
  const maxGpus = wholeNumber("pool.maxGpus", p.maxGpus, 1);
  // Only once the numbers themselves are whole: otherwise their own problems say enough.
  if ([minNodes, maxGpus, gpusPerNode].every(Number.isInteger) && maxGpus >= 1 && maxGpus < minNodes * gpusPerNode) {
    problems.add("pool.maxGpus", maxGpus, `allow at least minNodes × gpusPerNode = ${minNodes * gpusPerNode} GPUs`);
  }
  const consolidateAfterMinutes = wholeNumber("pool.consolidateAfterMinutes", p.consolidateAfterMinutes ?? 30, 1);
  const expireAfterHours = wholeNumber("pool.expireAfterHours", p.expireAfterHours ?? 720, 0);
  if (p.timeSlicingReplicas !== undefined && p.migProfile !== undefined) {
    problems.add("pool.migProfile", p.migProfile, "use either time-slicing or MIG on a pool, not both");
  }
  if (cloud === GpuCloud.Gcp && (p.timeSlicingReplicas !== undefined || p.migProfile !== undefined)) {
    problems.add(
      p.migProfile !== undefined ? "pool.migProfile" : "pool.timeSlicingReplicas",
      p.migProfile ?? p.timeSlicingReplicas,
      "GPU sharing on GKE is set on GKE node pools, not through this platform yet: remove it",
    );
  }
  // More replicas than the device plugin handles well: each pod gets a sliver of the GPU's time and memory.
  if (p.timeSlicingReplicas !== undefined) wholeNumber("pool.timeSlicingReplicas", p.timeSlicingReplicas, 2, 64);
  if (p.migProfile !== undefined) {
    if (isGpuType(p.gpu) && !MIG_CAPABLE.has(gpu)) problems.add("pool.migProfile", p.migProfile, `MIG needs one of ${[...MIG_CAPABLE].join(", ")}`);
    if (!/^(all-[0-9a-z.]+|all-balanced|all-disabled)$/.test(p.migProfile)) {
      problems.add("pool.migProfile", p.migProfile, 'use a GPU Operator MIG layout such as "all-1g.10gb" or "all-balanced"');
    }
  }
  // Node labels: the key is a path of dots and slashes, so the problem is reported at the map, naming the key.
  for (const [key, value] of Object.entries(p.labels ?? {})) {
    if (!isLabelKey(key)) problems.add("pool.labels", p.labels, `${JSON.stringify(key)} is not ${LABEL_KEY_RULE}`);
    else if (isReservedLabelKey(key)) problems.add("pool.labels", p.labels, `${JSON.stringify(key)} is in a domain Kubernetes or Karpenter keeps for itself (kubernetes.io, k8s.io, karpenter.sh): use a domain of your own, such as example.com/${key.slice(key.lastIndexOf("/") + 1)}`);
    if (typeof value !== "string" || !isLabelValue(value)) problems.add("pool.labels", p.labels, `the value of ${JSON.stringify(key)} is not ${LABEL_VALUE_RULE}`);
  }
  (p.workloads ?? []).forEach((workload, i) => {
    if (!(GPU_WORKLOADS as readonly string[]).includes(workload)) problems.add(`pool.workloads[${i}]`, workload, `use one of ${GPU_WORKLOADS.join(", ")}`);
  });
  if (minNodes > 0 && (!args.warmCapacityNamespace || !args.warmCapacityPriorityClass)) {
    problems.add("warmCapacityNamespace", args.warmCapacityNamespace, "set warmCapacityNamespace and warmCapacityPriorityClass when minNodes > 0");
  }
  if (cloud === GpuCloud.Aws) awsNodeProblems(args.aws, problems, wholeNumber);
  if (cloud === GpuCloud.Azure && args.azure?.imageFamily !== undefined && !(AZURE_IMAGE_FAMILIES as readonly string[]).includes(args.azure.imageFamily)) {
    problems.add("azure.imageFamily", args.azure.imageFamily, `use one of ${AZURE_IMAGE_FAMILIES.join(", ")}`);
  }
  if (cloud === GpuCloud.Azure && args.azure?.osDiskSizeGB !== undefined) wholeNumber("azure.osDiskSizeGB", args.azure.osDiskSizeGB, 1);
  problems.throwIfAny();
  return {
    // Known here: an unknown cloud was reported above.
    cloud: cloud!,
    pool: {
      name: p.name,
      gpu,
      gpusPerNode,
      capacity,
      minNodes,
      maxGpus,
      consolidateAfterMinutes,
      expireAfterHours,
      ...(p.timeSlicingReplicas !== undefined ? { timeSlicingReplicas: p.timeSlicingReplicas } : {}),
      ...(p.migProfile !== undefined ? { migProfile: p.migProfile } : {}),
      labels: { ...(p.labels ?? {}) },
      workloads: [...(p.workloads ?? [])],
    },
  };
}

type GpuSpecGpu = GpuPoolSpec["gpu"];

/** The EC2NodeClass settings Karpenter cannot launch a node without, and a pinned AMI. */
function awsNodeProblems(aws: AwsGpuNodeArgs | undefined, problems: ArgumentProblems, wholeNumber: (property: string, value: number, min: number) => number): void {
  if (!aws) {
    problems.add("aws", aws, "set aws.nodeRole, aws.discoveryTag and aws.amiAlias for pools on AWS");
    return;
  }
  const blank = (value: unknown): boolean => typeof value !== "string" || value.trim() === "";
  if (blank(aws.nodeRole)) problems.add("aws.nodeRole", aws.nodeRole, "name the IAM role of Karpenter's nodes");
  if (blank(aws.discoveryTag)) {
    problems.add("aws.discoveryTag", aws.discoveryTag, "use the karpenter.sh/discovery tag value of the cluster's subnets and security groups (usually the cluster name)");
  }
  if (!AMI_ALIAS.test(aws.amiAlias)) problems.add("aws.amiAlias", aws.amiAlias, 'pin the AMI: use an alias such as "al2023@v20251108"');
  if (aws.rootVolumeGiB !== undefined) wholeNumber("aws.rootVolumeGiB", aws.rootVolumeGiB, 1);
}

/** What the spec builders return: a custom resource object with optional labels. */
interface CustomObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: object;
}
