import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { argumentProblems, typeToken } from "../common/component.js";
import { isExactChartVersion, type HelmChartPin } from "../common/helm.js";
import { isDnsLabel, platformLabels } from "../common/kubernetes.js";
import { GPU_CLOUDS, type GpuCloud } from "./catalog.js";
import { GPU_TAINT } from "./node-pool-spec.js";

/**
 * NVIDIA GPU Operator, pinned (chart `gpu-operator`, https://helm.ngc.nvidia.com/nvidia). v26.7.0 is the
 * newest 26.7 release known in August 2026; public material we could search confirms
 * v26.3.x. Check `helm search repo nvidia/gpu-operator --versions` before deploying or bumping.
 */
export const GPU_OPERATOR_CHART: HelmChartPin = {
  chart: "gpu-operator",
  repository: "https://helm.ngc.nvidia.com/nvidia",
  version: "v26.7.0",
};

/** Name of the device-plugin ConfigMap holding each pool's time-slicing config. */
export const DEVICE_PLUGIN_CONFIG_MAP = "mlp-device-plugin-config";
/** Its entry for nodes without a pool-specific config: plain, unshared GPUs. */
export const DEFAULT_DEVICE_PLUGIN_CONFIG = "default";

/** How one pool shares its GPUs (at most one of the two). */
export interface GpuSharingArgs {
  /** The pool's name: its nodes get the pool's device-plugin config. */
  pool: string;
  /**
   * Pods sharing each GPU by time-slicing.
   * @default no time-slicing
   */
  timeSlicingReplicas?: number;
  /**
   * MIG layout of the pool's nodes, e.g. `all-1g.10gb`.
   * @default no MIG
   */
  migProfile?: string;
}

/**
 * What the GPU Operator must add on each provider's GPU nodes.
 * - EKS AL2023 accelerated AMIs ship the driver and container toolkit, not the device plugin
 *   (docs.aws.amazon.com/eks/latest/userguide/ml-eks-optimized-ami.html).
 * - AKS installs driver and toolkit on GPU nodes (`gpu.mode: Driver`); the device plugin is ours
 *   (learn.microsoft.com/azure/aks/nvidia-gpu-operator).
 * - GKE installs the driver and runs its own device plugin; Google recommends that managed stack, and the
 *   operator's full install needs node pools created with the driver disabled, which a ComputeClass cannot
 *   do. So on GKE the operator only adds DCGM metrics and feature discovery, reading GKE's driver path
 *   (docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/google-gke.html).
 */
export const PROVIDER_GPU_STACK: Readonly<Record<GpuCloud, { driver: boolean; toolkit: boolean; devicePlugin: boolean; driverInstallDir?: string }>> = {
  aws: { driver: false, toolkit: false, devicePlugin: true },
  azure: { driver: false, toolkit: false, devicePlugin: true },
  gcp: { driver: false, toolkit: false, devicePlugin: false, driverInstallDir: "/home/kubernetes/bin/nvidia" },
};

/** Device-plugin config entries: `default` plus one per time-sliced pool (node label selects the entry). */
export function devicePluginConfigs(sharing: readonly GpuSharingArgs[]): Record<string, string> {
  const entries: Record<string, string> = { [DEFAULT_DEVICE_PLUGIN_CONFIG]: "version: v1\nflags:\n  migStrategy: none\n" };
  for (const pool of sharing) {
    if (pool.timeSlicingReplicas === undefined) continue;
    entries[pool.pool] = [
      "version: v1",
      "flags:",
      "  migStrategy: none",
      "sharing:",
      "  timeSlicing:",
      // Pods keep asking for nvidia.com/gpu; asking for more than one slice would look like isolation it is not.
      "    renameByDefault: false",
      "    failRequestsGreaterThanOne: true",
      "    resources:",
      "      - name: nvidia.com/gpu",
      `        replicas: ${pool.timeSlicingReplicas}`,
      "",
    ].join("\n");
  }
  return entries;
}

/** MIG strategy: `single` when every MIG pool slices all GPUs alike (`all-*`), `mixed` otherwise. */
export function migStrategy(sharing: readonly GpuSharingArgs[]): "none" | "single" | "mixed" {
  const profiles = sharing.map((s) => s.migProfile).filter((p): p is string => p !== undefined);
  if (profiles.length === 0) return "none";
  return profiles.every((p) => p.startsWith("all-") && p !== "all-balanced") ? "single" : "mixed";
}

export interface GpuOperatorValuesInput {
  cloud: GpuCloud;
  sharing: readonly GpuSharingArgs[];
  serviceMonitor: boolean;
}

/** Helm values of the GPU Operator for a provider and the pools' sharing settings. */
export function gpuOperatorValues(input: GpuOperatorValuesInput): Record<string, unknown> {
  const stack = PROVIDER_GPU_STACK[input.cloud];
  const timeSliced = input.sharing.some((s) => s.timeSlicingReplicas !== undefined);
  const mig = migStrategy(input.sharing);
  return {
    operator: {
      // CRD upgrades run as a Helm hook job; the chart's crds/ are applied by Pulumi instead.
      upgradeCRD: false,
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
    },
    daemonsets: {
      // GPU nodes carry the platform's taint; the operator's agents must run there and nowhere is more critical.
      tolerations: [{ key: GPU_TAINT.key, operator: "Exists", effect: "NoSchedule" }],
      priorityClassName: "system-node-critical",
    },
    driver: { enabled: stack.driver },
    toolkit: { enabled: stack.toolkit },
    ...(stack.driverInstallDir ? { hostPaths: { driverInstallDir: stack.driverInstallDir } } : {}),
    devicePlugin:
      stack.devicePlugin && timeSliced
        ? { enabled: true, config: { name: DEVICE_PLUGIN_CONFIG_MAP, default: DEFAULT_DEVICE_PLUGIN_CONFIG } }
        : { enabled: stack.devicePlugin },
    mig: { strategy: mig === "none" ? "single" : mig },
    migManager: { enabled: stack.devicePlugin && mig !== "none" },
    dcgmExporter: {
      enabled: true,
      serviceMonitor: { enabled: input.serviceMonitor, interval: "15s", honorLabels: false },
    },
    nfd: { enabled: true },
  };
}

export interface GpuOperatorArgs {
  /** Where the cluster runs: what the provider's GPU node images already bring decides what the operator adds. */
  cloud: GpuCloud;
  /** Sharing settings of every GPU pool. */
  sharing: GpuSharingArgs[];
  /**
   * Namespace of the operator; it must allow privileged pods (driver, toolkit, device plugin).
   * @default "gpu-operator"
   */
  namespace?: string;
  /**
   * Exact chart version.
   * @default GPU_OPERATOR_CHART.version
   */
  version?: string;
  /**
   * Create a ServiceMonitor for the DCGM exporter (needs the Prometheus Operator's CRDs).
   * @default true
   */
  serviceMonitor?: boolean;
}

/**
 * The NVIDIA GPU Operator: device plugin (with per-pool time-slicing), MIG manager, DCGM exporter with a
 * ServiceMonitor, node feature discovery; driver and toolkit only where the provider's images lack them.
 */
export class GpuOperator extends pulumi.ComponentResource {
  /** Namespace the operator runs in. */
  public readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: GpuOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("GpuOperator"), name, {}, opts);
    const { cloud, namespace, version } = planGpuOperator(name, args);

    const dependsOn: pulumi.Resource[] = [];
    const configs = devicePluginConfigs(args.sharing);
    if (Object.keys(configs).length > 1) {
      dependsOn.push(
        new k8s.core.v1.ConfigMap(
          `${name}-device-plugin-config`,
          { metadata: { name: DEVICE_PLUGIN_CONFIG_MAP, namespace, labels: platformLabels("gpu") }, data: configs },
          { parent: this },
        ),
      );
    }
    new k8s.helm.v4.Chart(
      `${name}-chart`,
      {
        chart: GPU_OPERATOR_CHART.chart,
        repositoryOpts: { repo: GPU_OPERATOR_CHART.repository },
        version,
        namespace,
        values: gpuOperatorValues({ cloud, sharing: args.sharing, serviceMonitor: args.serviceMonitor ?? true }),
      },
      { parent: this, dependsOn },
    );
    this.namespace = pulumi.output(namespace);
    this.registerOutputs({ namespace: this.namespace });
  }
}

/** GpuOperator args with defaults applied. */
export interface GpuOperatorPlan {
  cloud: GpuCloud;
  namespace: string;
  version: string;
}

/** Validates GpuOperator args; throws `InputPropertyError` (`InputPropertiesError` for several) naming each property and the fix. */
export function planGpuOperator(name: string, args: GpuOperatorArgs): GpuOperatorPlan {
  const problems = argumentProblems("GpuOperator", name);
  if (!GPU_CLOUDS.includes(args.cloud)) problems.add("cloud", args.cloud, "use aws, azure or gcp: kind clusters have no GPUs");
  const namespace = args.namespace ?? "gpu-operator";
  if (!isDnsLabel(namespace)) problems.add("namespace", namespace, "use a namespace name (a DNS label)");
  const version = args.version ?? GPU_OPERATOR_CHART.version;
  if (!isExactChartVersion(version)) problems.add("version", version, `use an exact chart version such as "${GPU_OPERATOR_CHART.version}"`);
  problems.throwIfAny();
  return { cloud: args.cloud, namespace, version };
}
