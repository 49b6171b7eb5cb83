/**
 * The metric catalog: every metric the platform's rules and dashboards read, with the labels they rely on
 * and where the name comes from. Rules and dashboards name metrics only through this module, so a name is
 * checked against its source in one place, and the tests can feed promtool a sample of every series.
 */

/** Prometheus metric types, as the exporters declare them. */
export enum MetricType {
  Counter = "counter",
  Gauge = "gauge",
  Histogram = "histogram",
}

/** One metric: its exposed name (counters with `_total`, histograms as their base name), labels, source. */
export interface MetricInfo {
  name: string;
  type: MetricType;
  /** Labels the platform's queries use (exporters may add more). */
  labels: readonly string[];
  help: string;
}

/** A family of metrics one exporter publishes, with the upstream file or page the names are taken from. */
export interface MetricSource {
  /** Who exports them and how the platform scrapes them. */
  exporter: string;
  source: string;
  metrics: Readonly<Record<string, MetricInfo>>;
}

const metric = (name: string, type: MetricType, labels: readonly string[], help: string): MetricInfo => ({ name, type, labels, help });

/**
 * NVIDIA DCGM exporter, deployed by the GPU Operator (ServiceMonitor from its chart). Field names from
 * NVIDIA/dcgm-exporter `etc/default-counters.csv`; `namespace`/`pod`/`container` come from its
 * Kubernetes pod mapping (on by default in the GPU Operator), `Hostname`, `gpu`, `UUID`, `modelName` from
 * the exporter itself. Utilization is a percentage (0-100), temperature in °C, power in W, framebuffer in MiB.
 */
const DCGM_LABELS = ["Hostname", "gpu", "UUID", "modelName", "namespace", "pod", "container"] as const;
export const DCGM = {
  exporter: "NVIDIA DCGM exporter (GPU Operator)",
  source: "https://github.com/NVIDIA/dcgm-exporter/blob/main/etc/default-counters.csv",
  metrics: {
    gpuUtil: metric("DCGM_FI_DEV_GPU_UTIL", MetricType.Gauge, DCGM_LABELS, "GPU utilization (%)"),
    fbUsed: metric("DCGM_FI_DEV_FB_USED", MetricType.Gauge, DCGM_LABELS, "Framebuffer memory used (MiB)"),
    fbFree: metric("DCGM_FI_DEV_FB_FREE", MetricType.Gauge, DCGM_LABELS, "Framebuffer memory free (MiB)"),
    gpuTemp: metric("DCGM_FI_DEV_GPU_TEMP", MetricType.Gauge, DCGM_LABELS, "GPU temperature (°C)"),
    powerUsage: metric("DCGM_FI_DEV_POWER_USAGE", MetricType.Gauge, DCGM_LABELS, "Power draw (W)"),
    xidErrors: metric("DCGM_FI_DEV_XID_ERRORS", MetricType.Gauge, DCGM_LABELS, "Value of the last XID error encountered"),
    graphicsEngineActive: metric("DCGM_FI_PROF_GR_ENGINE_ACTIVE", MetricType.Gauge, DCGM_LABELS, "Ratio of time the graphics engine is active (0-1)"),
  },
} as const satisfies MetricSource;

/**
 * LiteLLM proxy (`callbacks: [prometheus]`, scraped through the gateway's ServiceMonitor). Names from
 * BerriAI/litellm `litellm/integrations/prometheus.py` and `docs/my-website/docs/proxy/prometheus.md`;
 * prometheus_client appends `_total` to counters. Spend is in USD.
 */
export const LITELLM = {
  exporter: "LiteLLM proxy (AI gateway)",
  source: "https://github.com/BerriAI/litellm/blob/main/litellm/integrations/prometheus.py",
  metrics: {
    spend: metric("litellm_spend_metric_total", MetricType.Counter, ["model", "team", "team_alias"], "Spend (USD)"),
    totalTokens: metric("litellm_total_tokens_metric_total", MetricType.Counter, ["model", "team", "team_alias"], "Input and output tokens"),
    inputTokens: metric("litellm_input_tokens_metric_total", MetricType.Counter, ["model", "team", "team_alias"], "Input tokens"),
    outputTokens: metric("litellm_output_tokens_metric_total", MetricType.Counter, ["model", "team", "team_alias"], "Output tokens"),
    requests: metric("litellm_requests_metric_total", MetricType.Counter, ["model", "team", "team_alias"], "Successful LLM calls"),
    proxyTotalRequests: metric("litellm_proxy_total_requests_metric_total", MetricType.Counter, ["team", "team_alias"], "Requests the proxy answered"),
    proxyFailedRequests: metric("litellm_proxy_failed_requests_metric_total", MetricType.Counter, ["team", "team_alias"], "Requests the proxy failed"),
    totalLatency: metric("litellm_request_total_latency_metric", MetricType.Histogram, ["model"], "End-to-end request latency (s)"),
    timeToFirstToken: metric("litellm_llm_api_time_to_first_token_metric", MetricType.Histogram, ["model"], "Time to the first streamed token (s)"),
    remainingTeamBudget: metric("litellm_remaining_team_budget_metric", MetricType.Gauge, ["team", "team_alias"], "Budget a team has left (USD)"),
    teamMaxBudget: metric("litellm_team_max_budget_metric", MetricType.Gauge, ["team", "team_alias"], "A team's budget (USD)"),
    deploymentState: metric("litellm_deployment_state", MetricType.Gauge, ["litellm_model_name", "api_provider"], "0 healthy, 1 partial outage, 2 complete outage"),
    successfulFallbacks: metric("litellm_deployment_successful_fallbacks_total", MetricType.Counter, ["requested_model", "fallback_model"], "Fallbacks that answered"),
    failedFallbacks: metric("litellm_deployment_failed_fallbacks_total", MetricType.Counter, ["requested_model", "fallback_model"], "Fallbacks that failed too"),
    cacheHits: metric("litellm_cache_hits_metric_total", MetricType.Counter, ["model"], "Answers served from the response cache"),
    cacheMisses: metric("litellm_cache_misses_metric_total", MetricType.Counter, ["model"], "Cacheable requests the cache could not answer"),
  },
} as const satisfies MetricSource;

/**
 * Kubeflow notebook controller (PodMonitor on :8080). Names and labels from kubeflow/notebooks
 * `components/notebook-controller/pkg/metrics/metrics.go` at v1.11.0. Its culling counters are declared
 * there too but its collector does not collect them, so nothing here relies on them.
 */
export const NOTEBOOK_CONTROLLER = {
  exporter: "Kubeflow notebook controller",
  source: "https://github.com/kubeflow/notebooks/blob/v1.11.0/components/notebook-controller/pkg/metrics/metrics.go",
  metrics: {
    running: metric("notebook_running", MetricType.Gauge, ["namespace"], "Running notebooks"),
    created: metric("notebook_create_total", MetricType.Counter, ["namespace"], "Notebooks created"),
    createFailed: metric("notebook_create_failed_total", MetricType.Counter, ["namespace"], "Notebook creations that failed"),
  },
} as const satisfies MetricSource;

/**
 * kube-state-metrics (installed with kube-prometheus-stack). Names and labels from kubernetes/kube-state-metrics
 * `docs/metrics/workload/pod-metrics.md`, `job-metrics.md` and `docs/metrics/policy/resourcequota-metrics.md`;
 * extended resources are exposed with `.` and `/` replaced by `_` (`nvidia_com_gpu`). `kube_pod_labels`
 * carries only the labels its allowlist names: the stack's values allow `notebook-name`
 * (`label_notebook_name`), the label the notebook controller puts on a notebook's pod.
 */
export const KUBE_STATE_METRICS = {
  exporter: "kube-state-metrics",
  source: "https://github.com/kubernetes/kube-state-metrics/tree/main/docs/metrics",
  metrics: {
    containerRequests: metric("kube_pod_container_resource_requests", MetricType.Gauge, ["namespace", "pod", "container", "node", "resource", "unit"], "Requested resources per container"),
    resourceQuota: metric("kube_resourcequota", MetricType.Gauge, ["namespace", "resource", "type"], "Quota hard limits and usage (type: hard, used)"),
    podPhase: metric("kube_pod_status_phase", MetricType.Gauge, ["namespace", "pod", "phase"], "1 for the pod's current phase"),
    podLabels: metric("kube_pod_labels", MetricType.Gauge, ["namespace", "pod", "label_notebook_name"], "1 per pod, with its allowlisted labels"),
    jobFailed: metric("kube_job_failed", MetricType.Gauge, ["namespace", "job_name", "condition"], "1 when the Job's Failed condition has this status"),
    jobActive: metric("kube_job_status_active", MetricType.Gauge, ["namespace", "job_name"], "Running pods of a Job"),
    jobSucceeded: metric("kube_job_status_succeeded", MetricType.Gauge, ["namespace", "job_name"], "Pods of a Job that succeeded"),
    jobFailedPods: metric("kube_job_status_failed", MetricType.Gauge, ["namespace", "job_name"], "Pods of a Job that failed"),
    statefulSetReplicas: metric("kube_statefulset_replicas", MetricType.Gauge, ["namespace", "statefulset"], "Desired replicas of a StatefulSet (a notebook is one, scaled to 0 when stopped or culled)"),
    jobOwner: metric("kube_job_owner", MetricType.Gauge, ["namespace", "job_name", "owner_kind", "owner_name"], "The object that owns a Job (JobSet for training jobs)"),
  },
} as const satisfies MetricSource;

/**
 * Kueue controller (its chart's ServiceMonitor). Names from kubernetes-sigs/kueue
 * `pkg/metrics/metrics.go` and site/content/en/docs/reference/metrics.md.
 */
export const KUEUE = {
  exporter: "Kueue",
  source: "https://github.com/kubernetes-sigs/kueue/blob/main/pkg/metrics/metrics.go",
  metrics: {
    pendingWorkloads: metric("kueue_pending_workloads", MetricType.Gauge, ["cluster_queue", "status"], "Pending workloads (status: active, inadmissible)"),
    admittedWorkloads: metric("kueue_admitted_workloads_total", MetricType.Counter, ["cluster_queue"], "Workloads admitted"),
    admissionWait: metric("kueue_admission_wait_time_seconds", MetricType.Histogram, ["cluster_queue"], "Time from creation to admission (s)"),
  },
} as const satisfies MetricSource;

/**
 * CloudNativePG instance exporter (port 9187, the PostgresCluster's PodMonitor). Names from
 * cloudnative-pg/cloudnative-pg `pkg/management/postgres/webserver/metricserver/pg_collector.go` and the
 * default queries in `config/manager/default-monitoring.yaml`; the backup timestamp with the barman-cloud
 * plugin from plugin-barman-cloud's metrics (prefix `barman_cloud_cloudnative_pg_io_`).
 */
export const CLOUDNATIVE_PG = {
  exporter: "CloudNativePG instance manager",
  source: "https://github.com/cloudnative-pg/cloudnative-pg/blob/main/config/manager/default-monitoring.yaml",
  metrics: {
    collectorUp: metric("cnpg_collector_up", MetricType.Gauge, ["namespace", "pod", "cluster"], "1 when the instance's PostgreSQL answers"),
    replicationLag: metric("cnpg_pg_replication_lag", MetricType.Gauge, ["namespace", "pod"], "Replica lag behind the primary (s)"),
    backends: metric("cnpg_backends_total", MetricType.Gauge, ["namespace", "pod", "datname"], "Open connections"),
    databaseSize: metric("cnpg_pg_database_size_bytes", MetricType.Gauge, ["namespace", "pod", "datname"], "Database size (bytes)"),
    secondsSinceLastArchival: metric("cnpg_pg_stat_archiver_seconds_since_last_archival", MetricType.Gauge, ["namespace", "pod"], "Seconds since the last WAL file was archived"),
    lastArchivedTime: metric("cnpg_pg_stat_archiver_last_archived_time", MetricType.Gauge, ["namespace", "pod"], "Unix time of the last WAL file archived"),
    lastFailedArchiveTime: metric("cnpg_pg_stat_archiver_last_failed_time", MetricType.Gauge, ["namespace", "pod"], "Unix time of the last failed attempt to archive a WAL file"),
    lastBackup: metric("barman_cloud_cloudnative_pg_io_last_available_backup_timestamp", MetricType.Gauge, ["namespace", "pod"], "Unix time of the newest base backup in the object store"),
  },
} as const satisfies MetricSource;

/**
 * OpenCost (scraped by the ServiceMonitor its chart creates). Names and labels from opencost/opencost
 * `pkg/costmodel/metrics.go`. Node prices are USD per hour; `node_gpu_hourly_cost` is per GPU.
 */
export const OPENCOST = {
  exporter: "OpenCost",
  source: "https://github.com/opencost/opencost/blob/develop/pkg/costmodel/metrics.go",
  metrics: {
    nodeTotalHourlyCost: metric("node_total_hourly_cost", MetricType.Gauge, ["node", "instance_type"], "A node's price (USD/hour)"),
    nodeGpuHourlyCost: metric("node_gpu_hourly_cost", MetricType.Gauge, ["node", "instance_type"], "Price of one of a node's GPUs (USD/hour)"),
    nodeGpuCount: metric("node_gpu_count", MetricType.Gauge, ["node", "instance_type"], "GPUs on a node"),
    containerGpuAllocation: metric("container_gpu_allocation", MetricType.Gauge, ["namespace", "pod", "container", "node"], "GPUs allocated to a container"),
    pvHourlyCost: metric("pv_hourly_cost", MetricType.Gauge, ["persistentvolume"], "A volume's price per GiB (USD/hour)"),
  },
} as const satisfies MetricSource;

/**
 * Prometheus and Alertmanager themselves (kube-prometheus-stack scrapes both). Names from
 * prometheus/prometheus `rules/manager.go`, `notifier/notifier.go`, `cmd/prometheus/main.go` and
 * prometheus/alertmanager `notify/notify.go`, `config/coordinator.go`.
 */
export const PROMETHEUS_SELF = {
  exporter: "Prometheus and Alertmanager (self-monitoring)",
  source: "https://github.com/prometheus/prometheus/blob/main/rules/manager.go",
  metrics: {
    ruleEvaluationFailures: metric("prometheus_rule_evaluation_failures_total", MetricType.Counter, ["namespace", "pod", "rule_group"], "Rule evaluations that failed"),
    alertmanagersDiscovered: metric("prometheus_notifications_alertmanagers_discovered", MetricType.Gauge, ["namespace", "pod"], "Alertmanagers Prometheus sends alerts to"),
    notificationErrors: metric("prometheus_notifications_errors_total", MetricType.Counter, ["namespace", "pod"], "Alerts Prometheus failed to hand to Alertmanager"),
    configReloadSuccessful: metric("prometheus_config_last_reload_successful", MetricType.Gauge, ["namespace", "pod"], "1 when the last configuration reload worked"),
    alertmanagerNotificationsFailed: metric("alertmanager_notifications_failed_total", MetricType.Counter, ["namespace", "pod", "integration"], "Notifications a receiver integration failed to deliver"),
    alertmanagerConfigReloadSuccessful: metric("alertmanager_config_last_reload_successful", MetricType.Gauge, ["namespace", "pod"], "1 when the last configuration reload worked"),
  },
} as const satisfies MetricSource;

/**
 * The platform's model contract: what a model service exports, with any Prometheus client, for its
 * ModelMonitor to watch it. Histograms of every input feature and of the prediction (bucket bounds the
 * ModelMonitor is told), a quality gauge fed by delayed ground truth, and request, error and
 * input-schema-violation counters, all labelled `model` and `version`; Prometheus adds `namespace`.
 * Drift is computed from the histograms by the ModelMonitor's recording rules, not by the service.
 */
const MODEL_LABELS = ["namespace", "model", "version"] as const;
export const MODEL_CONTRACT = {
  exporter: "model services (the platform's model contract)",
  source: "docs/monitoring.md#the-model-contract",
  metrics: {
    featureValue: metric("ml_feature_value", MetricType.Histogram, [...MODEL_LABELS, "feature"], "Values of one input feature, bucketed at the bounds its ModelMonitor names"),
    predictionValue: metric("ml_prediction_value", MetricType.Histogram, MODEL_LABELS, "Values the model predicted (a score, a probability, a regression output)"),
    quality: metric("ml_model_quality", MetricType.Gauge, [...MODEL_LABELS, "metric"], "A quality measure (auc, accuracy, rmse, ...) from ground truth that arrived later"),
    requests: metric("ml_requests_total", MetricType.Counter, MODEL_LABELS, "Prediction requests served"),
    requestErrors: metric("ml_request_errors_total", MetricType.Counter, MODEL_LABELS, "Prediction requests that failed"),
    schemaViolations: metric("ml_input_schema_violations_total", MetricType.Counter, MODEL_LABELS, "Requests whose input did not match the model's schema (missing, mistyped or out-of-range fields)"),
    latency: metric("ml_request_duration_seconds", MetricType.Histogram, MODEL_LABELS, "Time to serve a prediction (s)"),
  },
} as const satisfies MetricSource;

/**
 * The platform's own deployments (DORA): kube-state-metrics exports each DeploymentRecord the deploy
 * pipeline writes (its custom resource state metrics, configured by the monitoring stack) as these
 * gauges, one series per record, from RFC 3339 times in Unix seconds.
 */
const DEPLOYMENT_LABELS = ["environment", "commit", "result", "name"] as const;
export const DEPLOYMENT_RECORDS = {
  exporter: "kube-state-metrics (custom resource state of DeploymentRecords)",
  source: "docs/delivery.md#dora-for-the-platform-itself",
  metrics: {
    deployed: metric("mlp_deployment_deployed_timestamp_seconds", MetricType.Gauge, DEPLOYMENT_LABELS, "When a deployment of the platform ended (Unix seconds)"),
    merged: metric("mlp_deployment_merged_timestamp_seconds", MetricType.Gauge, DEPLOYMENT_LABELS, "When the commit a deployment deployed was merged (Unix seconds)"),
  },
} as const satisfies MetricSource;

/** Name of the container port model services serve `/metrics` on, unless their ModelMonitor names another. */
export const MODEL_METRICS_PORT_NAME = "metrics";

/** Every source, in the order the catalog documents them. */
export const METRIC_SOURCES: readonly MetricSource[] = [DCGM, LITELLM, NOTEBOOK_CONTROLLER, KUBE_STATE_METRICS, KUEUE, CLOUDNATIVE_PG, OPENCOST, PROMETHEUS_SELF, MODEL_CONTRACT, DEPLOYMENT_RECORDS];

/** Every metric of the catalog. */
export function catalogMetrics(): MetricInfo[] {
  return METRIC_SOURCES.flatMap((source) => Object.values(source.metrics));
}

/**
 * The series names a metric is exposed as: a histogram's `_bucket`, `_sum` and `_count`, any other metric
 * its own name.
 */
export function exposedSeries(info: MetricInfo): string[] {
  return info.type === MetricType.Histogram ? [`${info.name}_bucket`, `${info.name}_sum`, `${info.name}_count`] : [info.name];
}
