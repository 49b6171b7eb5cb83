/**
 * Monitoring (`mlops-platform:monitoring`): Prometheus, Alertmanager and Grafana with the platform's rules
 * and dashboards, OpenCost, and model drift alerts. Retention and storage follow the environment; Grafana's
 * password and the alert receivers' URLs are secret config.
 */
import { AlertReceiverKind, AlertSeverity, ClusterOperator, type AlertReceiverArgs, type MlPlatformMonitoringArgs } from "@mlops-platform/components";
import { z } from "zod";
import type { PlatformConfig } from "../config.js";
import type { Capability, PlatformSecrets } from "./capability.js";
import { flag } from "./fields.js";

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
    /** When model drift is worth an alert. */
    drift: z
      .strictObject({
        featureDrift: z.number().optional(),
        predictionDrift: z.number().optional(),
        forMinutes: z.number().optional(),
        staleAfterHours: z.number().optional(),
        errorRatio: z.number().optional(),
      })
      .prefault({}),
  })
  // The preset always sets retention and storage; the fallback only applies when the environment itself is invalid.
  .prefault({ retentionDays: 15, storageGiB: 50 });

/** Secret config keys of the alert receivers, each with the receiver it becomes. */
const RECEIVERS = [
  { key: "monitoringSlackWebhookUrl", name: "slack", kind: AlertReceiverKind.Slack, minSeverity: AlertSeverity.Warning },
  { key: "monitoringCriticalWebhookUrl", name: "critical-webhook", kind: AlertReceiverKind.Webhook, minSeverity: AlertSeverity.Critical },
] as const;

export const monitoring: Capability<"monitoring", typeof monitoringSection> = {
  key: "monitoring",
  section: monitoringSection,
  secrets: {
    monitoringGrafanaAdminPassword: "Grafana's admin password (generated when unset): pulumi config set --secret monitoringGrafanaAdminPassword <password>",
    monitoringSlackWebhookUrl: "a Slack incoming-webhook URL that gets warnings and critical alerts: pulumi config set --secret monitoringSlackWebhookUrl https://hooks.slack.com/services/...",
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
};

/** The monitoring section of MlPlatform's args; undefined when monitoring is off. */
export function monitoringArgs(config: PlatformConfig, secrets: PlatformSecrets): MlPlatformMonitoringArgs | undefined {
  const section = config.monitoring;
  if (!section.enabled) return undefined;
  // Receivers configure the Alertmanager the platform installs; a cluster running its own Prometheus
  // Operator routes alerts with its own Alertmanager, so the keys do nothing there.
  const ownAlertmanager = !config.cluster.preinstalledOperators.includes(ClusterOperator.PrometheusOperator);
  const receivers: AlertReceiverArgs[] = RECEIVERS.flatMap((receiver) =>
    ownAlertmanager && secrets[receiver.key] !== undefined ? [{ name: receiver.name, kind: receiver.kind, url: secrets[receiver.key]!, minSeverity: receiver.minSeverity }] : [],
  );
  const drift = Object.fromEntries(Object.entries(section.drift).filter(([, value]) => value !== undefined));
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
    ...(Object.keys(drift).length > 0 ? { drift } : {}),
    ...(secrets["monitoringGrafanaAdminPassword"] !== undefined ? { grafanaAdminPassword: secrets["monitoringGrafanaAdminPassword"] } : {}),
    ...(receivers.length > 0 ? { alertReceivers: receivers } : {}),
  };
}
