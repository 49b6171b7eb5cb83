/**
 * Monitoring (`mlops-platform:monitoring`): Prometheus, Alertmanager and Grafana with the platform's rules
 * and dashboards, OpenCost, and the models to monitor (a ModelMonitor each). Retention and storage follow
 * the environment; Grafana's password and the alert receivers' URLs and keys are secret config: the
 * platform's under fixed keys, each team's under keys its `teamReceivers` entry names.
 */
import { AlertReceiverKind, AlertSeverity, ClusterOperator, type AlertReceiverArgs, type MlPlatformMonitoringArgs, type QualityDirection } from "@mlops-platform/components";
import { z } from "zod";
import type { PlatformConfig } from "../config.js";
import type { Capability, PlatformSecrets } from "./capability.js";
import { checkedString, flag } from "./fields.js";
import { SECRET_KEY_NAME } from "./gateway.js";

const secretKeyName = () => z.string().regex(SECRET_KEY_NAME, { error: "expected the name of a secret config key, such as visionSlackWebhookUrl" });

/** A model to monitor; values are ModelMonitor's to check. */
const modelSchema = z.strictObject({
  name: z.string(),
  /** The team whose namespace the model runs in. */
  team: z.string(),
  podSelector: z.record(z.string(), z.string()),
  features: z.array(z.strictObject({ name: z.string(), buckets: z.array(z.number()) })).default([]),
  predictionBuckets: z.array(z.number()),
  quality: z
    .array(z.strictObject({ name: z.string(), direction: checkedString<QualityDirection>().optional(), baseline: z.number().optional(), maxDrop: z.number().optional() }))
    .optional(),
  metricsPort: z.string().optional(),
  recentWindowMinutes: z.number().optional(),
  referenceWindow: z.strictObject({ durationHours: z.number().optional(), offsetHours: z.number().optional() }).optional(),
  thresholds: z
    .strictObject({
      featurePsi: z.number().optional(),
      predictionPsi: z.number().optional(),
      forMinutes: z.number().optional(),
      errorRatio: z.number().optional(),
      schemaViolationRatio: z.number().optional(),
    })
    .optional(),
});

/** A team's receivers: each names the secret config key holding its URL or key. */
const teamReceiverSchema = z.strictObject({
  slackWebhookUrl: secretKeyName().optional(),
  pagerDutyRoutingKey: secretKeyName().optional(),
  webhookUrl: secretKeyName().optional(),
});

// Ranges, chart versions, URLs and thresholds are MonitoringStack's to check.
const monitoringSection = z
  .strictObject({
    enabled: flag().default(true),
    /** Days Prometheus keeps metrics. */
    retentionDays: z.number(),
    /** Prometheus's volume. */
    storageGiB: z.number(),
    storageClass: z.string().optional(),
    /** Exact kube-prometheus-stack chart version. */
    version: z.string().optional(),
    opencost: z
      .strictObject({
        /** Unset: exactly when the platform installs Prometheus, or prometheusUrl names the cluster's. */
        enabled: flag().optional(),
        /** The cluster's own Prometheus, when the Prometheus Operator is preinstalled. */
        prometheusUrl: z.string().optional(),
        version: z.string().optional(),
      })
      .prefault({}),
    /** Where the runbooks are served (every alert links to its section). */
    runbookUrl: z.string().optional(),
    /** Models to monitor, each in its team's namespace. */
    models: z.array(modelSchema).default([]),
    /** Per team: the secret keys of its own receivers (it then gets its alerts there, not on the platform's). */
    teamReceivers: z.record(z.string(), teamReceiverSchema).default({}),
  })
  // The preset always sets retention and storage; the fallback only applies when the environment itself is invalid.
  .prefault({ retentionDays: 15, storageGiB: 50 });

/** Secret config keys of the platform's alert receivers, each with the receiver it becomes. */
const RECEIVERS = [
  { key: "monitoringSlackWebhookUrl", name: "slack", kind: AlertReceiverKind.Slack, minSeverity: AlertSeverity.Warning },
  { key: "monitoringPagerDutyRoutingKey", name: "pagerduty", kind: AlertReceiverKind.PagerDuty, minSeverity: AlertSeverity.Critical },
  { key: "monitoringCriticalWebhookUrl", name: "critical-webhook", kind: AlertReceiverKind.Webhook, minSeverity: AlertSeverity.Critical },
] as const;

/** A team's receiver keys, each with the receiver kind and the severities it gets. */
const TEAM_RECEIVERS = [
  { field: "slackWebhookUrl", kind: AlertReceiverKind.Slack, minSeverity: AlertSeverity.Warning, what: "a Slack incoming-webhook URL" },
  { field: "pagerDutyRoutingKey", kind: AlertReceiverKind.PagerDuty, minSeverity: AlertSeverity.Critical, what: "a PagerDuty Events API v2 integration key" },
  { field: "webhookUrl", kind: AlertReceiverKind.Webhook, minSeverity: AlertSeverity.Warning, what: "a webhook URL taking Alertmanager's payload" },
] as const;

/**
 * Names of the secret config keys the teams' receivers read, each with what it holds (from the raw stack
 * values, before validation: the keys must be set as secrets whatever else is wrong).
 */
export function referencedReceiverKeys(raw: Record<string, unknown>): Map<string, string> {
  const section = raw["monitoring"];
  const teamReceivers = section && typeof section === "object" ? (section as Record<string, unknown>)["teamReceivers"] : undefined;
  const keys = new Map<string, string>();
  if (teamReceivers && typeof teamReceivers === "object") {
    for (const [team, entry] of Object.entries(teamReceivers)) {
      for (const receiver of TEAM_RECEIVERS) {
        const key = entry && typeof entry === "object" ? (entry as Record<string, unknown>)[receiver.field] : undefined;
        if (typeof key === "string" && SECRET_KEY_NAME.test(key)) keys.set(key, `${receiver.what} for team ${team}'s alerts: pulumi config set --secret ${key} <value>`);
      }
    }
  }
  return keys;
}

export const monitoring: Capability<"monitoring", typeof monitoringSection> = {
  key: "monitoring",
  section: monitoringSection,
  secrets: {
    monitoringGrafanaAdminPassword: "Grafana's admin password (generated when unset): pulumi config set --secret monitoringGrafanaAdminPassword <password>",
    monitoringSlackWebhookUrl: "a Slack incoming-webhook URL that gets warnings and critical alerts: pulumi config set --secret monitoringSlackWebhookUrl https://hooks.slack.com/services/...",
    monitoringPagerDutyRoutingKey: "a PagerDuty Events API v2 integration key that gets critical alerts: pulumi config set --secret monitoringPagerDutyRoutingKey <key>",
    monitoringCriticalWebhookUrl:
      "a webhook URL (an on-call tool taking Alertmanager's payload) that gets critical alerts: pulumi config set --secret monitoringCriticalWebhookUrl https://...",
  },
  presets: {
    local: { retentionDays: 1, storageGiB: 5 },
    dev: { retentionDays: 7, storageGiB: 20 },
    staging: { retentionDays: 15, storageGiB: 50 },
    prod: { retentionDays: 30, storageGiB: 200 },
  },
  argPaths: [
    [/^monitoring\.storageClassName$/, "monitoring.storageClass"],
    [/^monitoring\.opencostVersion$/, "monitoring.opencost.version"],
    [/^monitoring\.prometheusUrl$/, "monitoring.opencost.prometheusUrl"],
    [/^monitoring\.replicas$/, "availability.replicas"],
    [/^monitoring\.gpuMonthlyBudgetUsd$/, "gpu.monthlyBudgetUsd"],
  ],
  check(config, report) {
    const teams = new Set(config.teams.map((team) => team.name));
    for (const team of Object.keys(config.monitoring.teamReceivers)) {
      if (!teams.has(team)) report(["monitoring", "teamReceivers", team], `name a team of teams: ${[...teams].join(", ") || "(none)"}`);
    }
  },
};

/** The monitoring section of MlPlatform's args; undefined when monitoring is off. */
export function monitoringArgs(config: PlatformConfig, secrets: PlatformSecrets): MlPlatformMonitoringArgs | undefined {
  const section = config.monitoring;
  if (!section.enabled) return undefined;
  // Receivers configure the Alertmanager the platform installs; a cluster running its own Prometheus
  // Operator routes alerts with its own Alertmanager, so the keys do nothing there.
  const ownAlertmanager = !config.cluster.preinstalledOperators.includes(ClusterOperator.PrometheusOperator);
  const credential = (kind: AlertReceiverKind, value: PlatformSecrets[string]) => (kind === AlertReceiverKind.PagerDuty ? { routingKey: value } : { url: value });
  const platformReceivers: AlertReceiverArgs[] = RECEIVERS.flatMap((receiver) =>
    secrets[receiver.key] !== undefined ? [{ name: receiver.name, kind: receiver.kind, ...credential(receiver.kind, secrets[receiver.key]!), minSeverity: receiver.minSeverity }] : [],
  );
  // Receivers of a team the stack does not have are reported by the section's check, not passed on.
  const teams = new Set(config.teams.map((team) => team.name));
  const teamReceivers: AlertReceiverArgs[] = Object.entries(section.teamReceivers).flatMap(([team, entry]) =>
    !teams.has(team)
      ? []
      : TEAM_RECEIVERS.flatMap((receiver) => {
          const key = entry[receiver.field];
          const value = key !== undefined ? secrets[key] : undefined;
          return value !== undefined ? [{ name: `team-${team}-${receiver.kind}`, kind: receiver.kind, ...credential(receiver.kind, value), team, minSeverity: receiver.minSeverity }] : [];
        }),
  );
  const receivers = ownAlertmanager ? [...platformReceivers, ...teamReceivers] : [];
  const models = section.models.map((model) => definedOnly({ ...model, quality: model.quality?.map(definedOnly), referenceWindow: model.referenceWindow && definedOnly(model.referenceWindow), thresholds: model.thresholds && definedOnly(model.thresholds) }));
  return {
    retentionDays: section.retentionDays,
    storageGiB: section.storageGiB,
    replicas: config.availability.replicas,
    gpuMonthlyBudgetUsd: config.gpu.monthlyBudgetUsd,
    ...(section.storageClass !== undefined ? { storageClassName: section.storageClass } : {}),
    ...(section.version !== undefined ? { version: section.version } : {}),
    ...(section.opencost.enabled !== undefined ? { opencost: section.opencost.enabled } : {}),
    ...(section.opencost.prometheusUrl !== undefined ? { prometheusUrl: section.opencost.prometheusUrl } : {}),
    ...(section.opencost.version !== undefined ? { opencostVersion: section.opencost.version } : {}),
    ...(section.runbookUrl !== undefined ? { runbookUrl: section.runbookUrl } : {}),
    ...(models.length > 0 ? { models: models as NonNullable<MlPlatformMonitoringArgs["models"]> } : {}),
    ...(secrets["monitoringGrafanaAdminPassword"] !== undefined ? { grafanaAdminPassword: secrets["monitoringGrafanaAdminPassword"] } : {}),
    ...(receivers.length > 0 ? { alertReceivers: receivers } : {}),
  };
}

/** An object without its undefined fields: the components' optional args are absent, not undefined. */
function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
