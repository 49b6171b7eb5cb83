/**
 * Monitoring: `MonitoringStack` (Prometheus, Alertmanager, Grafana, OpenCost, the platform's rules and
 * dashboards) and the model contract a model server follows to be watched. The metric catalog, rule and
 * dashboard builders and chart values stay inside this folder.
 */
export { AlertReceiverKind } from "./charts.js";
export { MODEL_METRICS_LABEL, MODEL_METRICS_PORT_NAME } from "./metrics.js";
export {
  MONITORING_NAMESPACE,
  MonitoredCapability,
  MonitoringStack,
  type AlertReceiverArgs,
  type DriftThresholdArgs,
  type MonitoringStackArgs,
} from "./monitoring-stack.js";
export { AlertSeverity } from "./rules.js";
