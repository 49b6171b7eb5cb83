/**
 * What MlPlatform gives its monitoring stack: the stack's own settings from `monitoring`, and what the
 * platform knows (whether it installs the Prometheus Operator, the capabilities that run, the namespaces
 * to watch, the teams whose model servers are scraped).
 */
import { ClusterOperator } from "../cluster/operators.js";
import { MONITORING_NAMESPACE, MonitoredCapability, type MonitoringStackArgs } from "../monitoring/monitoring-stack.js";
import { NOTEBOOK_CONTROLLER_NAMESPACE } from "../notebooks/notebook-spec.js";
import type { PathRule } from "./children.js";
import type { MlPlatformPlan } from "./plan.js";

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
