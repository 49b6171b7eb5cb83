/**
 * GPU node pools and the NVIDIA stack (`mlops-platform:gpu`): pools per cloud, checked against what that
 * cloud offers (the components' GPU catalog, so config and components agree), and the monthly budget the
 * cost policy holds them to.
 */
import { CAPACITY_TYPES, GPU_TYPES, gpuTypesOn, gpusPerNodeOptions, MIG_CAPABLE, type GpuType, type MlPlatformGpuArgs } from "@mlops-platform/components";
import { z } from "zod";
import type { PlatformConfig } from "../config.js";
import type { Capability } from "./capability.js";
import { dnsLabel, exactVersion, flag, nonEmptyString, nonNegativeInt, positiveInt } from "./fields.js";

/** The CRDs behind a GPU pool on each cloud. */
const GPU_POOL_CRDS: Readonly<Record<"aws" | "azure" | "gcp", readonly string[]>> = {
  aws: ["nodepools.karpenter.sh", "ec2nodeclasses.karpenter.k8s.aws"],
  azure: ["nodepools.karpenter.sh", "aksnodeclasses.karpenter.azure.com"],
  gcp: ["computeclasses.cloud.google.com"],
};

export const GPU_WORKLOADS = ["notebooks", "training", "serving", "batch"] as const;

const gpuPoolSchema = z
  .strictObject({
    name: dnsLabel("a pool name").refine((name) => name.length <= 40, { error: "expected a pool name of at most 40 characters" }),
    gpu: z.enum(GPU_TYPES),
    gpusPerNode: positiveInt().default(1),
    capacity: z
      .array(z.enum(CAPACITY_TYPES), { error: 'expected a list such as ["spot", "on-demand"]' })
      .min(1, { error: "expected at least one capacity type" })
      .refine((list) => new Set(list).size === list.length, { error: "expected each capacity type once" })
      .default(["on-demand"]),
    minNodes: nonNegativeInt().default(0),
    maxGpus: positiveInt(),
    consolidateAfterMinutes: positiveInt().default(30),
    /** 0: nodes never expire. */
    expireAfterHours: nonNegativeInt().default(720),
    sharing: z
      .strictObject({
        timeSlicingReplicas: z
          .int({ error: "expected a whole number from 2 to 64" })
          .min(2, { error: "expected a whole number from 2 to 64" })
          .max(64, { error: "expected a whole number from 2 to 64" })
          .optional(),
        mig: z
          .string({ error: 'expected a MIG layout such as "all-1g.10gb"' })
          .regex(/^(all-[0-9a-z.]+|all-balanced)$/, { error: 'expected a MIG layout such as "all-1g.10gb" or "all-balanced"' })
          .optional(),
      })
      .refine((s) => s.timeSlicingReplicas === undefined || s.mig === undefined, { error: "expected either timeSlicingReplicas or mig, not both" })
      .optional(),
    labels: z.record(z.string(), z.string({ error: "expected label values to be strings" }), { error: "expected a mapping of labels" }).default({}),
    workloads: z.array(z.enum(GPU_WORKLOADS), { error: "expected a list of workloads" }).default([]),
  })
  // Only meaningful once the numbers themselves are valid; otherwise their own messages say enough.
  .refine((pool) => !(pool.maxGpus >= 1 && pool.minNodes >= 0) || pool.maxGpus >= pool.minNodes * pool.gpusPerNode, {
    error: "expected maxGpus to allow at least minNodes × gpusPerNode GPUs",
    path: ["maxGpus"],
  });

const gpuSection = z
  .strictObject({
    pools: z.array(gpuPoolSchema, { error: "expected a list of GPU pools" }).default([]),
    /** Monthly GPU spend the stack may reach at every pool's maxGpus; over it, the cost policy fails. */
    monthlyBudgetUsd: z.number({ error: "expected a number of US dollars (0 or more)" }).nonnegative({ error: "expected a number of US dollars (0 or more)" }),
    operator: z
      .strictObject({
        version: exactVersion().optional(),
        /** A ServiceMonitor for DCGM; unset: exactly when the Prometheus Operator is there. */
        serviceMonitor: flag().optional(),
      })
      .prefault({}),
    aws: z
      .strictObject({
        nodeRole: nonEmptyString("the IAM role name of Karpenter nodes"),
        discoveryTag: nonEmptyString("the karpenter.sh/discovery tag value (usually the cluster name)"),
        amiAlias: z
          .string({ error: 'expected a pinned EKS AMI alias such as "al2023@v20251108"' })
          .regex(/^(al2023|bottlerocket)@v\d{8}$/, { error: 'expected a pinned EKS AMI alias such as "al2023@v20251108"' }),
        rootVolumeGiB: positiveInt().default(200),
      })
      .optional(),
    azure: z
      .strictObject({
        imageFamily: z.enum(["Ubuntu2204", "Ubuntu2404", "AzureLinux"]).default("Ubuntu2204"),
        osDiskSizeGB: positiveInt().default(200),
      })
      .optional(),
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
  check(config, report) {
    const provider = config.cluster.provider;
    const pools = config.gpu.pools;
    const names = new Map<string, number>();
    pools.forEach((pool, index) => {
      const at = (...path: PropertyKey[]) => ["gpu", "pools", index, ...path];
      const earlier = names.get(pool.name);
      if (earlier !== undefined) report(at("name"), `duplicate pool name (also gpu.pools[${earlier}].name)`);
      else names.set(pool.name, index);
      if (provider === "kind") return;
      const offered = gpuTypesOn(provider);
      if (!offered.includes(pool.gpu)) {
        report(at("gpu"), `expected a GPU that ${provider} offers: ${offered.join(", ")}`);
        return;
      }
      const sizes = gpusPerNodeOptions(provider, pool.gpu);
      if (!sizes.includes(pool.gpusPerNode)) {
        report(at("gpusPerNode"), `expected one of ${sizes.join(", ")} (the ${pool.gpu} node sizes on ${provider})`);
      }
      if (provider === "gcp" && pool.sharing !== undefined) {
        report(at("sharing"), "expected no sharing on gcp pools: GKE sets GPU sharing on its node pools");
      }
      if (pool.sharing?.mig !== undefined && !MIG_CAPABLE.has(pool.gpu as GpuType)) {
        report(at("sharing", "mig"), `expected MIG only on ${[...MIG_CAPABLE].join(", ")}`);
      }
    });
    if (pools.length > 0 && provider === "kind") {
      report(["gpu", "pools"], 'expected no GPU pools: cluster.provider is "kind" (CPU only); remove them or deploy to aws, azure or gcp');
    }
    if (pools.length > 0 && provider === "aws" && config.gpu.aws === undefined) {
      report(["gpu", "aws"], "required for GPU pools on aws: nodeRole, discoveryTag, amiAlias");
    }
  },
};

/** The GPU section of MlPlatformArgs; undefined when the stack has no pools. */
export function gpuArgs(config: PlatformConfig): MlPlatformGpuArgs | undefined {
  const { gpu: section, cluster } = config;
  if (section.pools.length === 0) return undefined;
  return {
    cloud: cluster.provider,
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
      workloads: pool.workloads,
    })),
    ...(section.aws ? { aws: section.aws } : {}),
    ...(section.azure ? { azure: section.azure } : {}),
    ...(section.operator.version ? { operatorVersion: section.operator.version } : {}),
    ...(section.operator.serviceMonitor !== undefined ? { serviceMonitor: section.operator.serviceMonitor } : {}),
  };
}
