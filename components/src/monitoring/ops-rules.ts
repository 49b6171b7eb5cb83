/**
 * Rules for training jobs (kube-state-metrics' Job metrics and Kueue's queues) and for the monitoring
 * stack's own health (Prometheus and Alertmanager), beside the other capabilities' groups in rules.ts.
 */
import { KUBE_STATE_METRICS, KUEUE, PROMETHEUS_SELF } from "./metrics.js";
import { alertBuilder, AlertSeverity, withTeam, type PrometheusRuleGroup } from "./rules.js";

const { metrics: ksm } = KUBE_STATE_METRICS;
const { metrics: self } = PROMETHEUS_SELF;

/** Training jobs that failed (kube-state-metrics), and, with Kueue, jobs stuck in a team's queue. */
export function trainingRules(input: { kueue: boolean; runbooks: string }): PrometheusRuleGroup {
  const alert = alertBuilder(input.runbooks);
  const queue = (expr: string) => withTeam(expr, "cluster_queue");
  const pending = KUEUE.metrics.pendingWorkloads.name;
  return {
    name: "mlp-training",
    rules: [
      alert(
        "TrainingJobFailed",
        // A TrainJob runs as a JobSet of Jobs: a failed Job of a JobSet in a team namespace is a failed training run.
        withTeam(
          `max by (namespace, job_name) (${ksm.jobFailed.name}{condition="true", namespace=~"team-.+"}) == 1 and on (namespace, job_name) max by (namespace, job_name) (${ksm.jobOwner.name}{owner_kind="JobSet"})`,
        ),
        AlertSeverity.Warning,
        undefined,
        "Training job {{ $labels.namespace }}/{{ $labels.job_name }} failed",
        "The Job exhausted its retries (backoffLimit) or its deadline. Its pods' logs say why; the TrainJob's status names the failed replicated job.",
      ),
      ...(input.kueue
        ? [
            alert(
              "TrainingQueueBlocked",
              queue(`sum by (cluster_queue) (${pending}{status="inadmissible"}) > 0`),
              AlertSeverity.Warning,
              "30m",
              "{{ $value }} training jobs cannot be admitted to queue {{ $labels.cluster_queue }}",
              "Inadmissible workloads ask for more than their queue could ever give them (a GPU type no pool has, more than the cohort's quota).",
            ),
            alert(
              "TrainingQueueStuck",
              queue(
                `sum by (cluster_queue) (${pending}{status="active"}) > 0 unless on (cluster_queue) sum by (cluster_queue) (increase(${KUEUE.metrics.admittedWorkloads.name}[1h])) > 0`,
              ),
              AlertSeverity.Warning,
              "1h",
              "{{ $value }} training jobs have waited in queue {{ $labels.cluster_queue }} for over an hour with none admitted",
              "The queue's quota (and what the cohort can lend) is in use, or the GPU pool cannot scale up. Check what holds the quota and whether GPU nodes are being provisioned.",
            ),
          ]
        : []),
    ],
  };
}

/** Prometheus and Alertmanager themselves: an alert nobody receives is no alert. */
export function monitoringHealthRules(runbooks: string): PrometheusRuleGroup {
  const alert = alertBuilder(runbooks);
  return {
    name: "mlp-monitoring",
    rules: [
      alert(
        "PrometheusRuleEvaluationFailing",
        `sum by (namespace, pod, rule_group) (increase(${self.ruleEvaluationFailures.name}[10m])) > 0`,
        AlertSeverity.Warning,
        "15m",
        "Prometheus {{ $labels.pod }} fails to evaluate rule group {{ $labels.rule_group }}",
        "Recording rules that fail leave gaps in dashboards; alerting rules that fail cannot fire.",
      ),
      alert(
        "PrometheusNotConnectedToAlertmanager",
        `max by (namespace, pod) (${self.alertmanagersDiscovered.name}) < 1`,
        AlertSeverity.Critical,
        "10m",
        "Prometheus {{ $labels.pod }} has no Alertmanager to send alerts to",
        "Alerts fire in Prometheus but reach nobody.",
      ),
      alert(
        "PrometheusConfigReloadFailed",
        `max by (namespace, pod) (${self.configReloadSuccessful.name}) == 0`,
        AlertSeverity.Warning,
        "10m",
        "Prometheus {{ $labels.pod }} could not load its new configuration",
        "It keeps running on the previous configuration: new monitors and scrape settings are not applied.",
      ),
      alert(
        "AlertmanagerNotificationsFailing",
        `sum by (namespace, pod, integration) (rate(${self.alertmanagerNotificationsFailed.name}[10m])) > 0`,
        AlertSeverity.Critical,
        "10m",
        "Alertmanager {{ $labels.pod }} fails to deliver notifications to {{ $labels.integration }}",
        "A receiver (Slack, PagerDuty, a webhook) refuses or cannot be reached: its alerts are lost until it works again.",
      ),
      alert(
        "AlertmanagerConfigReloadFailed",
        `max by (namespace, pod) (${self.alertmanagerConfigReloadSuccessful.name}) == 0`,
        AlertSeverity.Critical,
        "10m",
        "Alertmanager {{ $labels.pod }} could not load its configuration",
        "It keeps routing with the previous configuration: changed receivers and routes are not applied.",
      ),
    ],
  };
}

