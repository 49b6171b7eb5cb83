/**
 * Monitoring: `MonitoringStack` (Prometheus, Alertmanager, Grafana, OpenCost, the platform's rules and
 * dashboards) and `ModelMonitor` (one model's drift, quality and failures, computed by Prometheus from the
 * model contract). The metric catalog, rule and dashboard builders and chart values stay inside this folder.
 */
export { AlertReceiverKind } from "./charts.js";
export { MODEL_METRICS_PORT_NAME } from "./metrics.js";
export {
  ModelMonitor,
  type ModelFeatureArgs,
  type ModelMonitorArgs,
  type ModelMonitorThresholdArgs,
  type ModelQualityMetricArgs,
  type ModelReferenceWindowArgs,
} from "./model-monitor.js";
export { QualityDirection } from "./model-rules.js";
export { MONITORING_NAMESPACE, MonitoredCapability, MonitoringStack, type AlertReceiverArgs, type MonitoringStackArgs } from "./monitoring-stack.js";
export { AlertSeverity } from "./rules.js";
