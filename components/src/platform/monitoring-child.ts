/**
 * MlPlatform's monitoring section, and what MlPlatform gives its monitoring stack and model monitors: the
 * stack's own settings from `monitoring`, what the platform knows (whether it installs the Prometheus
 * Operator, the capabilities that run, the namespaces to watch), and one ModelMonitor per declared model,
 * in its team's namespace.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ClusterOperator } from "../cluster/operators.js";
import type { ArgumentProblems } from "../common/component.js";
import type { ModelFeatureArgs, ModelMonitorArgs, ModelMonitorThresholdArgs, ModelQualityMetricArgs, ModelReferenceWindowArgs } from "../monitoring/model-monitor.js";
import { planModelMonitor } from "../monitoring/model-monitor.js";
import { MONITORING_NAMESPACE, MonitoredCapability, type AlertReceiverArgs, type MonitoringStackArgs } from "../monitoring/monitoring-stack.js";
import { NOTEBOOK_CONTROLLER_NAMESPACE } from "../notebooks/notebook-spec.js";
import { child, type ChildSpec, type PathRule } from "./child-spec.js";
import type { MlPlatformPlan } from "./plan.js";

/** A model to monitor, in a team's namespace: ModelMonitor's args with the team instead of the namespace. */
export interface MlPlatformModelMonitorArgs {
  /** The model's name: the `model` label its server exports. */
  name: string;
  /** The team (of `teams`) whose namespace the model runs in. */
  team: string;
  /** Labels of the model server's pods. */
  podSelector: Record<string, string>;
  /** The input features whose distributions are watched for drift. */
  features: ModelFeatureArgs[];
  /** Upper bounds of the buckets of `ml_prediction_value` (without `+Inf`). */
  predictionBuckets: number[];
  /**
   * Quality metrics the server exports from delayed ground truth.
   * @default []
   */
  quality?: ModelQualityMetricArgs[];
  /**
   * Name of the container port serving `/metrics`.
   * @default "metrics"
   */
  metricsPort?: string;
  /**
   * Length of the recent window, in minutes.
   * @default 60
   */
  recentWindowMinutes?: number;
  /**
   * The reference window.
   * @default { durationHours: 72, offsetHours: 24 }
   */
  referenceWindow?: ModelReferenceWindowArgs;
  /**
   * When drift and failures alert.
   * @default the ModelMonitorThresholdArgs defaults
   */
  thresholds?: ModelMonitorThresholdArgs;
}

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
   * Where the runbooks are; every alert links to its section.
   * @default "docs/runbooks.md"
   */
  runbookUrl?: string;
  /**
   * Models to monitor, each with a ModelMonitor in its team's namespace.
   * @default []
   */
  models?: MlPlatformModelMonitorArgs[];
}

/** Where the platform's own Prometheus runs: only when it installs the monitoring stack's. */
export function prometheusNamespace(plan: MlPlatformPlan): string | undefined {
  return plan.monitoring && plan.installs.has(ClusterOperator.PrometheusOperator) ? MONITORING_NAMESPACE : undefined;
}

/** The monitoring stack's args for the plan; undefined without monitoring. */
export function monitoringStackArgs(plan: MlPlatformPlan): MonitoringStackArgs | undefined {
  if (plan.monitoring === undefined) return undefined;
  const { enabled: _enabled, models: _models, ...args } = plan.monitoring.args;
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
      ...(plan.training ? [MonitoredCapability.Training] : []),
      // Kueue's metrics are scraped through its chart's ServiceMonitor, which the platform turns on when it
      // installs both Kueue and Prometheus (children.ts); a preinstalled Kueue's metrics are its installer's
      // to expose, and a preinstalled Prometheus's permissions are unknown.
      ...(plan.training?.kueue && plan.installs.has(ClusterOperator.Kueue) && install ? [MonitoredCapability.Kueue] : []),
      ...(plan.gateway?.args.database || plan.catalog ? [MonitoredCapability.Databases] : []),
    ],
    platformNamespaces: [...plan.namespaces.map((ns) => ns.name), ...(plan.notebooks ? [NOTEBOOK_CONTROLLER_NAMESPACE] : [])],
  };
}

/** Where the stack's args come from in MlPlatform's: what the platform decides is `monitoring` itself. */
export const MONITORING_PATH_RULES: PathRule[] = [[/^(namespace|monitored|platformNamespaces)\b.*$/, "monitoring"]];

/** Problems of the declared models only MlPlatform sees: a team it does not have, a model declared twice. */
export function modelMonitorProblems(plan: MlPlatformPlan, problems: ArgumentProblems): void {
  const seen = new Set<string>();
  (plan.monitoring?.args.models ?? []).forEach((model, index) => {
    if (!plan.teams.some((team) => team.name === model.team)) {
      problems.add(`monitoring.models[${index}].team`, model.team, `name a team of teams: ${plan.teams.map((team) => team.name).join(", ") || "(none)"}`);
    }
    const key = `${model.team}/${model.name}`;
    if (seen.has(key)) problems.add(`monitoring.models[${index}].name`, model.name, "declare each model of a team once");
    seen.add(key);
  });
}

/** One ModelMonitor per declared model of a known team, after the monitoring stack (its CRDs). */
export function modelMonitorChildren(name: string, plan: MlPlatformPlan): ChildSpec<ModelMonitorArgs>[] {
  if (plan.monitoring === undefined) return [];
  const { args } = plan.monitoring;
  // The reference window must lie within what Prometheus keeps: known when the platform installs it.
  const retentionDays = plan.installs.has(ClusterOperator.PrometheusOperator) ? (args.retentionDays ?? 15) : undefined;
  return (args.models ?? []).flatMap((model, index) => {
    const team = plan.teams.find((planned) => planned.name === model.team);
    if (team === undefined) return [];
    const { name: modelName, team: _team, ...rest } = model;
    const at = `monitoring.models[${index}]`;
    return [
      child(
        "ModelMonitor",
        `${name}-model-${team.name}-${modelName}`,
        {
          ...rest,
          model: modelName,
          namespace: team.namespace,
          monitoringNamespace: MONITORING_NAMESPACE,
          ...(retentionDays !== undefined ? { retentionDays } : {}),
          ...(args.runbookUrl !== undefined ? { runbookUrl: args.runbookUrl } : {}),
        },
        [
          [/^model$/, `${at}.name`],
          [/^namespace$/, `${at}.team`],
          [/^monitoringNamespace$/, "monitoring"],
          [/^runbookUrl$/, "monitoring.runbookUrl"],
        ],
        at,
        planModelMonitor,
      ),
    ];
  });
}
