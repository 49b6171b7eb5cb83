/**
 * DORA for the platform itself. Every `pulumi up` of a stack is recorded as a DeploymentRecord in the
 * monitoring namespace (commit, environment, result, when the commit was merged and when the deployment
 * ended); kube-state-metrics turns each record into gauges (its custom resource state metrics), and the
 * recording rules here compute the four keys per environment from them: deployment frequency, lead time
 * from merge to deploy, change failure rate and time to restore.
 *
 * Records are objects rather than pushed samples so the history survives Prometheus restarts and is
 * readable with kubectl; the recorder (scripts/record-deployment) keeps them for RECORD_RETENTION_DAYS,
 * longer than the window here.
 */
import type { ICustomResourceDefinition } from "kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition";
import { platformLabels } from "../common/kubernetes.js";
import { DEPLOYMENT_RECORDS } from "./metrics.js";
import type { PrometheusRuleGroup } from "./rules.js";

/** The DeploymentRecord API: what the deploy pipeline writes and kube-state-metrics reads. */
export const DEPLOYMENT_RECORD = {
  group: "delivery.mlops-platform.io",
  version: "v1alpha1",
  kind: "DeploymentRecord",
  plural: "deploymentrecords",
  singular: "deploymentrecord",
} as const;

/** The label a record's environment is also written to, so the recorder lists one environment's records to prune them. */
export const DEPLOYMENT_ENVIRONMENT_LABEL = "mlops-platform.io/environment";

/** Days the recorder keeps records: longer than the 30-day windows of the keys, so each window is complete. */
export const RECORD_RETENTION_DAYS = 90;

/** The window the four keys are computed over. */
export const DORA_WINDOW_DAYS = 30;

/** How a deployment ended. */
export enum DeploymentResult {
  /** `pulumi up` finished and every resource reached its desired state. */
  Succeeded = "succeeded",
  /** `pulumi up` failed: a change failure, until a later deployment of the environment succeeds. */
  Failed = "failed",
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const COMMIT = /^[0-9a-f]{7,40}$/;

/** The DeploymentRecord CRD: records are facts, so their spec cannot change once written. */
export function deploymentRecordCrd(): ICustomResourceDefinition {
  const time = { type: "string", format: "date-time" };
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${DEPLOYMENT_RECORD.plural}.${DEPLOYMENT_RECORD.group}`, labels: platformLabels("monitoring") },
    spec: {
      group: DEPLOYMENT_RECORD.group,
      scope: "Namespaced",
      names: { kind: DEPLOYMENT_RECORD.kind, listKind: `${DEPLOYMENT_RECORD.kind}List`, plural: DEPLOYMENT_RECORD.plural, singular: DEPLOYMENT_RECORD.singular },
      versions: [
        {
          name: DEPLOYMENT_RECORD.version,
          served: true,
          storage: true,
          additionalPrinterColumns: [
            { name: "Environment", type: "string", jsonPath: ".spec.environment" },
            { name: "Commit", type: "string", jsonPath: ".spec.commit" },
            { name: "Result", type: "string", jsonPath: ".spec.result" },
            { name: "Deployed", type: "date", jsonPath: ".spec.deployedAt" },
          ],
          schema: {
            openAPIV3Schema: {
              type: "object",
              description: "One deployment of the platform to one environment, written by the deploy pipeline.",
              required: ["spec"],
              properties: {
                apiVersion: { type: "string" },
                kind: { type: "string" },
                metadata: { type: "object" },
                spec: {
                  type: "object",
                  required: ["environment", "commit", "result", "mergedAt", "deployedAt"],
                  "x-kubernetes-validations": [{ rule: "self == oldSelf", message: "a deployment record is a fact: write a new record instead of changing one" }],
                  properties: {
                    environment: { type: "string", maxLength: 63, pattern: DNS_LABEL.source, description: "The environment deployed." },
                    commit: { type: "string", pattern: COMMIT.source, description: "The commit deployed." },
                    result: { type: "string", enum: Object.values(DeploymentResult), description: "How `pulumi up` ended." },
                    mergedAt: { ...time, description: "When the commit was merged to the deployed branch." },
                    deployedAt: { ...time, description: "When the deployment ended." },
                    runUrl: { type: "string", maxLength: 2048, pattern: "^https?://", description: "The CI run that deployed it." },
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
}

/**
 * kube-state-metrics' custom resource state configuration for the records: per record, the catalog's
 * `mlp_deployment_*_timestamp_seconds` gauges (RFC 3339 times become Unix seconds), labelled with the
 * environment, commit, result and the record's name.
 */
export function deploymentRecordStateMetrics(): Record<string, unknown> {
  const { deployed, merged } = DEPLOYMENT_RECORDS.metrics;
  const suffix = (name: string) => name.slice(`${DEPLOYMENT_METRIC_PREFIX}_`.length);
  return {
    kind: "CustomResourceStateMetrics",
    spec: {
      resources: [
        {
          groupVersionKind: { group: DEPLOYMENT_RECORD.group, version: DEPLOYMENT_RECORD.version, kind: DEPLOYMENT_RECORD.kind },
          metricNamePrefix: DEPLOYMENT_METRIC_PREFIX,
          labelsFromPath: { name: ["metadata", "name"], environment: ["spec", "environment"], commit: ["spec", "commit"], result: ["spec", "result"] },
          metrics: [
            { name: suffix(deployed.name), help: deployed.help, each: { type: "Gauge", gauge: { path: ["spec", "deployedAt"] } } },
            { name: suffix(merged.name), help: merged.help, each: { type: "Gauge", gauge: { path: ["spec", "mergedAt"] } } },
          ],
        },
      ],
    },
  };
}

/** kube-state-metrics names the records' metrics `<prefix>_<metric>`. */
const DEPLOYMENT_METRIC_PREFIX = "mlp_deployment";

/** What kube-state-metrics must be allowed to list and watch to export the records. */
export const DEPLOYMENT_RECORD_READER_RULES = [
  { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["list", "watch"] },
  { apiGroups: [DEPLOYMENT_RECORD.group], resources: [DEPLOYMENT_RECORD.plural], verbs: ["list", "watch"] },
] as const;

/** The four keys per environment (label `environment`), recorded over the last DORA_WINDOW_DAYS days (the names say so). */
export const DORA_SERIES = {
  /** Deployments in the window, per environment and result. */
  deployments: `mlp:dora_deployments:count_${DORA_WINDOW_DAYS}d`,
  /** Successful deployments per day. */
  deploymentFrequency: `mlp:dora_deployment_frequency:per_day_${DORA_WINDOW_DAYS}d`,
  /** Median seconds from merge to a successful deployment. */
  leadTime: `mlp:dora_lead_time_seconds:median_${DORA_WINDOW_DAYS}d`,
  /** Share of deployments that failed. */
  changeFailureRate: `mlp:dora_change_failure_rate:ratio_${DORA_WINDOW_DAYS}d`,
  /**
   * Per recovery: seconds from the first failed deployment of a run of failures to the successful one
   * after it, labelled with the successful record; one series per recovery, kept by Prometheus's history.
   */
  restore: "mlp:dora_restore_seconds",
  /** Median time to restore of the recoveries in the window. */
  timeToRestore: `mlp:dora_time_to_restore_seconds:median_${DORA_WINDOW_DAYS}d`,
  /** While the newest deployments of an environment failed: when the first of them ended. */
  failingSince: "mlp:dora_failing_since_timestamp_seconds",
} as const;

/** How often the keys are recomputed: they move with deployments, minutes apart at the least. */
const DELIVERY_RULES_INTERVAL = "5m";

/** The recording rules of the four keys. */
export function deliveryRules(): PrometheusRuleGroup {
  const deployed = DEPLOYMENT_RECORDS.metrics.deployed.name;
  const merged = DEPLOYMENT_RECORDS.metrics.merged.name;
  const windowSeconds = DORA_WINDOW_DAYS * 86400;
  const inWindow = (selector: string) => `(${deployed}${selector} > time() - ${windowSeconds})`;
  const succeeded = `${deployed}{result="${DeploymentResult.Succeeded}"}`;
  const failed = `${deployed}{result="${DeploymentResult.Failed}"}`;
  // Per environment: the newest success, and the one before it; a failure between them started the run
  // of failures the newest success ended.
  const lastSuccess = `max by (environment) (${succeeded})`;
  const previousSuccess = `max by (environment) (${succeeded} < on (environment) group_left () ${lastSuccess})`;
  const failuresBeforeLastSuccess = `(${failed} < on (environment) group_left () ${lastSuccess}) > on (environment) group_left () (${previousSuccess} or ${lastSuccess} * 0)`;
  // Environments with no failure in the window count 0 of them, not nothing.
  const zeroPerEnvironment = `count by (environment) ${inWindow("")} * 0`;
  return {
    name: "mlp-delivery",
    interval: DELIVERY_RULES_INTERVAL,
    rules: [
      { record: DORA_SERIES.deployments, expr: `count by (environment, result) ${inWindow("")}` },
      {
        record: DORA_SERIES.deploymentFrequency,
        expr: `(count by (environment) ${inWindow(`{result="${DeploymentResult.Succeeded}"}`)} or ${zeroPerEnvironment}) / ${DORA_WINDOW_DAYS}`,
      },
      // Both gauges of a record carry the same labels: one minus the other is that deployment's lead time.
      { record: DORA_SERIES.leadTime, expr: `quantile by (environment) (0.5, ${inWindow(`{result="${DeploymentResult.Succeeded}"}`)} - ${merged})` },
      {
        record: DORA_SERIES.changeFailureRate,
        expr: `(count by (environment) ${inWindow(`{result="${DeploymentResult.Failed}"}`)} or ${zeroPerEnvironment}) / count by (environment) ${inWindow("")}`,
      },
      {
        record: DORA_SERIES.restore,
        expr: `(${succeeded} == on (environment) group_left () ${lastSuccess}) - on (environment) group_left () min by (environment) (${failuresBeforeLastSuccess})`,
      },
      // Each recovery is its own series (the successful record's labels): its last value is its duration.
      // Only recoveries whose successful deployment is in the window count.
      {
        record: DORA_SERIES.timeToRestore,
        expr: `quantile by (environment) (0.5, last_over_time(${DORA_SERIES.restore}[${DORA_WINDOW_DAYS}d]) and on (environment, name) ${inWindow("")})`,
      },
      {
        record: DORA_SERIES.failingSince,
        expr: `min by (environment) ((${failed} > on (environment) group_left () ${lastSuccess}) or (${failed} unless on (environment) ${lastSuccess}))`,
      },
    ],
  };
}
