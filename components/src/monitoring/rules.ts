/**
 * The platform's Prometheus rules as plain data: alerting and recording rules in groups, one group per
 * capability, built from what the platform runs. The PrometheusRule objects carry them; the tests hand the
 * same groups to promtool (`check rules`, `test rules`).
 */
import { stringify } from "yaml";
import { CLOUDNATIVE_PG, DCGM, KUBE_STATE_METRICS, LITELLM, NOTEBOOK_CONTROLLER } from "./metrics.js";

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
  /** `severity` always; `team` on alerts about one team's namespace, budget or queue. */
  labels: { severity: AlertSeverity } & Record<string, string>;
  annotations: { summary: string; description: string; runbook_url: string };
}

export interface RecordingRule {
  record: string;
  expr: string;
}

export type PrometheusRuleEntry = AlertingRule | RecordingRule;

export interface PrometheusRuleGroup {
  name: string;
  /** How often the group runs, e.g. `5m`; Prometheus's global interval when unset. */
  interval?: string;
  rules: PrometheusRuleEntry[];
}

export function isAlertingRule(rule: PrometheusRuleEntry): rule is AlertingRule {
  return "alert" in rule;
}

/** The platform's runbooks, one section per alert: a path in this repository unless the stack says where they are served. */
export const DEFAULT_RUNBOOK_URL = "docs/runbooks.md";

/** The runbook section of an alert: its heading in docs/runbooks.md is the alert's name. */
export function runbookUrl(alert: string, base: string = DEFAULT_RUNBOOK_URL): string {
  return `${base}#${alert.toLowerCase()}`;
}

/**
 * An alert's expression with a `team` label taken from a label holding a team namespace or queue
 * (`team-<name>`, the tenancy convention); series outside team namespaces are left without one, so
 * Alertmanager routes them to the platform's receivers.
 */
export function withTeam(expr: string, from = "namespace"): string {
  return `label_replace(${expr}, "team", "$1", "${from}", "team-(.+)")`;
}

/** Builds alerts whose runbook links start at `base`. */
export function alertBuilder(base: string) {
  return (name: string, expr: string, severity: AlertSeverity, forDuration: string | undefined, summary: string, description: string): AlertingRule => ({
    alert: name,
    expr,
    ...(forDuration !== undefined ? { for: forDuration } : {}),
    labels: { severity },
    annotations: { summary, description, runbook_url: runbookUrl(name, base) },
  });
}

const { metrics: dcgm } = DCGM;
const { metrics: litellm } = LITELLM;
const { metrics: cnpg } = CLOUDNATIVE_PG;
const { metrics: ksm } = KUBE_STATE_METRICS;

const GPU_BY_DEVICE = "Hostname, gpu, UUID, modelName";

/** DCGM: hardware faults, heat, memory pressure, and GPUs held by pods that do not use them. */
export function gpuRules(runbooks: string): PrometheusRuleGroup {
  const alert = alertBuilder(runbooks);
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
        withTeam(`max by (${GPU_BY_DEVICE}, namespace, pod) (${dcgm.fbUsed.name} / (${dcgm.fbUsed.name} + ${dcgm.fbFree.name})) > 0.95`),
        AlertSeverity.Warning,
        "15m",
        "GPU memory of {{ $labels.namespace }}/{{ $labels.pod }} is {{ $value | humanizePercentage }} full",
        "The next allocation will fail with an out-of-memory error: lower the batch size or use a larger GPU.",
      ),
      alert(
        "GpuAllocatedButIdle",
        withTeam(`max by (namespace, pod) (${dcgm.gpuUtil.name}{pod!=""}) < 5`),
        AlertSeverity.Warning,
        "1h",
        "{{ $labels.namespace }}/{{ $labels.pod }} has held a GPU for an hour without using it",
        "An allocated GPU is paid for whether or not it computes. Stop the pod (or let notebook culling stop it) to release it.",
      ),
    ],
  };
}

/** LiteLLM: failing requests, provider outages, fallbacks spiking or failing, slow answers, team budgets at 80% and 100%. */
export function gatewayRules(runbooks: string): PrometheusRuleGroup {
  const alert = alertBuilder(runbooks);
  // LiteLLM's `team` is the team's id and `team_alias` the platform's team name: routing needs the name
  // as `team`, so the id moves to `team_id`.
  const byTeam = (expr: string) => `label_replace(label_replace(${expr}, "team_id", "$1", "team", "(.*)"), "team", "$1", "team_alias", "(.+)")`;
  // Rescued plus failed fallbacks; either counter may not exist yet (LiteLLM creates a series on first use).
  const rescued = `sum by (requested_model) (rate(${litellm.successfulFallbacks.name}[10m]))`;
  const failed = `sum by (requested_model) (rate(${litellm.failedFallbacks.name}[10m]))`;
  const fallbacks = `(${rescued} or 0 * ${failed}) + (${failed} or 0 * ${rescued})`;
  const budgetLeft = `max by (team, team_alias) (${litellm.remainingTeamBudget.name}) / max by (team, team_alias) (${litellm.teamMaxBudget.name} > 0)`;
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
        "GatewayFallbacksSpiking",
        // Fallbacks (rescued or not) per request to the model that fell back: a provider is struggling.
        `(${fallbacks}) / on (requested_model) label_replace(sum by (model) (rate(${litellm.requests.name}[10m])), "requested_model", "$1", "model", "(.*)") > 0.1`,
        AlertSeverity.Warning,
        "10m",
        "{{ $value | humanizePercentage }} of requests to {{ $labels.requested_model }} fall back to another model",
        "More than 10% of this model's requests go to its fallbacks: its provider is rate limiting, slow or failing. Clients still get answers, from a model they did not ask for, often at another price.",
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
        byTeam(`${budgetLeft} <= 0.2 > 0`),
        AlertSeverity.Warning,
        undefined,
        "Team {{ $labels.team }} has spent 80% of its gateway budget ({{ $value | humanizePercentage }} left)",
        "At 100% the gateway refuses the team's requests until the budget period resets: raise the budget (gateway.teams.<team>.monthlyBudgetUsd) or slow down.",
      ),
      alert(
        "GatewayTeamBudgetExhausted",
        byTeam(`${budgetLeft} <= 0`),
        AlertSeverity.Critical,
        undefined,
        "Team {{ $labels.team }} has spent its whole gateway budget",
        "The gateway refuses the team's LLM requests until the budget period resets or the budget is raised.",
      ),
    ],
  };
}

/** Notebooks that fail to start, and notebooks that hold a GPU without using it. */
export function notebookRules(runbooks: string): PrometheusRuleGroup {
  const alert = alertBuilder(runbooks);
  return {
    name: "mlp-notebooks",
    rules: [
      alert(
        "NotebookCreationFailing",
        withTeam(`sum by (namespace) (increase(${NOTEBOOK_CONTROLLER.metrics.createFailed.name}[15m])) > 0`),
        AlertSeverity.Warning,
        undefined,
        "Notebooks fail to start in {{ $labels.namespace }}",
        "The notebook controller could not create a notebook's StatefulSet or Service: check the team's quota and the controller's logs.",
      ),
      alert(
        "NotebookGpuIdle",
        // A notebook's pod carries `notebook-name` (kube-state-metrics exports it, allowlisted by the stack).
        withTeam(
          `max by (namespace, pod) (${dcgm.gpuUtil.name}{pod!=""}) < 5 and on (namespace, pod) max by (namespace, pod, label_notebook_name) (${ksm.podLabels.name}{label_notebook_name!=""})`,
        ),
        AlertSeverity.Warning,
        "30m",
        "Notebook pod {{ $labels.namespace }}/{{ $labels.pod }} holds a GPU it has not used for 30 minutes",
        "An idle notebook keeps its GPU from every other job. Stop the notebook when not computing; culling stops it after its idle time.",
      ),
    ],
  };
}

/** CloudNativePG (every database of the platform: the gateway's, the catalog's): instances down, replicas behind, WAL not archived, backups stale. */
export function databaseRules(backupMaxAgeHours: number, runbooks: string): PrometheusRuleGroup {
  const alert = alertBuilder(runbooks);
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
      // Point-in-time recovery is only as recent as the last archived WAL: a failure newer than the last
      // success means the archive has stopped (and WAL piles up on the instance's volume meanwhile).
      alert(
        "PostgresWalArchivingFailing",
        `max by (namespace, pod) (${cnpg.lastFailedArchiveTime.name}) > max by (namespace, pod) (${cnpg.lastArchivedTime.name})`,
        AlertSeverity.Critical,
        "15m",
        "PostgreSQL {{ $labels.namespace }}/{{ $labels.pod }} cannot archive WAL",
        "Its last attempt to archive a WAL file failed and none has succeeded since, for 15 minutes: a restore would stop at the last archived file, and unarchived WAL fills the volume.",
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

/** Every scrape target in the platform's namespaces answers. */
export function targetRules(namespaces: readonly string[], runbooks: string): PrometheusRuleGroup {
  const alert = alertBuilder(runbooks);
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

/** A Prometheus rule file (`groups:`), as `promtool check rules` and Prometheus itself read it. */
export function ruleFileYaml(groups: readonly PrometheusRuleGroup[]): string {
  return stringify({ groups }, { lineWidth: 0 });
}
