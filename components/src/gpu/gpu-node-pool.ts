import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { estimatePoolCost } from "../cost/estimate.js";
import { invalidArgument, typeToken } from "../common/component.js";
import { CLUSTER_PROVIDERS, isDnsLabel, platformLabels, type ClusterProvider } from "../common/kubernetes.js";
import { GPU_TYPES, gpuTypesOn, gpusPerNodeOptions, isGpuType, type GpuCloud } from "./catalog.js";
import {
  aksNodeClass,
  CAPACITY_TYPES,
  ec2NodeClass,
  gkeComputeClass,
  IDLE_MONTHLY_COST_ANNOTATION,
  karpenterNodePool,
  MAX_MONTHLY_COST_ANNOTATION,
  MIG_CAPABLE,
  podPlacement,
  poolObjectName,
  type CapacityType,
  type GpuPoolSpec,
  type PodPlacement,
} from "./node-pool-spec.js";

/** A GPU pool described by intent. */
export interface GpuPoolArgs {
  /** Pool name, a DNS label; objects are named `gpu-<name>`. */
  name: string;
  /** GPU type, e.g. `nvidia-l4` (see GPU_TYPES). */
  gpu: string;
  /**
   * GPUs per node; must be a size the cloud offers for this GPU.
   * @default 1
   */
  gpusPerNode?: number;
  /**
   * Capacity types allowed, in order of preference.
   * @default ["on-demand"]
   */
  capacity?: string[];
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
  workloads?: string[];
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
  /** @default "Ubuntu2204" */
  imageFamily?: string;
  /** @default 200 */
  osDiskSizeGB?: number;
}

export interface GpuNodePoolArgs {
  /** Where the cluster runs. GPU pools need `aws`, `azure` or `gcp`. */
  cloud: string;
  pool: GpuPoolArgs;
  /** Required on AWS. */
  aws?: AwsGpuNodeArgs;
  /** @default {} */
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
const AZURE_IMAGE_FAMILIES = ["Ubuntu2204", "Ubuntu2404", "AzureLinux"] as const;
const AMI_ALIAS = /^(al2023|bottlerocket)@v\d{8}$/;

/**
 * An autoscaled GPU pool: tainted `nvidia.com/gpu=present:NoSchedule`, labelled for notebooks and training,
 * removed only when empty, capped at `maxGpus`, on spot where allowed. AWS and Azure get a Karpenter
 * NodePool and node class; GCP gets a GKE ComputeClass. kind clusters have no GPU pools.
 */
export class GpuNodePool extends pulumi.ComponentResource {
  public readonly poolName: pulumi.Output<string>;
  public readonly gpuType: pulumi.Output<string>;
  public readonly maxGpus: pulumi.Output<number>;
  /** Node selector a GPU pod needs to land on this pool. */
  public readonly nodeSelector: pulumi.Output<Record<string, string>>;
  /** Tolerations a GPU pod needs for this pool's taint. */
  public readonly tolerations: pulumi.Output<PodPlacement["tolerations"]>;
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
    if (cloud === "gcp") {
      poolResource = new k8s.apiextensions.CustomResource(`${name}-compute-class`, withLabels(gkeComputeClass(pool, annotations)), { parent: this });
    } else {
      const nodeClass =
        cloud === "aws"
          ? ec2NodeClass(pool, { ...args.aws!, rootVolumeGiB: args.aws!.rootVolumeGiB ?? 200 })
          : aksNodeClass(pool, {
              imageFamily: (args.azure?.imageFamily ?? "Ubuntu2204") as (typeof AZURE_IMAGE_FAMILIES)[number],
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

/** Validates GpuNodePool args and applies defaults; throws `InputPropertyError` naming the property and the fix. */
export function planGpuNodePool(name: string, args: GpuNodePoolArgs): { cloud: GpuCloud; pool: GpuPoolSpec } {
  const fail = (property: string, value: unknown, fix: string): never => invalidArgument(COMPONENT, name, property, value, fix);
  if (!(CLUSTER_PROVIDERS as readonly string[]).includes(args.cloud)) {
    fail("cloud", args.cloud, `use one of ${CLUSTER_PROVIDERS.join(", ")}`);
  }
  if ((args.cloud as ClusterProvider) === "kind") {
    fail("cloud", args.cloud, "kind clusters are CPU only: remove the GPU pool, or deploy to aws, azure or gcp");
  }
  const cloud = args.cloud as GpuCloud;
  const p = args.pool;
  if (!isDnsLabel(p.name) || p.name.length > 40) fail("pool.name", p.name, "use a DNS label of at most 40 characters");
  if (!isGpuType(p.gpu)) fail("pool.gpu", p.gpu, `use one of ${GPU_TYPES.join(", ")}`);
  const gpu = p.gpu as GpuSpecGpu;
  if (!gpuTypesOn(cloud).includes(gpu)) fail("pool.gpu", p.gpu, `${cloud} offers ${gpuTypesOn(cloud).join(", ")}`);
  const gpusPerNode = p.gpusPerNode ?? 1;
  const sizes = gpusPerNodeOptions(cloud, gpu);
  if (!sizes.includes(gpusPerNode)) fail("pool.gpusPerNode", gpusPerNode, `${p.gpu} on ${cloud} comes with ${sizes.join(", ")} GPUs per node`);
  const capacity = p.capacity ?? ["on-demand"];
  if (capacity.length === 0 || capacity.some((c) => !(CAPACITY_TYPES as readonly string[]).includes(c)) || new Set(capacity).size !== capacity.length) {
    fail("pool.capacity", capacity, `list one or both of ${CAPACITY_TYPES.join(", ")}, each once`);
  }
  const wholeNumber = (property: string, value: number, min: number): number =>
    Number.isInteger(value) && value >= min ? value : fail(property, value, `use a whole number of at least ${min}`);
  const minNodes = wholeNumber("pool.minNodes", p.minNodes ?? 0, 0);
  const maxGpus = wholeNumber("pool.maxGpus", p.maxGpus, 1);
  if (maxGpus < minNodes * gpusPerNode) fail("pool.maxGpus", maxGpus, `allow at least minNodes × gpusPerNode = ${minNodes * gpusPerNode} GPUs`);
  const consolidateAfterMinutes = wholeNumber("pool.consolidateAfterMinutes", p.consolidateAfterMinutes ?? 30, 1);
  const expireAfterHours = wholeNumber("pool.expireAfterHours", p.expireAfterHours ?? 720, 0);
  if (p.timeSlicingReplicas !== undefined && p.migProfile !== undefined) {
    fail("pool.migProfile", p.migProfile, "use either time-slicing or MIG on a pool, not both");
  }
  if (cloud === "gcp" && (p.timeSlicingReplicas !== undefined || p.migProfile !== undefined)) {
    fail(p.migProfile !== undefined ? "pool.migProfile" : "pool.timeSlicingReplicas", p.migProfile ?? p.timeSlicingReplicas, "GPU sharing on GKE is set on GKE node pools, not through this platform yet: remove it");
  }
  if (p.timeSlicingReplicas !== undefined) wholeNumber("pool.timeSlicingReplicas", p.timeSlicingReplicas, 2);
  if (p.migProfile !== undefined) {
    if (!MIG_CAPABLE.has(gpu)) fail("pool.migProfile", p.migProfile, `MIG needs one of ${[...MIG_CAPABLE].join(", ")}`);
    if (!/^(all-[0-9a-z.]+|all-balanced|all-disabled)$/.test(p.migProfile)) {
      fail("pool.migProfile", p.migProfile, 'use a GPU Operator MIG layout such as "all-1g.10gb" or "all-balanced"');
    }
  }
  if (minNodes > 0 && (!args.warmCapacityNamespace || !args.warmCapacityPriorityClass)) {
    fail("warmCapacityNamespace", args.warmCapacityNamespace, "set warmCapacityNamespace and warmCapacityPriorityClass when minNodes > 0");
  }
  if (cloud === "aws") {
    if (!args.aws) fail("aws", args.aws, "set aws.nodeRole, aws.discoveryTag and aws.amiAlias for pools on AWS");
    if (!AMI_ALIAS.test(args.aws!.amiAlias)) fail("aws.amiAlias", args.aws!.amiAlias, 'pin the AMI: use an alias such as "al2023@v20251108"');
  }
  if (cloud === "azure" && args.azure?.imageFamily !== undefined && !(AZURE_IMAGE_FAMILIES as readonly string[]).includes(args.azure.imageFamily)) {
    fail("azure.imageFamily", args.azure.imageFamily, `use one of ${AZURE_IMAGE_FAMILIES.join(", ")}`);
  }
  return {
    cloud,
    pool: {
      name: p.name,
      gpu,
      gpusPerNode,
      capacity: capacity as CapacityType[],
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

/** What the spec builders return: a custom resource object with optional labels. */
interface CustomObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: object;
}
