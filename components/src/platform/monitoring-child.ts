/**
 * MlPlatform's monitoring section, and what MlPlatform gives its monitoring stack: the stack's own
 * settings from `monitoring`, and what the platform knows (whether it installs the Prometheus Operator, the capabilities that run, the namespaces
 * to watch, the teams whose model servers are scraped).
 */
import type * as pulumi from "@pulumi/pulumi";
import { ClusterOperator } from "../cluster/operators.js";
import {
  MONITORING_NAMESPACE,
  MonitoredCapability,
  type AlertReceiverArgs,
  type DriftThresholdArgs,
  type MonitoringStackArgs,
} from "../monitoring/monitoring-stack.js";
import { NOTEBOOK_CONTROLLER_NAMESPACE } from "../notebooks/notebook-spec.js";
import type { PathRule } from "./children.js";
import type { MlPlatformPlan } from "./plan.js";

/**
 * Monitoring settings: MonitoringStack's args but what MlPlatform decides (its namespace, whether to
 * install kube-prometheus-stack, which capabilities and namespaces it watches).
 */
export interface MlPlatformMonitoringArgs {
  /** @default true */
  enabled?: boolean;
  /**
   * Exact kube-prometheus-stack chart version.
   * @default KUBE_PROMETHEUS_STACK_CHART.version
   */
  version?: string;
  /**
   * Days Prometheus keeps metrics.
   * @default 15
   */
  retentionDays?: number;
  /**
   * Size of Prometheus's volume.
   * @default 50
   */
  storageGiB?: number;
  /**
   * StorageClass of Prometheus's volume.
   * @default the cluster's default StorageClass
   */
  storageClassName?: string;
  /**
   * Prometheus and Alertmanager replicas.
   * @default 1
   */
  replicas?: number;
  /**
   * Grafana's admin password (user `admin`).
   * @default a random 32-character password, in the Secret grafana-admin of the monitoring namespace
   */
  grafanaAdminPassword?: pulumi.Input<string>;
  /**
   * Where Alertmanager sends alerts.
   * @default [] (alerts are visible in Alertmanager and Grafana only)
   */
  alertReceivers?: AlertReceiverArgs[];
  /**
   * Install OpenCost, for the cost rules and dashboard.
   * @default true when the platform installs Prometheus, or `prometheusUrl` names the cluster's
   */
  opencost?: boolean;
  /**
   * Exact OpenCost chart version.
   * @default OPENCOST_CHART.version
   */
  opencostVersion?: string;
  /**
   * Prometheus URL OpenCost reads, when the cluster runs its own Prometheus.
   * @default the platform's Prometheus
   */
  prometheusUrl?: string;
  /**
   * Alert when the cluster's GPUs, at their current count and price, cost more per month (USD).
   * @default no budget alert
   */
  gpuMonthlyBudgetUsd?: number;
  /**
   * When model drift is worth an alert.
   * @default DEFAULT_DRIFT_THRESHOLDS
   */
  drift?: DriftThresholdArgs;
}

/** Where the platform's own Prometheus runs: only when it installs the monitoring stack's. */
export function prometheusNamespace(plan: MlPlatformPlan): string | undefined {
  return plan.monitoring && plan.installs.has(ClusterOperator.PrometheusOperator) ? MONITORING_NAMESPACE : undefined;
}

/** The monitoring stack's args for the plan; undefined without monitoring. */
export function monitoringStackArgs(plan: MlPlatformPlan): MonitoringStackArgs | undefined {
  if (plan.monitoring === undefined) return undefined;
  const { enabled: _enabled, ...args } = plan.monitoring.args;
  const install = plan.installs.has(ClusterOperator.PrometheusOperator);
  return {
    ...args,
    namespace: MONITORING_NAMESPACE,
    installPrometheusStack: install,
    // OpenCost needs a Prometheus: the platform's, or the cluster's when the caller names it.
    opencost: args.opencost ?? (install || args.prometheusUrl !== undefined),
    monitored: [
      // DCGM runs wherever GPU pools do, from the platform's GPU Operator or the cluster's.
      ...(plan.gpuPools.length > 0 ? [MonitoredCapability.Gpus] : []),
      ...(plan.gateway ? [MonitoredCapability.AiGateway] : []),
      ...(plan.notebooks ? [MonitoredCapability.Notebooks] : []),
      ...(plan.gateway?.args.database ? [MonitoredCapability.Databases] : []),
    ],
    modelNamespaces: plan.teams.map((team) => team.namespace),
    platformNamespaces: [...plan.namespaces.map((ns) => ns.name), ...(plan.notebooks ? [NOTEBOOK_CONTROLLER_NAMESPACE] : [])],
  };
}

/** Where the stack's args come from in MlPlatform's: what the platform decides is `monitoring` itself. */
export const MONITORING_PATH_RULES: PathRule[] = [
  [/^(namespace|monitored|platformNamespaces)\b.*$/, "monitoring"],
  [/^modelNamespaces\[(\d+)\]$/, "teams[$1].name"],
];
