/**
 * The platform's Prometheus rules as plain data: alerting and recording rules in groups, one group per
 * capability, built from what the platform runs. The PrometheusRule objects carry them; the tests hand the
 * same groups to promtool (`check rules`, `test rules`).
 */
import { stringify } from "yaml";
import { CLOUDNATIVE_PG, DCGM, KUEUE, LITELLM, NOTEBOOK_CONTROLLER } from "./metrics.js";

/** How urgent an alert is; Alertmanager routes on it. */
export enum AlertSeverity {
  /** Someone must act now: a service is down or data is at risk. */
  Critical = "critical",
  /** Someone should look today: degraded, wasteful or drifting. */
  Warning = "warning",
}

export interface AlertingRule {
  alert: string;
  expr: string;
  /** How long the condition must hold before the alert fires, e.g. `10m`. */
  for?: string;
  labels: { severity: AlertSeverity } & Record<string, string>;
  annotations: { summary: string; description: string };
}

export interface RecordingRule {
  record: string;
  expr: string;
}

export type PrometheusRuleEntry = AlertingRule | RecordingRule;

export interface PrometheusRuleGroup {
  name: string;
  rules: PrometheusRuleEntry[];
}

export function isAlertingRule(rule: PrometheusRuleEntry): rule is AlertingRule {
  return "alert" in rule;
}

const alert = (name: string, expr: string, severity: AlertSeverity, forDuration: string | undefined, summary: string, description: string): AlertingRule => ({
  alert: name,
  expr,
  ...(forDuration !== undefined ? { for: forDuration } : {}),
  labels: { severity },
  annotations: { summary, description },
});

/** What the rules watch: the capabilities that run, and the namespaces of the platform's own services. */
export interface CapabilityRulesInput {
  gpus: boolean;
  gateway: boolean;
  notebooks: boolean;
  /** PostgreSQL clusters (CloudNativePG). */
  databases: boolean;
  /** Kueue queues (fair GPU sharing). */
  kueue: boolean;
  /** Namespaces whose scrape targets must be up. */
  platformNamespaces: readonly string[];
  /** Age at which the newest base backup is stale; the platform's backups run daily. */
  backupMaxAgeHours: number;
}

const { metrics: dcgm } = DCGM;
const { metrics: litellm } = LITELLM;
const { metrics: cnpg } = CLOUDNATIVE_PG;

const GPU_BY_DEVICE = "Hostname, gpu, UUID, modelName";

/** DCGM: hardware faults, heat, memory pressure, and GPUs held by pods that do not use them. */
export function gpuRules(): PrometheusRuleGroup {
  return {
    name: "mlp-gpus",
    rules: [
      alert(
        "GpuXidError",
        `max by (${GPU_BY_DEVICE}) (${dcgm.xidErrors.name}) > 0`,
        AlertSeverity.Warning,
        undefined,
        "GPU {{ $labels.gpu }} on {{ $labels.Hostname }} reported XID error {{ $value }}",
        "An XID error is the driver reporting a GPU fault (e.g. 48: double-bit ECC, 79: fallen off the bus). Drain the node if it repeats.",
      ),
      alert(
        "GpuTooHot",
        `max by (${GPU_BY_DEVICE}) (${dcgm.gpuTemp.name}) > 85`,
        AlertSeverity.Warning,
        "10m",
        "GPU {{ $labels.gpu }} on {{ $labels.Hostname }} is at {{ $value }}°C",
        "Above 85°C data-centre GPUs throttle their clocks; check the node's cooling or move the work.",
      ),
      alert(
        "GpuMemoryNearlyFull",
        `max by (${GPU_BY_DEVICE}, namespace, pod) (${dcgm.fbUsed.name} / (${dcgm.fbUsed.name} + ${dcgm.fbFree.name})) > 0.95`,
        AlertSeverity.Warning,
        "15m",
        "GPU memory of {{ $labels.namespace }}/{{ $labels.pod }} is {{ $value | humanizePercentage }} full",
        "The next allocation will fail with an out-of-memory error: lower the batch size or use a larger GPU.",
      ),
      alert(
        "GpuAllocatedButIdle",
        `max by (namespace, pod) (${dcgm.gpuUtil.name}{pod!=""}) < 5`,
        AlertSeverity.Warning,
        "1h",
        "{{ $labels.namespace }}/{{ $labels.pod }} has held a GPU for an hour without using it",
        "An allocated GPU is paid for whether or not it computes. Stop the pod (or let notebook culling stop it) to release it.",
      ),
    ],
  };
}

/** LiteLLM: failing requests, provider outages, failing fallbacks, slow answers, budgets running out. */
export function gatewayRules(): PrometheusRuleGroup {
  return {
    name: "mlp-gateway",
    rules: [
      alert(
        "GatewayErrorRateHigh",
        `sum(rate(${litellm.proxyFailedRequests.name}[5m])) / sum(rate(${litellm.proxyTotalRequests.name}[5m])) > 0.05`,
        AlertSeverity.Warning,
        "10m",
        "The AI gateway fails {{ $value | humanizePercentage }} of requests",
        "More than 5% of requests to the gateway fail: check the gateway's logs and the providers' status.",
      ),
      alert(
        "GatewayModelOutage",
        `max by (litellm_model_name, api_provider) (${litellm.deploymentState.name}) == 2`,
        AlertSeverity.Critical,
        "5m",
        "Model {{ $labels.litellm_model_name }} ({{ $labels.api_provider }}) is down",
        "Every call to this deployment fails; requests go to its fallbacks, if it has any.",
      ),
      alert(
        "GatewayModelDegraded",
        `max by (litellm_model_name, api_provider) (${litellm.deploymentState.name}) == 1`,
        AlertSeverity.Warning,
        "15m",
        "Model {{ $labels.litellm_model_name }} ({{ $labels.api_provider }}) is partly failing",
        "Some calls to this deployment fail (rate limits, timeouts or provider errors).",
      ),
      alert(
        "GatewayFallbacksFailing",
        `sum by (requested_model) (rate(${litellm.failedFallbacks.name}[10m])) > 0`,
        AlertSeverity.Warning,
        "10m",
        "Fallbacks of {{ $labels.requested_model }} fail too",
        "Requests whose model failed also failed on its fallback: clients get errors.",
      ),
      alert(
        "GatewayLatencyHigh",
        `histogram_quantile(0.95, sum by (le) (rate(${litellm.totalLatency.name}_bucket[5m]))) > 30`,
        AlertSeverity.Warning,
        "15m",
        "95% of gateway requests take up to {{ $value | humanizeDuration }}",
        "The slowest 5% of requests take more than 30 s end to end.",
      ),
      alert(
        "GatewayTeamBudgetNearlySpent",
        `max by (team, team_alias) (${litellm.remainingTeamBudget.name}) / max by (team, team_alias) (${litellm.teamMaxBudget.name} > 0) < 0.1`,
        AlertSeverity.Warning,
        undefined,
        "Team {{ $labels.team_alias }} has {{ $value | humanizePercentage }} of its gateway budget left",
        "Once the budget is spent the gateway refuses the team's requests until the budget period resets.",
      ),
    ],
  };
}

export function notebookRules(): PrometheusRuleGroup {
  return {
    name: "mlp-notebooks",
    rules: [
      alert(
        "NotebookCreationFailing",
        `sum by (namespace) (increase(${NOTEBOOK_CONTROLLER.metrics.createFailed.name}[15m])) > 0`,
        AlertSeverity.Warning,
        undefined,
        "Notebooks fail to start in {{ $labels.namespace }}",
        "The notebook controller could not create a notebook's StatefulSet or Service: check the team's quota and the controller's logs.",
      ),
    ],
  };
}

/** CloudNativePG: instances down, replicas behind, backups stale. */
export function databaseRules(backupMaxAgeHours: number): PrometheusRuleGroup {
  return {
    name: "mlp-databases",
    rules: [
      alert(
        "PostgresInstanceDown",
        `max by (namespace, pod) (${cnpg.collectorUp.name}) == 0`,
        AlertSeverity.Critical,
        "5m",
        "PostgreSQL instance {{ $labels.namespace }}/{{ $labels.pod }} is down",
        "The instance manager cannot reach its PostgreSQL.",
      ),
      alert(
        "PostgresReplicationLagging",
        `max by (namespace, pod) (${cnpg.replicationLag.name}) > 300`,
        AlertSeverity.Warning,
        "10m",
        "Replica {{ $labels.namespace }}/{{ $labels.pod }} is {{ $value | humanizeDuration }} behind",
        "A failover to this replica would lose the writes it has not replayed.",
      ),
      alert(
        "PostgresBackupStale",
        `time() - max by (namespace) (${cnpg.lastBackup.name}) > ${backupMaxAgeHours * 3600}`,
        AlertSeverity.Critical,
        undefined,
        "The newest base backup in {{ $labels.namespace }} is {{ $value | humanizeDuration }} old",
        `Base backups run daily; none has completed for more than ${backupMaxAgeHours} hours. Check the ScheduledBackup and the object store's credentials.`,
      ),
    ],
  };
}

export function kueueRules(): PrometheusRuleGroup {
  return {
    name: "mlp-training",
    rules: [
      alert(
        "TrainingQueueBlocked",
        `sum by (cluster_queue) (${KUEUE.metrics.pendingWorkloads.name}{status="inadmissible"}) > 0`,
        AlertSeverity.Warning,
        "30m",
        "{{ $value }} training jobs cannot be admitted to queue {{ $labels.cluster_queue }}",
        "Inadmissible workloads ask for more than their queue could ever give them (a GPU type no pool has, more than the cohort's quota).",
      ),
    ],
  };
}

/** Every scrape target in the platform's namespaces answers. */
export function targetRules(namespaces: readonly string[]): PrometheusRuleGroup {
  return {
    name: "mlp-targets",
    rules: [
      alert(
        "PlatformTargetDown",
        `up{namespace=~"${namespaces.join("|")}"} == 0`,
        AlertSeverity.Warning,
        "10m",
        "{{ $labels.job }} in {{ $labels.namespace }} cannot be scraped",
        "Prometheus gets no metrics from this target: the pod is down or a NetworkPolicy blocks the scrape.",
      ),
    ],
  };
}

/** The groups for the capabilities that run. */
export function capabilityRuleGroups(input: CapabilityRulesInput): PrometheusRuleGroup[] {
  return [
    ...(input.platformNamespaces.length > 0 ? [targetRules(input.platformNamespaces)] : []),
    ...(input.gpus ? [gpuRules()] : []),
    ...(input.gateway ? [gatewayRules()] : []),
    ...(input.notebooks ? [notebookRules()] : []),
    ...(input.databases ? [databaseRules(input.backupMaxAgeHours)] : []),
    ...(input.kueue ? [kueueRules()] : []),
  ];
}

/** A Prometheus rule file (`groups:`), as `promtool check rules` and Prometheus itself read it. */
export function ruleFileYaml(groups: readonly PrometheusRuleGroup[]): string {
  return stringify({ groups }, { lineWidth: 0 });
}
