/**
 * Which machines carry which NVIDIA GPU, per cloud: the one table that maps the platform's GPU names to
 * instance types (AWS), VM sizes (Azure) and machine types (GCP).
 *
 * Sources (checked 2026-11): AWS EC2 accelerated-computing instance pages (g4dn, g5, g6, g6e, p4d, p4de,
 * p5); Azure NC/ND-series VM size pages (NCasT4_v3, NC_A100_v4, ND_A100_v4, NCads_H100_v5, ND_H100_v5);
 * Google Cloud GPU machine types (G2, A2, A3; N1 + T4 accelerators) and the GKE accelerator names.
 * Azure has no L4, L40S or A10G machines; GCP has no A10G or L40S.
 */
import { ClusterProvider } from "../common/kubernetes.js";

/** The NVIDIA GPUs the platform knows, by the name pools, prices and node labels use. */
export enum GpuType {
  /** NVIDIA T4, 16 GB. */
  NvidiaT4 = "nvidia-t4",
  /** NVIDIA L4, 24 GB. */
  NvidiaL4 = "nvidia-l4",
  /** NVIDIA A10G, 24 GB (AWS only). */
  NvidiaA10G = "nvidia-a10g",
  /** NVIDIA L40S, 48 GB (AWS only). */
  NvidiaL40S = "nvidia-l40s",
  /** NVIDIA A100, 40 GB. */
  NvidiaA100 = "nvidia-a100",
  /** NVIDIA A100, 80 GB. */
  NvidiaA100_80GB = "nvidia-a100-80gb",
  /** NVIDIA H100, 80 GB. */
  NvidiaH100 = "nvidia-h100",
}
export const GPU_TYPES: readonly GpuType[] = Object.values(GpuType);

/** Cloud providers that can run GPU pools (a kind cluster cannot). */
export enum GpuCloud {
  /** Amazon EKS, with Karpenter. */
  Aws = "aws",
  /** Azure AKS, with Karpenter (node auto-provisioning). */
  Azure = "azure",
  /** Google GKE, with ComputeClasses. */
  Gcp = "gcp",
}
export const GPU_CLOUDS: readonly GpuCloud[] = Object.values(GpuCloud);

/** The GPU cloud a cluster runs on, or undefined for a cluster without GPUs (kind). */
export function gpuCloudOf(provider: ClusterProvider): GpuCloud | undefined {
  return provider === ClusterProvider.Kind ? undefined : (provider as string as GpuCloud);
}

/** One machine shape: its name on the cloud and how many GPUs it carries. */
export interface GpuMachine {
  machine: string;
  gpusPerNode: number;
}

export interface GpuOffering {
  /** Machine shapes, smallest first; a pool picks the smallest one with its `gpusPerNode`. */
  machines: readonly GpuMachine[];
  /** GKE's accelerator name (`cloud.google.com/gke-accelerator`), GCP only. */
  gkeAccelerator?: string;
}

const shapes = (entries: Array<[string, number]>): GpuMachine[] => entries.map(([machine, gpusPerNode]) => ({ machine, gpusPerNode }));

export const GPU_CATALOG: Readonly<Record<GpuCloud, Partial<Record<GpuType, GpuOffering>>>> = {
  aws: {
    "nvidia-t4": { machines: shapes([["g4dn.xlarge", 1], ["g4dn.2xlarge", 1], ["g4dn.12xlarge", 4], ["g4dn.metal", 8]]) },
    "nvidia-l4": { machines: shapes([["g6.xlarge", 1], ["g6.2xlarge", 1], ["g6.12xlarge", 4], ["g6.48xlarge", 8]]) },
    "nvidia-a10g": { machines: shapes([["g5.xlarge", 1], ["g5.2xlarge", 1], ["g5.12xlarge", 4], ["g5.48xlarge", 8]]) },
    "nvidia-l40s": { machines: shapes([["g6e.xlarge", 1], ["g6e.2xlarge", 1], ["g6e.12xlarge", 4], ["g6e.48xlarge", 8]]) },
    "nvidia-a100": { machines: shapes([["p4d.24xlarge", 8]]) },
    "nvidia-a100-80gb": { machines: shapes([["p4de.24xlarge", 8]]) },
    "nvidia-h100": { machines: shapes([["p5.4xlarge", 1], ["p5.48xlarge", 8]]) },
  },
  azure: {
    "nvidia-t4": { machines: shapes([["Standard_NC4as_T4_v3", 1], ["Standard_NC8as_T4_v3", 1], ["Standard_NC64as_T4_v3", 4]]) },
    "nvidia-a100": { machines: shapes([["Standard_ND96asr_v4", 8]]) },
    "nvidia-a100-80gb": {
      machines: shapes([["Standard_NC24ads_A100_v4", 1], ["Standard_NC48ads_A100_v4", 2], ["Standard_NC96ads_A100_v4", 4], ["Standard_ND96amsr_A100_v4", 8]]),
    },
    "nvidia-h100": { machines: shapes([["Standard_NC40ads_H100_v5", 1], ["Standard_NC80adis_H100_v5", 2], ["Standard_ND96isr_H100_v5", 8]]) },
  },
  gcp: {
    "nvidia-t4": { machines: shapes([["n1-standard-8", 1], ["n1-standard-16", 2], ["n1-standard-32", 4]]), gkeAccelerator: "nvidia-tesla-t4" },
    "nvidia-l4": {
      machines: shapes([["g2-standard-8", 1], ["g2-standard-24", 2], ["g2-standard-48", 4], ["g2-standard-96", 8]]),
      gkeAccelerator: "nvidia-l4",
    },
    "nvidia-a100": {
      machines: shapes([["a2-highgpu-1g", 1], ["a2-highgpu-2g", 2], ["a2-highgpu-4g", 4], ["a2-highgpu-8g", 8]]),
      gkeAccelerator: "nvidia-tesla-a100",
    },
    "nvidia-a100-80gb": {
      machines: shapes([["a2-ultragpu-1g", 1], ["a2-ultragpu-2g", 2], ["a2-ultragpu-4g", 4], ["a2-ultragpu-8g", 8]]),
      gkeAccelerator: "nvidia-a100-80gb",
    },
    "nvidia-h100": { machines: shapes([["a3-highgpu-8g", 8]]), gkeAccelerator: "nvidia-h100-80gb" },
  },
};

/** True for a known GPU type name. */
export function isGpuType(name: string): name is GpuType {
  return (GPU_TYPES as readonly string[]).includes(name);
}

/** GPU types a cloud offers. */
export function gpuTypesOn(cloud: GpuCloud): GpuType[] {
  return GPU_TYPES.filter((gpu) => GPU_CATALOG[cloud][gpu] !== undefined);
}

/** The GPUs-per-node counts a cloud offers for a GPU type, ascending. */
export function gpusPerNodeOptions(cloud: GpuCloud, gpu: GpuType): number[] {
  return [...new Set((GPU_CATALOG[cloud][gpu]?.machines ?? []).map((m) => m.gpusPerNode))].sort((a, b) => a - b);
}

/** Machines of a GPU type with exactly `gpusPerNode` GPUs, smallest first (empty when none). */
export function machinesFor(cloud: GpuCloud, gpu: GpuType, gpusPerNode: number): string[] {
  return (GPU_CATALOG[cloud][gpu]?.machines ?? []).filter((m) => m.gpusPerNode === gpusPerNode).map((m) => m.machine);
}
