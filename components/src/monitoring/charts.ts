/**
 * The charts the monitoring stack installs and their values: kube-prometheus-stack (Prometheus Operator,
 * Prometheus, Alertmanager, Grafana, kube-state-metrics) and OpenCost; and Alertmanager's configuration.
 */
import { stringify } from "yaml";
import type { HelmChartPin } from "../common/helm.js";
import { DEPLOYMENT_RECORD_READER_RULES, deploymentRecordStateMetrics } from "./delivery.js";
import { AlertSeverity } from "./rules.js";

/**
 * kube-prometheus-stack, pinned (https://prometheus-community.github.io/helm-charts). The 88.5 line is the
 * newest seen in the repository's index around August 2026; check `helm search repo
 * prometheus-community/kube-prometheus-stack --versions` before deploying or bumping. Its CRDs come with it
 * (the `crds` subchart), so every monitor and rule depends on this chart.
 */
export const KUBE_PROMETHEUS_STACK_CHART: HelmChartPin = {
  chart: "kube-prometheus-stack",
  repository: "https://prometheus-community.github.io/helm-charts",
  version: "88.5.0",
};

/** OpenCost, pinned (https://opencost.github.io/opencost-helm-chart, chart 2.5.x of August 2026). */
export const OPENCOST_CHART: HelmChartPin = {
  chart: "opencost",
  repository: "https://opencost.github.io/opencost-helm-chart",
  version: "2.5.0",
};

/** Helm release name of the stack; its objects are named after it (`monitoring-prometheus`, ...). */
export const MONITORING_RELEASE_NAME = "monitoring";
/** The Prometheus Service the stack creates (`<fullname>-prometheus`, port 9090). */
export const PROMETHEUS_SERVICE = `${MONITORING_RELEASE_NAME}-prometheus`;
export const PROMETHEUS_PORT = 9090;
/** Secret holding Grafana's admin user and password, under the keys the Grafana chart reads. */
export const GRAFANA_ADMIN_SECRET = { name: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" } as const;
/** Secret holding Alertmanager's whole configuration (`alertmanager.yaml`): receiver URLs are secrets. */
export const ALERTMANAGER_CONFIG_SECRET = { name: "alertmanager-platform-config", key: "alertmanager.yaml" } as const;
/** Grafana's sidecar loads ConfigMaps carrying this label as dashboards, from every namespace. */
export const GRAFANA_DASHBOARD_LABEL = { key: "grafana_dashboard", value: "1" } as const;

/** What the stack's values depend on. */
export interface PrometheusStackValuesInput {
  retentionDays: number;
  storageGiB: number;
  storageClassName?: string;
  /** Prometheus and Alertmanager replicas. */
  replicas: number;
}

/** Helm values of kube-prometheus-stack (keys from its `values.yaml`). */
export function prometheusStackValues(input: PrometheusStackValuesInput): Record<string, unknown> {
  const selectAll = {
    // Without these, Prometheus only picks up monitors and rules labelled with the chart's release; the
    // platform's (and the teams') carry no such label.
    serviceMonitorSelectorNilUsesHelmValues: false,
    podMonitorSelectorNilUsesHelmValues: false,
    ruleSelectorNilUsesHelmValues: false,
    probeSelectorNilUsesHelmValues: false,
  };
  return {
    fullnameOverride: MONITORING_RELEASE_NAME,
    crds: { enabled: true },
    prometheusOperator: {
      // The admission webhook's certificates are made by Helm hook jobs, which a Chart does not run as hooks;
      // the platform's rules are checked by promtool before they ship instead.
      admissionWebhooks: { enabled: false },
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
    },
    prometheus: {
      prometheusSpec: {
        ...selectAll,
        replicas: input.replicas,
        retention: `${input.retentionDays}d`,
        resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "2", memory: "8Gi" } },
        storageSpec: {
          volumeClaimTemplate: {
            spec: {
              accessModes: ["ReadWriteOnce"],
              resources: { requests: { storage: `${input.storageGiB}Gi` } },
              ...(input.storageClassName !== undefined ? { storageClassName: input.storageClassName } : {}),
            },
          },
        },
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        replicas: input.replicas,
        // The configuration is a Secret the platform writes: receiver URLs are credentials.
        useExistingSecret: true,
        configSecret: ALERTMANAGER_CONFIG_SECRET.name,
        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "256Mi" } },
      },
    },
    grafana: {
      admin: { existingSecret: GRAFANA_ADMIN_SECRET.name, userKey: GRAFANA_ADMIN_SECRET.userKey, passwordKey: GRAFANA_ADMIN_SECRET.passwordKey },
      sidecar: { dashboards: { enabled: true, label: GRAFANA_DASHBOARD_LABEL.key, labelValue: GRAFANA_DASHBOARD_LABEL.value, searchNamespace: "ALL" } },
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
    },
    "kube-state-metrics": {
      // kube_pod_labels carries only allowlisted labels: a notebook's pod is known by its `notebook-name`
      // (the idle-notebook alert and panels join on it).
      metricLabelsAllowlist: ["pods=[notebook-name]"],
      // The platform's deployment records (DORA) become metrics through its custom resource state.
      customResourceState: { enabled: true, config: deploymentRecordStateMetrics() },
      rbac: { extraRules: DEPLOYMENT_RECORD_READER_RULES.map((rule) => ({ ...rule })) },
    },
    // node-exporter needs host networking, host PID and host paths on every node, which the monitoring
    // namespace does not allow; managed clusters report node health through their own agents.
    nodeExporter: { enabled: false },
  };
}

/** Helm values of OpenCost (keys from the chart's `values.yaml`), reading the stack's Prometheus. */
export function opencostValues(prometheusUrl: string): Record<string, unknown> {
  return {
    opencost: {
      prometheus: { internal: { enabled: false }, external: { enabled: true, url: prometheusUrl } },
      // Prometheus scrapes OpenCost's prices back; dashboards and alerts read them there.
      metrics: { serviceMonitor: { enabled: true } },
      exporter: { resources: { requests: { cpu: "50m", memory: "256Mi" }, limits: { cpu: "500m", memory: "1Gi" } } },
      // Cost is shown in Grafana; OpenCost's own UI would be one more thing to expose.
      ui: { enabled: false },
    },
  };
}

/** Where Alertmanager sends alerts. */
export enum AlertReceiverKind {
  /** A Slack incoming webhook. */
  Slack = "slack",
  /** PagerDuty, through its Events API v2 (an integration's routing key). */
  PagerDuty = "pagerduty",
  /** Any HTTP endpoint taking Alertmanager's webhook payload (on-call tools, chat bridges). */
  Webhook = "webhook",
}

/** A receiver with its credential known (the component resolves the secrets before building the config). */
export interface ResolvedAlertReceiver {
  name: string;
  kind: AlertReceiverKind;
  /** Slack and webhook receivers. */
  url?: string;
  /** PagerDuty receivers. */
  routingKey?: string;
  /** The team whose alerts it gets; undefined: a platform receiver. */
  team?: string;
  /** The least severe alerts it gets. */
  minSeverity: AlertSeverity;
}

/** Alerts of the stack's default rules that are not for people: the always-firing Watchdog and the inhibitor of info alerts. */
const NOT_FOR_PEOPLE = 'alertname=~"Watchdog|InfoInhibitor"';

/**
 * Alertmanager's configuration. Alerts are grouped per alert, namespace and team (one team's alerts do not
 * bury another's). A team with receivers of its own gets its alerts (labelled `team: <name>`) there, each
 * receiver the severities it asked for, and the platform's receivers do not; everything else (alerts of
 * no team, and of teams without receivers) goes to the platform's receivers by severity. Alerts matching
 * no receiver are dropped (`null`).
 */
export function alertmanagerConfigYaml(receivers: readonly ResolvedAlertReceiver[]): string {
  const severities = (min: AlertSeverity) => (min === AlertSeverity.Critical ? 'severity="critical"' : 'severity=~"critical|warning"');
  const route = (receiver: ResolvedAlertReceiver) => ({ receiver: receiver.name, matchers: [severities(receiver.minSeverity)], continue: true });
  const teams = [...new Set(receivers.flatMap((receiver) => (receiver.team !== undefined ? [receiver.team] : [])))].sort();
  const platform = receivers.filter((receiver) => receiver.team === undefined);
  return stringify(
    {
      route: {
        receiver: "null",
        group_by: ["alertname", "namespace", "team"],
        group_wait: "30s",
        group_interval: "5m",
        repeat_interval: "4h",
        routes: [
          { receiver: "null", matchers: [NOT_FOR_PEOPLE] },
          // A team's alerts stop at its own route: its receivers, by severity, each one getting them.
          ...teams.map((team) => ({ receiver: "null", matchers: [`team="${team}"`], routes: receivers.filter((receiver) => receiver.team === team).map(route) })),
          ...platform.map(route),
        ],
      },
      receivers: [
        { name: "null" },
        ...receivers.map((receiver) => {
          switch (receiver.kind) {
            case AlertReceiverKind.Slack:
              return { name: receiver.name, slack_configs: [{ api_url: receiver.url, send_resolved: true }] };
            case AlertReceiverKind.PagerDuty:
              return { name: receiver.name, pagerduty_configs: [{ routing_key: receiver.routingKey, send_resolved: true }] };
            default:
              return { name: receiver.name, webhook_configs: [{ url: receiver.url, send_resolved: true }] };
          }
        }),
      ],
    },
    { lineWidth: 0 },
  );
}
