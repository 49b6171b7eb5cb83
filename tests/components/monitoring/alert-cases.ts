/**
 * promtool unit tests of every alert the platform ships: series that must make it fire (with the labels
 * it must carry, after its `for`), and series that must leave it quiet. Series use promtool's expanding
 * notation (`0+10x30`: 0, 10, 20, ... 31 samples), one sample a minute.
 */
import { stringify } from "yaml";

export type Series = readonly [series: string, values: string];

export interface AlertCase {
  alert: string;
  /** When the firing series have held long enough, e.g. `25m`. */
  at: string;
  firing: readonly Series[];
  quiet: readonly Series[];
  /** Labels the fired alert carries besides `alertname` (its severity included). */
  labels: Readonly<Record<string, string>>;
}

const GPU = 'Hostname="gpu-node-1", gpu="0", UUID="GPU-1", modelName="NVIDIA L4"';
const POD = 'namespace="team-vision", pod="explore-0", container="notebook"';
const GPU_LABELS = { Hostname: "gpu-node-1", gpu: "0", UUID: "GPU-1", modelName: "NVIDIA L4" };
const VISION = { team: "vision" };
const warning = { severity: "warning" };
const critical = { severity: "critical" };

/** The budget and namespaces the rules under test are built with. */
export const TEST_GPU_BUDGET_USD = 1000;
export const TEST_PLATFORM_NAMESPACES = ["mlp-gateway", "mlp-monitoring"];

const latency = (fastShare: number): Series[] => [
  ['litellm_request_total_latency_metric_bucket{model="gpt", le="10"}', `0+${fastShare}x40`],
  ['litellm_request_total_latency_metric_bucket{model="gpt", le="60"}', "0+10x40"],
  ['litellm_request_total_latency_metric_bucket{model="gpt", le="+Inf"}', "0+10x40"],
];

export const ALERT_CASES: readonly AlertCase[] = [
  { alert: "GpuXidError", at: "5m", firing: [[`DCGM_FI_DEV_XID_ERRORS{${GPU}}`, "0 48x10"]], quiet: [[`DCGM_FI_DEV_XID_ERRORS{${GPU}}`, "0x10"]], labels: { ...warning, ...GPU_LABELS } },
  { alert: "GpuTooHot", at: "15m", firing: [[`DCGM_FI_DEV_GPU_TEMP{${GPU}}`, "90x20"]], quiet: [[`DCGM_FI_DEV_GPU_TEMP{${GPU}}`, "70x20"]], labels: { ...warning, ...GPU_LABELS } },
  {
    alert: "GpuMemoryNearlyFull",
    at: "20m",
    firing: [[`DCGM_FI_DEV_FB_USED{${GPU}, ${POD}}`, "23000x30"], [`DCGM_FI_DEV_FB_FREE{${GPU}, ${POD}}`, "500x30"]],
    quiet: [[`DCGM_FI_DEV_FB_USED{${GPU}, ${POD}}`, "12000x30"], [`DCGM_FI_DEV_FB_FREE{${GPU}, ${POD}}`, "11500x30"]],
    labels: { ...warning, ...GPU_LABELS, namespace: "team-vision", pod: "explore-0", ...VISION },
  },
  {
    alert: "GpuAllocatedButIdle",
    at: "75m",
    firing: [[`DCGM_FI_DEV_GPU_UTIL{${GPU}, ${POD}}`, "2x90"]],
    // A GPU no pod holds is not this alert's business (the cost dashboard shows it).
    quiet: [[`DCGM_FI_DEV_GPU_UTIL{${GPU}, ${POD}}`, "60x90"], [`DCGM_FI_DEV_GPU_UTIL{${GPU}, namespace="", pod="", container=""}`, "0x90"]],
    labels: { ...warning, namespace: "team-vision", pod: "explore-0", ...VISION },
  },
  {
    alert: "GatewayErrorRateHigh",
    at: "25m",
    firing: [['litellm_proxy_failed_requests_metric_total{team_alias="vision"}', "0+10x30"], ['litellm_proxy_total_requests_metric_total{team_alias="vision"}', "0+100x30"]],
    quiet: [['litellm_proxy_failed_requests_metric_total{team_alias="vision"}', "0+1x30"], ['litellm_proxy_total_requests_metric_total{team_alias="vision"}', "0+100x30"]],
    labels: warning,
  },
  {
    alert: "GatewayModelOutage",
    at: "10m",
    firing: [['litellm_deployment_state{litellm_model_name="chat-default", api_provider="openai"}', "2x15"]],
    quiet: [['litellm_deployment_state{litellm_model_name="chat-default", api_provider="openai"}', "0x15"]],
    labels: { ...critical, litellm_model_name: "chat-default", api_provider: "openai" },
  },
  {
    alert: "GatewayModelDegraded",
    at: "20m",
    firing: [['litellm_deployment_state{litellm_model_name="chat-default", api_provider="openai"}', "1x25"]],
    quiet: [['litellm_deployment_state{litellm_model_name="chat-default", api_provider="openai"}', "2x25"]],
    labels: { ...warning, litellm_model_name: "chat-default", api_provider: "openai" },
  },
  {
    alert: "GatewayFallbacksSpiking",
    at: "25m",
    // 2 of every 10 requests to chat-default fall back; quietly, 1 in 20.
    firing: [['litellm_deployment_successful_fallbacks_total{requested_model="chat-default", fallback_model="chat-small"}', "0+2x30"], ['litellm_requests_metric_total{model="chat-default", team="t-1", team_alias="vision"}', "0+10x30"]],
    quiet: [['litellm_deployment_successful_fallbacks_total{requested_model="chat-default", fallback_model="chat-small"}', "0+1x30"], ['litellm_requests_metric_total{model="chat-default", team="t-1", team_alias="vision"}', "0+20x30"]],
    labels: { ...warning, requested_model: "chat-default" },
  },
  {
    alert: "GatewayFallbacksFailing",
    at: "25m",
    firing: [['litellm_deployment_failed_fallbacks_total{requested_model="chat-default", fallback_model="chat-small"}', "0+1x30"]],
    quiet: [['litellm_deployment_failed_fallbacks_total{requested_model="chat-default", fallback_model="chat-small"}', "5x30"]],
    labels: { ...warning, requested_model: "chat-default" },
  },
  { alert: "GatewayLatencyHigh", at: "30m", firing: latency(0), quiet: latency(10), labels: warning },
  {
    alert: "GatewayTeamBudgetNearlySpent",
    at: "2m",
    // 85% spent; quietly, half spent, all spent (the next alert's), or no budget at all (nothing to run out of).
    firing: [['litellm_remaining_team_budget_metric{team="t-1", team_alias="vision"}', "15x5"], ['litellm_team_max_budget_metric{team="t-1", team_alias="vision"}', "100x5"]],
    quiet: [
      ['litellm_remaining_team_budget_metric{team="t-1", team_alias="vision"}', "50x5"],
      ['litellm_team_max_budget_metric{team="t-1", team_alias="vision"}', "100x5"],
      ['litellm_remaining_team_budget_metric{team="t-2", team_alias="speech"}', "0x5"],
      ['litellm_team_max_budget_metric{team="t-2", team_alias="speech"}', "100x5"],
      ['litellm_remaining_team_budget_metric{team="t-3", team_alias="audio"}', "0x5"],
      ['litellm_team_max_budget_metric{team="t-3", team_alias="audio"}', "0x5"],
    ],
    labels: { ...warning, team: "vision", team_id: "t-1", team_alias: "vision" },
  },
  {
    alert: "GatewayTeamBudgetExhausted",
    at: "2m",
    firing: [['litellm_remaining_team_budget_metric{team="t-1", team_alias="vision"}', "-0.5x5"], ['litellm_team_max_budget_metric{team="t-1", team_alias="vision"}', "100x5"]],
    quiet: [['litellm_remaining_team_budget_metric{team="t-1", team_alias="vision"}', "15x5"], ['litellm_team_max_budget_metric{team="t-1", team_alias="vision"}', "100x5"]],
    labels: { ...critical, team: "vision", team_id: "t-1", team_alias: "vision" },
  },
  {
    alert: "NotebookCreationFailing",
    at: "15m",
    firing: [['notebook_create_failed_total{namespace="team-vision"}', "0x10 1x10"]],
    quiet: [['notebook_create_failed_total{namespace="team-vision"}', "3x20"]],
    labels: { ...warning, namespace: "team-vision", ...VISION },
  },
  {
    alert: "NotebookGpuIdle",
    at: "35m",
    firing: [[`DCGM_FI_DEV_GPU_UTIL{${GPU}, ${POD}}`, "1x40"], ['kube_pod_labels{namespace="team-vision", pod="explore-0", label_notebook_name="explore"}', "1x40"]],
    // A busy notebook, and an idle pod that is no notebook (GpuAllocatedButIdle's business).
    quiet: [
      [`DCGM_FI_DEV_GPU_UTIL{${GPU}, ${POD}}`, "70x40"],
      ['kube_pod_labels{namespace="team-vision", pod="explore-0", label_notebook_name="explore"}', "1x40"],
      [`DCGM_FI_DEV_GPU_UTIL{Hostname="gpu-node-1", gpu="1", UUID="GPU-2", modelName="NVIDIA L4", namespace="team-vision", pod="server-0", container="server"}`, "0x40"],
      ['kube_pod_labels{namespace="team-vision", pod="server-0", label_notebook_name=""}', "1x40"],
    ],
    labels: { ...warning, namespace: "team-vision", pod: "explore-0", ...VISION },
  },
  {
    alert: "PostgresInstanceDown",
    at: "8m",
    firing: [['cnpg_collector_up{namespace="mlp-gateway", pod="gateway-db-1", cluster="gateway-db"}', "0x10"]],
    quiet: [['cnpg_collector_up{namespace="mlp-gateway", pod="gateway-db-1", cluster="gateway-db"}', "1x10"]],
    labels: { ...critical, namespace: "mlp-gateway", pod: "gateway-db-1" },
  },
  {
    alert: "PostgresReplicationLagging",
    at: "15m",
    firing: [['cnpg_pg_replication_lag{namespace="mlp-gateway", pod="gateway-db-2"}', "400x20"]],
    quiet: [['cnpg_pg_replication_lag{namespace="mlp-gateway", pod="gateway-db-2"}', "2x20"]],
    labels: { ...warning, namespace: "mlp-gateway", pod: "gateway-db-2" },
  },
  {
    alert: "PostgresWalArchivingFailing",
    at: "20m",
    // The catalog database's archive failed at 1000 s and has not succeeded since; quiet, it recovered at 1100 s.
    firing: [
      ['cnpg_pg_stat_archiver_last_failed_time{namespace="mlp-catalog", pod="catalog-db-1"}', "1000x25"],
      ['cnpg_pg_stat_archiver_last_archived_time{namespace="mlp-catalog", pod="catalog-db-1"}', "900x25"],
    ],
    quiet: [
      ['cnpg_pg_stat_archiver_last_failed_time{namespace="mlp-catalog", pod="catalog-db-1"}', "1000x25"],
      ['cnpg_pg_stat_archiver_last_archived_time{namespace="mlp-catalog", pod="catalog-db-1"}', "900x5 1100x20"],
    ],
    labels: { ...critical, namespace: "mlp-catalog", pod: "catalog-db-1" },
  },
  {
    alert: "PostgresBackupStale",
    at: "27h",
    // The newest backup was taken at the start and never again; quiet, a backup every minute.
    firing: [['barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{namespace="mlp-gateway", pod="gateway-db-1"}', "0x1700"]],
    quiet: [['barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{namespace="mlp-gateway", pod="gateway-db-1"}', "0+60x1700"]],
    labels: { ...critical, namespace: "mlp-gateway" },
  },
  {
    alert: "TrainingJobFailed",
    at: "2m",
    firing: [['kube_job_failed{namespace="team-vision", job_name="llm-node-0", condition="true"}', "1x5"], ['kube_job_owner{namespace="team-vision", job_name="llm-node-0", owner_kind="JobSet", owner_name="llm"}', "1x5"]],
    // A training Job that did not fail, and a failed Job that is no training (a CronJob's).
    quiet: [
      ['kube_job_failed{namespace="team-vision", job_name="llm-node-0", condition="true"}', "0x5"],
      ['kube_job_owner{namespace="team-vision", job_name="llm-node-0", owner_kind="JobSet", owner_name="llm"}', "1x5"],
      ['kube_job_failed{namespace="team-vision", job_name="cleanup-1", condition="true"}', "1x5"],
      ['kube_job_owner{namespace="team-vision", job_name="cleanup-1", owner_kind="CronJob", owner_name="cleanup"}', "1x5"],
    ],
    labels: { ...warning, namespace: "team-vision", job_name: "llm-node-0", ...VISION },
  },
  {
    alert: "TrainingQueueBlocked",
    at: "35m",
    firing: [['kueue_pending_workloads{cluster_queue="team-vision", status="inadmissible"}', "2x40"]],
    quiet: [['kueue_pending_workloads{cluster_queue="team-vision", status="active"}', "2x40"]],
    labels: { ...warning, cluster_queue: "team-vision", ...VISION },
  },
  {
    alert: "TrainingQueueStuck",
    at: "75m",
    // Jobs wait and none is admitted for over an hour; quietly, jobs wait but others are admitted.
    firing: [['kueue_pending_workloads{cluster_queue="team-vision", status="active"}', "3x80"], ['kueue_admitted_workloads_total{cluster_queue="team-vision"}', "12x80"]],
    quiet: [['kueue_pending_workloads{cluster_queue="team-vision", status="active"}', "3x80"], ['kueue_admitted_workloads_total{cluster_queue="team-vision"}', "12+1x80"]],
    labels: { ...warning, cluster_queue: "team-vision", ...VISION },
  },
  {
    alert: "PlatformTargetDown",
    at: "12m",
    firing: [['up{namespace="mlp-gateway", job="ai-gateway", instance="10.0.0.5:4000"}', "0x15"]],
    // Targets outside the platform's namespaces belong to their teams.
    quiet: [['up{namespace="mlp-gateway", job="ai-gateway", instance="10.0.0.5:4000"}', "1x15"], ['up{namespace="team-vision", job="churn", instance="10.0.0.9:8080"}', "0x15"]],
    labels: { ...warning, namespace: "mlp-gateway", job: "ai-gateway", instance: "10.0.0.5:4000" },
  },
  {
    alert: "CostDataMissing",
    at: "35m",
    firing: [['up{namespace="mlp-monitoring", job="opencost"}', "0x40"]],
    quiet: [['node_total_hourly_cost{node="n1", instance_type="g6.xlarge"}', "0.8x40"]],
    labels: warning,
  },
  {
    alert: "GpuSpendOverBudget",
    at: "70m",
    // 2 GPUs at 1 USD/hour: 1,460 USD a month, over the 1,000 budget; at 0.5 USD/hour, 730.
    firing: [['node_gpu_hourly_cost{node="n1", instance_type="g6.12xlarge"}', "1x90"], ['node_gpu_count{node="n1", instance_type="g6.12xlarge"}', "2x90"]],
    quiet: [['node_gpu_hourly_cost{node="n1", instance_type="g6.12xlarge"}', "0.5x90"], ['node_gpu_count{node="n1", instance_type="g6.12xlarge"}', "2x90"]],
    labels: warning,
  },
  {
    alert: "PrometheusRuleEvaluationFailing",
    at: "20m",
    firing: [['prometheus_rule_evaluation_failures_total{namespace="mlp-monitoring", pod="prometheus-0", rule_group="mlp-gpus"}', "0+1x25"]],
    quiet: [['prometheus_rule_evaluation_failures_total{namespace="mlp-monitoring", pod="prometheus-0", rule_group="mlp-gpus"}', "3x25"]],
    labels: { ...warning, namespace: "mlp-monitoring", pod: "prometheus-0", rule_group: "mlp-gpus" },
  },
  {
    alert: "PrometheusNotConnectedToAlertmanager",
    at: "15m",
    firing: [['prometheus_notifications_alertmanagers_discovered{namespace="mlp-monitoring", pod="prometheus-0"}', "0x20"]],
    quiet: [['prometheus_notifications_alertmanagers_discovered{namespace="mlp-monitoring", pod="prometheus-0"}', "1x20"]],
    labels: { ...critical, namespace: "mlp-monitoring", pod: "prometheus-0" },
  },
  {
    alert: "PrometheusConfigReloadFailed",
    at: "15m",
    firing: [['prometheus_config_last_reload_successful{namespace="mlp-monitoring", pod="prometheus-0"}', "0x20"]],
    quiet: [['prometheus_config_last_reload_successful{namespace="mlp-monitoring", pod="prometheus-0"}', "1x20"]],
    labels: { ...warning, namespace: "mlp-monitoring", pod: "prometheus-0" },
  },
  {
    alert: "AlertmanagerNotificationsFailing",
    at: "20m",
    firing: [['alertmanager_notifications_failed_total{namespace="mlp-monitoring", pod="alertmanager-0", integration="slack"}', "0+1x25"]],
    quiet: [['alertmanager_notifications_failed_total{namespace="mlp-monitoring", pod="alertmanager-0", integration="slack"}', "2x25"]],
    labels: { ...critical, namespace: "mlp-monitoring", pod: "alertmanager-0", integration: "slack" },
  },
  {
    alert: "AlertmanagerConfigReloadFailed",
    at: "15m",
    firing: [['alertmanager_config_last_reload_successful{namespace="mlp-monitoring", pod="alertmanager-0"}', "0x20"]],
    quiet: [['alertmanager_config_last_reload_successful{namespace="mlp-monitoring", pod="alertmanager-0"}', "1x20"]],
    labels: { ...critical, namespace: "mlp-monitoring", pod: "alertmanager-0" },
  },
];

/** `count by (alertname, <labels>) (ALERTS{...})` of one firing alert: what promtool compares. */
function firingQuery(alert: string, labels: readonly string[]): string {
  return `count by (${["alertname", ...labels].join(", ")}) (ALERTS{alertname="${alert}", alertstate="firing"})`;
}

function labelSet(labels: Readonly<Record<string, string>>): string {
  return `{${Object.entries(labels)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(", ")}}`;
}

/** A promtool test file: for each case, the alert fires on its firing series and stays quiet on the others. */
export function alertTestFile(ruleFile: string, cases: readonly AlertCase[]): string {
  const series = (list: readonly Series[]) => list.map(([name, values]) => ({ series: name, values }));
  return stringify(
    {
      rule_files: [ruleFile],
      evaluation_interval: "1m",
      tests: cases.flatMap((c) => [
        {
          name: `${c.alert} fires`,
          interval: "1m",
          input_series: series(c.firing),
          promql_expr_test: [{ expr: firingQuery(c.alert, Object.keys(c.labels)), eval_time: c.at, exp_samples: [{ labels: labelSet({ alertname: c.alert, ...c.labels }), value: 1 }] }],
        },
        {
          name: `${c.alert} stays quiet`,
          interval: "1m",
          input_series: series(c.quiet),
          promql_expr_test: [{ expr: firingQuery(c.alert, []), eval_time: c.at, exp_samples: [] }],
        },
      ]),
    },
    { lineWidth: 0 },
  );
}
