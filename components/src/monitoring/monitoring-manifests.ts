/**
 * Pure builders of the monitoring stack's own objects: a PrometheusRule per rule group, a ConfigMap per
 * Grafana dashboard, the PodMonitor that scrapes a model's pods, and the Secrets' metadata. The component
 * only wires them together.
 */
import type { IPodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import { platformLabels } from "../common/kubernetes.js";
import { ALERTMANAGER_CONFIG_SECRET, GRAFANA_ADMIN_SECRET, GRAFANA_DASHBOARD_LABEL } from "./charts.js";
import type { Dashboard } from "./dashboard-kit.js";
import type { PrometheusRuleGroup } from "./rules.js";

const CAPABILITY = "monitoring";

function meta(namespace: string, name: string, extra: Record<string, string> = {}): IObjectMeta {
  return { name, namespace, labels: platformLabels(CAPABILITY, extra) };
}

/** One PrometheusRule per group, named after it (`mlp-gpus`), so a change to one group touches one object. */
export function prometheusRuleManifest(namespace: string, group: PrometheusRuleGroup): IPrometheusRule {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: meta(namespace, group.name),
    spec: { groups: [{ name: group.name, ...(group.interval !== undefined ? { interval: group.interval } : {}), rules: group.rules.map((rule) => ({ ...rule })) }] },
  };
}

/** The ConfigMap name of a dashboard: its uid (`mlp-gpus`) with a `-dashboard` suffix. */
export function dashboardConfigMapName(dashboard: Dashboard): string {
  return `${dashboard.uid ?? "mlp"}-dashboard`;
}

/** A dashboard as Grafana's sidecar loads it: a labelled ConfigMap with one `<uid>.json` entry. */
export function dashboardConfigMap(namespace: string, dashboard: Dashboard): IConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: meta(namespace, dashboardConfigMapName(dashboard), { [GRAFANA_DASHBOARD_LABEL.key]: GRAFANA_DASHBOARD_LABEL.value }),
    data: { [`${dashboard.uid}.json`]: JSON.stringify(dashboard, null, 2) },
  };
}

/**
 * Scrapes one model's pods (its ModelMonitor's selector and metrics port) in the model's namespace, from
 * the monitoring namespace, where the Prometheus looks for monitors.
 */
export function modelPodMonitor(monitoringNamespace: string, name: string, model: { namespace: string; podSelector: Record<string, string>; metricsPort: string }): IPodMonitor {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: meta(monitoringNamespace, name),
    spec: {
      namespaceSelector: { matchNames: [model.namespace] },
      selector: { matchLabels: { ...model.podSelector } },
      podMetricsEndpoints: [{ port: model.metricsPort, path: "/metrics", interval: "30s" }],
    },
  };
}

/** Metadata of the Secret holding Grafana's admin credentials (its data is set by the component). */
export function grafanaAdminSecretMeta(namespace: string): IObjectMeta {
  return meta(namespace, GRAFANA_ADMIN_SECRET.name);
}

/** Metadata of the Secret holding Alertmanager's configuration. */
export function alertmanagerConfigSecretMeta(namespace: string): IObjectMeta {
  return meta(namespace, ALERTMANAGER_CONFIG_SECRET.name);
}
