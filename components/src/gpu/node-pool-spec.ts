/**
 * The objects behind a GPU pool, per cloud, as pure functions of the pool's intent: Karpenter NodePool
 * with EC2NodeClass (AWS) or AKSNodeClass (Azure), or a GKE ComputeClass. Typed against the upstream
 * models (`@kubernetes-models/karpenter`, `@kubernetes-models/gke`) so a misspelled field fails to compile.
 */
import type { IComputeClass } from "@kubernetes-models/gke/cloud.google.com/v1/ComputeClass";
import type { IEC2NodeClass } from "@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass";
import type { INodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";
import { TaintEffect, TolerationOperator } from "../common/kubernetes.js";
import { GPU_CATALOG, GpuCloud, GpuType, machinesFor } from "./catalog.js";

/** The taint every GPU node carries (GKE adds the same one on its own GPU nodes). */
export const GPU_TAINT = { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" } as const;
/** Label on a pool's nodes naming the pool; notebooks and training select nodes by it. */
export const GPU_POOL_LABEL = "mlops-platform.io/gpu-pool";
/** Label on a pool's nodes naming its GPU type. */
export const GPU_TYPE_LABEL = "mlops-platform.io/gpu";
/** Prefix of the labels naming the workloads a pool is meant for: `workloads.mlops-platform.io/<workload>: "true"`. */
export const WORKLOAD_LABEL_PREFIX = "workloads.mlops-platform.io/";
/** GPU Operator node labels: which device-plugin config (time-slicing) and which MIG layout a node gets. */
export const DEVICE_PLUGIN_CONFIG_LABEL = "nvidia.com/device-plugin.config";
export const MIG_CONFIG_LABEL = "nvidia.com/mig.config";
/** Annotations carrying a pool's cost estimate, read by the policy pack's GPU cost rule. */
export const MAX_MONTHLY_COST_ANNOTATION = "mlops-platform.io/max-monthly-cost-usd";
export const IDLE_MONTHLY_COST_ANNOTATION = "mlops-platform.io/idle-monthly-cost-usd";

/** The workloads a pool can be meant for; MlPlatform places notebooks and training by them. */
export enum GpuWorkload {
  /** Notebooks get the pool's GPU sizes. */
  Notebooks = "notebooks",
  /** Training gets a runtime (and with Kueue a flavor) for the pool. */
  Training = "training",
  /** Model serving (labels only: the platform places no serving pods itself). */
  Serving = "serving",
  /** Batch jobs (labels only). */
  Batch = "batch",
}
export const GPU_WORKLOADS: readonly GpuWorkload[] = Object.values(GpuWorkload);

/** How a pool's nodes are bought. */
export enum CapacityType {
  /** Spot (preemptible) capacity: cheaper, reclaimed by the cloud at short notice. */
  Spot = "spot",
  /** On-demand capacity. */
  OnDemand = "on-demand",
}
export const CAPACITY_TYPES: readonly CapacityType[] = Object.values(CapacityType);

/** GPUs that can be partitioned with MIG. */
export const MIG_CAPABLE: ReadonlySet<GpuType> = new Set([GpuType.NvidiaA100, GpuType.NvidiaA100_80GB, GpuType.NvidiaH100]);

/** A GPU pool with every default applied (see GpuPoolArgs for the meaning of each field). */
export interface GpuPoolSpec {
  name: string;
  gpu: GpuType;
  gpusPerNode: number;
  /** In order of preference. */
  capacity: CapacityType[];
  minNodes: number;
  maxGpus: number;
  consolidateAfterMinutes: number;
  /** 0 means nodes never expire. */
  expireAfterHours: number;
  timeSlicingReplicas?: number;
  migProfile?: string;
  labels: Record<string, string>;
  workloads: GpuWorkload[];
}

/** Object name of everything that belongs to one pool (NodePool, node class, ComputeClass). */
export function poolObjectName(pool: Pick<GpuPoolSpec, "name">): string {
  return `gpu-${pool.name}`;
}

/** Labels a pool's nodes carry: pool, GPU type, workloads, GPU Operator config selectors, the stack's own. */
export function poolNodeLabels(pool: GpuPoolSpec): Record<string, string> {
  const labels: Record<string, string> = { ...pool.labels, [GPU_POOL_LABEL]: pool.name, [GPU_TYPE_LABEL]: pool.gpu };
  for (const workload of pool.workloads) labels[`${WORKLOAD_LABEL_PREFIX}${workload}`] = "true";
  if (pool.timeSlicingReplicas !== undefined) labels[DEVICE_PLUGIN_CONFIG_LABEL] = pool.name;
  if (pool.migProfile !== undefined) labels[MIG_CONFIG_LABEL] = pool.migProfile;
  return labels;
}

/** A toleration a pod needs on a pool's nodes (of the GPU taint), as it goes into the pod spec. */
export interface GpuToleration {
  /** Taint key, e.g. `nvidia.com/gpu`. */
  key: string;
  /** How the toleration matches the taint. */
  operator: TolerationOperator;
  /** The effect of the taint it tolerates. */
  effect: TaintEffect;
}

/** How a pod lands on a pool's nodes: the node selector and toleration notebooks and training use. */
export interface PodPlacement {
  /** Node labels that select the pool's nodes. */
  nodeSelector: Record<string, string>;
  /** Tolerations of the pool's taints. */
  tolerations: GpuToleration[];
}

export function podPlacement(pool: Pick<GpuPoolSpec, "name">, cloud: GpuCloud): PodPlacement {
  // On GKE the ComputeClass is the handle: GKE labels its nodes with the class name, not with ours.
  const nodeSelector: Record<string, string> =
    cloud === GpuCloud.Gcp ? { "cloud.google.com/compute-class": poolObjectName(pool) } : { [GPU_POOL_LABEL]: pool.name };
  return { nodeSelector, tolerations: [{ key: GPU_TAINT.key, operator: TolerationOperator.Exists, effect: TaintEffect.NoSchedule }] };
}

const NODE_CLASS: Readonly<Record<GpuCloud.Aws | GpuCloud.Azure, { group: string; kind: string }>> = {
  aws: { group: "karpenter.k8s.aws", kind: "EC2NodeClass" },
  azure: { group: "karpenter.azure.com", kind: "AKSNodeClass" },
};

/**
 * Karpenter NodePool of a pool. Consolidation is `WhenEmpty`: a GPU node is removed only once nothing runs
 * on it, because bin-packing consolidation would evict long training pods. At most one node of the pool is
 * disrupted at a time, and `limits` caps the pool's GPUs (the spend ceiling).
 */
export function karpenterNodePool(pool: GpuPoolSpec, cloud: GpuCloud.Aws | GpuCloud.Azure, annotations: Record<string, string>): INodePool {
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name: poolObjectName(pool), annotations },
    spec: {
      template: {
        metadata: { labels: poolNodeLabels(pool) },
        spec: {
          nodeClassRef: { ...NODE_CLASS[cloud], name: poolObjectName(pool) },
          taints: [{ ...GPU_TAINT }],
          requirements: [
            { key: "karpenter.sh/capacity-type", operator: "In", values: [...pool.capacity] },
            { key: "node.kubernetes.io/instance-type", operator: "In", values: machinesFor(cloud, pool.gpu, pool.gpusPerNode) },
            { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
            { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
          ],
          expireAfter: pool.expireAfterHours === 0 ? "Never" : `${pool.expireAfterHours}h`,
        },
      },
      limits: { "nvidia.com/gpu": String(pool.maxGpus) },
      disruption: {
        consolidationPolicy: "WhenEmpty",
        consolidateAfter: `${pool.consolidateAfterMinutes}m`,
        budgets: [{ nodes: "1" }],
      },
    },
  };
}

/** Where AWS nodes come from: the node IAM role and the discovery tag on subnets and security groups. */
export interface AwsNodeClassInput {
  nodeRole: string;
  /** `karpenter.sh/discovery` tag value on the cluster's subnets and security groups (usually the cluster name). */
  discoveryTag: string;
  /** EKS AMI alias, pinned (e.g. `al2023@v20251108`); Karpenter picks the NVIDIA variant for GPU instances. */
  amiAlias: string;
  /** Root volume size: images for ML are large. */
  rootVolumeGiB: number;
}

/** EC2NodeClass of a pool: IMDSv2 only with a hop limit of 1, so pods cannot reach the node's credentials. */
export function ec2NodeClass(pool: GpuPoolSpec, input: AwsNodeClassInput): IEC2NodeClass {
  const discovery = { "karpenter.sh/discovery": input.discoveryTag };
  return {
    apiVersion: "karpenter.k8s.aws/v1",
    kind: "EC2NodeClass",
    metadata: { name: poolObjectName(pool) },
    spec: {
      role: input.nodeRole,
      amiSelectorTerms: [{ alias: input.amiAlias }],
      subnetSelectorTerms: [{ tags: discovery }],
      securityGroupSelectorTerms: [{ tags: discovery }],
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          rootVolume: true,
          ebs: { volumeSize: `${input.rootVolumeGiB}Gi`, volumeType: "gp3", encrypted: true, deleteOnTermination: true },
        },
      ],
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, httpProtocolIPv6: "disabled" },
      tags: { "mlops-platform.io/gpu-pool": pool.name },
    },
  };
}

/** `karpenter.azure.com/v1beta1` AKSNodeClass (no upstream TypeScript model exists; fields from its CRD). */
export interface AksNodeClass {
  apiVersion: "karpenter.azure.com/v1beta1";
  kind: "AKSNodeClass";
  metadata: { name: string };
  spec: {
    imageFamily?: "Ubuntu" | "Ubuntu2204" | "Ubuntu2404" | "AzureLinux";
    osDiskSizeGB?: number;
    gpu?: { mode?: "Driver" | "None" };
    tags?: Record<string, string>;
  };
}

/** Node images an AKS GPU pool can run (AKSNodeClass `imageFamily`). */
export enum AzureImageFamily {
  /** Ubuntu 22.04. */
  Ubuntu2204 = "Ubuntu2204",
  /** Ubuntu 24.04. */
  Ubuntu2404 = "Ubuntu2404",
  /** Azure Linux. */
  AzureLinux = "AzureLinux",
}
export const AZURE_IMAGE_FAMILIES: readonly AzureImageFamily[] = Object.values(AzureImageFamily);

export interface AzureNodeClassInput {
  imageFamily: AzureImageFamily;
  osDiskSizeGB: number;
}

/** AKSNodeClass of a pool. AKS installs the NVIDIA driver (`gpu.mode: Driver`), so the GPU Operator does not. */
export function aksNodeClass(pool: GpuPoolSpec, input: AzureNodeClassInput): AksNodeClass {
  return {
    apiVersion: "karpenter.azure.com/v1beta1",
    kind: "AKSNodeClass",
    metadata: { name: poolObjectName(pool) },
    spec: { imageFamily: input.imageFamily, osDiskSizeGB: input.osDiskSizeGB, gpu: { mode: "Driver" }, tags: { "mlops-platform.io/gpu-pool": pool.name } },
  };
}

/**
 * GKE ComputeClass of a pool: one priority per allowed capacity type (in the pool's order), node pools
 * auto-created, and no scale-up outside the listed machines. Active migration stays off: moving pods to a
 * "better" node would restart training.
 */
/**
 * `gpu.driverVersion` is newer than the published ComputeClass model: GKE does not give node pools created
 * for a compute class a driver unless the class asks for one.
 */
type ComputeClassWithDriver = IComputeClass & {
  spec: { priorities?: Array<NonNullable<IComputeClass["spec"]["priorities"]>[number] & { gpu?: { driverVersion?: "default" | "latest" } }> };
};

export function gkeComputeClass(pool: GpuPoolSpec, annotations: Record<string, string>): ComputeClassWithDriver {
  const accelerator = GPU_CATALOG.gcp[pool.gpu]?.gkeAccelerator ?? pool.gpu;
  const machines = machinesFor(GpuCloud.Gcp, pool.gpu, pool.gpusPerNode);
  return {
    apiVersion: "cloud.google.com/v1",
    kind: "ComputeClass",
    metadata: { name: poolObjectName(pool), annotations, labels: poolNodeLabels(pool) },
    spec: {
      priorities: pool.capacity.flatMap((capacity) =>
        machines.map((machineType) => ({
          machineType,
          gpu: { type: accelerator, count: pool.gpusPerNode, driverVersion: "default" as const },
          spot: capacity === CapacityType.Spot,
        })),
      ),
      nodePoolAutoCreation: { enabled: true },
      whenUnsatisfiable: "DoNotScaleUp",
      autoscalingPolicy: { consolidationDelayMinutes: pool.consolidateAfterMinutes },
      activeMigration: { optimizeRulePriority: false },
    },
  };
}
