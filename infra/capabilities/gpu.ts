/**
 * GPU node pools and the NVIDIA stack (`mlops-platform:gpu`): pools per cloud (what each cloud offers, in
 * which sizes, with which sharing, is GpuNodePool's to check), and the monthly budget the cost policy holds
 * them to.
 */
import { CapacityType, type AzureImageFamily, type GpuCloud, type GpuType, type GpuWorkload, type MlPlatformGpuArgs } from "@mlops-platform/components";
import { z } from "zod";
import type { PlatformConfig } from "../config.js";
import type { Capability } from "./capability.js";
import { checkedString, flag } from "./fields.js";

/** The CRDs behind a GPU pool on each cloud. */
const GPU_POOL_CRDS: Readonly<Record<"aws" | "azure" | "gcp", readonly string[]>> = {
  aws: ["nodepools.karpenter.sh", "ec2nodeclasses.karpenter.k8s.aws"],
  azure: ["nodepools.karpenter.sh", "aksnodeclasses.karpenter.azure.com"],
  gcp: ["computeclasses.cloud.google.com"],
};

const gpuPoolSchema = z.strictObject({
  name: z.string(),
  gpu: checkedString<GpuType>(),
  gpusPerNode: z.number().default(1),
  capacity: z.array(checkedString<CapacityType>(), { error: 'expected a list such as ["spot", "on-demand"]' }).default([CapacityType.OnDemand]),
  minNodes: z.number().default(0),
  maxGpus: z.number(),
  consolidateAfterMinutes: z.number().default(30),
  /** 0: nodes never expire. */
  expireAfterHours: z.number().default(720),
  sharing: z.strictObject({ timeSlicingReplicas: z.number().optional(), mig: z.string().optional() }).optional(),
  labels: z.record(z.string(), z.string({ error: "expected label values to be strings" }), { error: "expected a mapping of labels" }).default({}),
  workloads: z.array(z.string(), { error: "expected a list of workloads" }).default([]),
});

const gpuSection = z
  .strictObject({
    pools: z.array(gpuPoolSchema, { error: "expected a list of GPU pools" }).default([]),
    /** Monthly GPU spend the stack may reach at every pool's maxGpus; over it, the cost policy fails. */
    monthlyBudgetUsd: z.number({ error: "expected a number of US dollars (0 or more)" }).nonnegative({ error: "expected a number of US dollars (0 or more)" }),
    operator: z
      .strictObject({
        version: z.string().optional(),
        /** A ServiceMonitor for DCGM; unset: exactly when the Prometheus Operator is there. */
        serviceMonitor: flag().optional(),
      })
      .prefault({}),
    aws: z.strictObject({ nodeRole: z.string(), discoveryTag: z.string(), amiAlias: z.string(), rootVolumeGiB: z.number().default(200) }).optional(),
    azure: z.strictObject({ imageFamily: z.string().default("Ubuntu2204"), osDiskSizeGB: z.number().default(200) }).optional(),
  })
  // The environment preset always sets the budget; 0 only applies when the environment itself is invalid.
  .prefault({ monthlyBudgetUsd: 0 });

export const gpu: Capability<"gpu", typeof gpuSection> = {
  key: "gpu",
  section: gpuSection,
  // Karpenter (aws, azure) and GKE's ComputeClass are the cloud's own: the platform never installs them.
  clusterRequirements: (config) =>
    config.gpu.pools.length === 0 || config.cluster.provider === "kind"
      ? []
      : [
          {
            key: ["gpu", "pools"],
            because: `GPU pools on ${config.cluster.provider} are ${config.cluster.provider === "gcp" ? "GKE ComputeClasses" : "Karpenter NodePools"}`,
            fix: config.cluster.provider === "gcp" ? "enable node auto-provisioning with custom compute classes on the cluster" : "install Karpenter on the cluster first",
            crds: GPU_POOL_CRDS[config.cluster.provider],
          },
        ],
  argPaths: [
    [/^gpu\.cloud$/, "cluster.provider"],
    [/^gpu\.serviceMonitor$/, "gpu.operator.serviceMonitor"],
    [/^gpu\.operatorVersion$/, "gpu.operator.version"],
    [/^gpu\.pools\[(\d+)\]\.timeSlicingReplicas$/, "gpu.pools[$1].sharing.timeSlicingReplicas"],
    [/^gpu\.pools\[(\d+)\]\.migProfile$/, "gpu.pools[$1].sharing.mig"],
  ],
  presets: {
    local: { monthlyBudgetUsd: 0 },
    dev: { monthlyBudgetUsd: 5000 },
    staging: { monthlyBudgetUsd: 25000 },
    prod: { monthlyBudgetUsd: 250000 },
  },
};

/** The GPU section of MlPlatformArgs; undefined when the stack has no pools. */
export function gpuArgs(config: PlatformConfig): MlPlatformGpuArgs | undefined {
  const { gpu: section, cluster } = config;
  if (section.pools.length === 0) return undefined;
  return {
    // The components judge these values (kind included: GpuNodePool refuses pools there), at their stack keys.
    cloud: cluster.provider as GpuCloud,
    pools: section.pools.map((pool) => ({
      name: pool.name,
      gpu: pool.gpu,
      gpusPerNode: pool.gpusPerNode,
      capacity: pool.capacity,
      minNodes: pool.minNodes,
      maxGpus: pool.maxGpus,
      consolidateAfterMinutes: pool.consolidateAfterMinutes,
      expireAfterHours: pool.expireAfterHours,
      ...(pool.sharing?.timeSlicingReplicas !== undefined ? { timeSlicingReplicas: pool.sharing.timeSlicingReplicas } : {}),
      ...(pool.sharing?.mig !== undefined ? { migProfile: pool.sharing.mig } : {}),
      labels: pool.labels,
      workloads: pool.workloads as GpuWorkload[],
    })),
    ...(section.aws ? { aws: section.aws } : {}),
    ...(section.azure ? { azure: { ...section.azure, imageFamily: section.azure.imageFamily as AzureImageFamily } } : {}),
    ...(section.operator.version ? { operatorVersion: section.operator.version } : {}),
    ...(section.operator.serviceMonitor !== undefined ? { serviceMonitor: section.operator.serviceMonitor } : {}),
  };
}
