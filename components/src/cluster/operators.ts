/**
 * Operators the platform builds on. Each can be installed by the platform or found preinstalled on the
 * cluster; a custom resource of an operator that is neither is never created. A preinstalled operator is
 * recognised by the CRDs of the kinds the platform creates for it, which a preflight can look for before
 * anything is applied.
 */

/** An operator the platform can install, or find preinstalled on the cluster. */
export enum ClusterOperator {
  /** cert-manager: certificates of the PodDefault webhook, Trainer's webhook and the backup plugin. */
  CertManager = "cert-manager",
  /** Prometheus Operator: ServiceMonitors, PodMonitors and PrometheusRules; the monitoring capability installs it with kube-prometheus-stack. */
  PrometheusOperator = "prometheus-operator",
  /** CloudNativePG: PostgreSQL clusters and scheduled backups. */
  CloudNativePg = "cloudnative-pg",
  /** CloudNativePG's barman-cloud plugin (next to the operator): object stores for WAL and base backups. */
  BarmanCloudPlugin = "barman-cloud-plugin",
  /** Kueue: queues and fair GPU sharing. */
  Kueue = "kueue",
  /** Kubeflow Trainer (with JobSet): TrainJobs and training runtimes. */
  KubeflowTrainer = "kubeflow-trainer",
  /** Kubeflow Notebooks: the notebook controller and the PodDefault webhook. */
  KubeflowNotebooks = "kubeflow-notebooks",
  /** NVIDIA GPU Operator: drivers, device plugin and DCGM on GPU nodes. */
  NvidiaGpuOperator = "nvidia-gpu-operator",
}

/** Every operator, in the order messages list them. */
export const CLUSTER_OPERATORS: readonly ClusterOperator[] = Object.values(ClusterOperator);

/**
 * The CRDs by which a preinstalled operator is recognised: those of the kinds the platform creates with it
 * (or, for the GPU Operator, the one its own install always brings).
 */
export const OPERATOR_CRDS: Readonly<Record<ClusterOperator, readonly string[]>> = {
  [ClusterOperator.CertManager]: ["certificates.cert-manager.io", "issuers.cert-manager.io"],
  [ClusterOperator.PrometheusOperator]: [
    "servicemonitors.monitoring.coreos.com",
    "podmonitors.monitoring.coreos.com",
    "prometheusrules.monitoring.coreos.com",
  ],
  [ClusterOperator.CloudNativePg]: ["clusters.postgresql.cnpg.io", "scheduledbackups.postgresql.cnpg.io"],
  [ClusterOperator.BarmanCloudPlugin]: ["objectstores.barmancloud.cnpg.io"],
  [ClusterOperator.Kueue]: [
    "resourceflavors.kueue.x-k8s.io",
    "clusterqueues.kueue.x-k8s.io",
    "localqueues.kueue.x-k8s.io",
    "workloadpriorityclasses.kueue.x-k8s.io",
  ],
  [ClusterOperator.KubeflowTrainer]: [
    "trainjobs.trainer.kubeflow.org",
    "clustertrainingruntimes.trainer.kubeflow.org",
    "trainingruntimes.trainer.kubeflow.org",
  ],
  [ClusterOperator.KubeflowNotebooks]: ["notebooks.kubeflow.org", "poddefaults.kubeflow.org"],
  [ClusterOperator.NvidiaGpuOperator]: ["clusterpolicies.nvidia.com"],
};

/** Whether `value` names an operator (`"kueue"`). */
export function isClusterOperator(value: unknown): value is ClusterOperator {
  return typeof value === "string" && (CLUSTER_OPERATORS as readonly string[]).includes(value);
}

/**
 * Where every operator stands for one platform: installed by it, preinstalled on the cluster, or neither
 * (then its custom resources are not created).
 */
export class OperatorAvailability {
  private readonly preinstalled: ReadonlySet<ClusterOperator>;

  constructor(preinstalled: readonly ClusterOperator[], private readonly installed: ReadonlySet<ClusterOperator> = new Set()) {
    this.preinstalled = new Set(preinstalled);
  }

  /** The cluster already runs it: the platform must not install it. */
  isPreinstalled(operator: ClusterOperator): boolean {
    return this.preinstalled.has(operator);
  }

  /** Its custom resources can be created: preinstalled, or installed by the platform. */
  isAvailable(operator: ClusterOperator): boolean {
    return this.preinstalled.has(operator) || this.installed.has(operator);
  }
}
