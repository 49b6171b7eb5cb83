import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildArtifacts } from "@mlops-platform/components/testing";
import { evaluatePolicies } from "@mlops-platform/policies/rules";
import { capture } from "../../helpers.js";
import { AlertReceiverKind, AlertSeverity, MonitoredCapability, MonitoringStack, type MonitoringStackArgs } from "@mlops-platform/components";
import { alertmanagerConfigYaml, planMonitoringStack, prometheusStackValues } from "@mlops-platform/components/internal";

const args: MonitoringStackArgs = {
  retentionDays: 30,
  storageGiB: 200,
  replicas: 2,
  grafanaAdminPassword: pulumi.secret("grafana-admin-password-value"),
  alertReceivers: [
    { name: "platform-slack", kind: AlertReceiverKind.Slack, url: pulumi.secret("https://hooks.slack.example/services/T0/B0/slack-secret-token") },
    { name: "on-call", kind: AlertReceiverKind.Webhook, url: pulumi.secret("https://oncall.example/hook/pager-secret-token"), minSeverity: AlertSeverity.Critical },
    { name: "pagerduty", kind: AlertReceiverKind.PagerDuty, routingKey: pulumi.secret("pagerduty-routing-secret-key"), minSeverity: AlertSeverity.Critical },
    { name: "team-vision-slack", kind: AlertReceiverKind.Slack, url: pulumi.secret("https://hooks.slack.example/services/T0/B1/vision-secret-token"), team: "vision" },
  ],
  monitored: [MonitoredCapability.Gpus, MonitoredCapability.AiGateway],
  gpuMonthlyBudgetUsd: 250000,
  platformNamespaces: ["mlp-gateway", "mlp-monitoring"],
};

async function render(stackArgs: MonitoringStackArgs) {
  const result = await capture(() => {
    new MonitoringStack("monitoring", stackArgs);
  });
  expect(result.errors).toEqual([]);
  return { result, artifacts: await buildArtifacts(result) };
}

describe("MonitoringStack", () => {
  it("installs kube-prometheus-stack and OpenCost, with the platform's rules and dashboards, all valid and within policy", async () => {
    const { result, artifacts } = await render(args);
    expect(artifacts.problems).toEqual([]);
    const releases = artifacts.releases.map((release) => [release.chart, release.version, release.namespace]);
    expect(releases).toEqual([
      ["kube-prometheus-stack", "88.5.0", "mlp-monitoring"],
      ["opencost", "2.5.0", "mlp-monitoring"],
    ]);
    const objects = artifacts.manifests.map((m) => `${m.kind}/${(m.object["metadata"] as { name: string }).name}`).sort();
    expect(objects).toEqual(
      [
        "ConfigMap/mlp-cost-dashboard",
        "ConfigMap/mlp-delivery-dashboard",
        "ConfigMap/mlp-gateway-dashboard",
        "ConfigMap/mlp-gpus-dashboard",
        "ConfigMap/mlp-models-dashboard",
        "PrometheusRule/mlp-cost",
        "PrometheusRule/mlp-delivery",
        "PrometheusRule/mlp-gateway",
        "PrometheusRule/mlp-gpus",
        "PrometheusRule/mlp-monitoring",
        "PrometheusRule/mlp-targets",
        "Secret/alertmanager-platform-config",
        "Secret/grafana-admin",
        // Where the deploy pipeline records each deployment (DORA).
        "CustomResourceDefinition/deploymentrecords.delivery.mlops-platform.io",
      ].sort(),
    );
    const resources = result.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.plainInputs }));
    expect(evaluatePolicies(resources, { environment: "prod" })).toEqual([]);
  });

  it("creates its rules and monitors after the chart that brings their CRDs", async () => {
    const { result } = await render(args);
    const chart = result.resources.find((r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.name === "monitoring-chart")!;
    const customResources = result.resources.filter((r) => r.type.startsWith("kubernetes:monitoring.coreos.com/v1:"));
    expect(customResources.length).toBe(6);
    for (const resource of customResources) expect(resource.dependsOn).toContain(chart.urn);
  });

  it("keeps Grafana's password and the receivers' URLs secret and out of every written file", async () => {
    const { result, artifacts } = await render(args);
    for (const text of artifacts.files.values()) {
      expect(text).not.toContain("grafana-admin-password-value");
      expect(text).not.toContain("slack-secret-token");
      expect(text).not.toContain("pager-secret-token");
      expect(text).not.toContain("pagerduty-routing-secret-key");
      expect(text).not.toContain("vision-secret-token");
    }
    const stack = result.resources.find((r) => r.type === "mlops-platform:index:MonitoringStack")!;
    expect(stack.outputs).toMatchObject({ namespace: "mlp-monitoring", prometheusUrl: "http://monitoring-prometheus.mlp-monitoring.svc:9090", grafanaAdminPassword: "<secret>" });
  });

  it("on a cluster with its own Prometheus Operator creates only rules, dashboards and the deployment records' CRD", async () => {
    const { artifacts } = await render({ installPrometheusStack: false, opencost: false, monitored: [MonitoredCapability.Notebooks] });
    expect(artifacts.releases).toEqual([]);
    expect(artifacts.manifests.map((m) => m.kind).sort()).toEqual(["ConfigMap", "ConfigMap", "ConfigMap", "CustomResourceDefinition", "PrometheusRule", "PrometheusRule", "PrometheusRule"]);
  });
});

describe("MonitoringStack values", () => {
  it("make Prometheus pick up every monitor and rule, keep the stack's retention and volume, and leave node-exporter out", () => {
    const values = prometheusStackValues({ retentionDays: 7, storageGiB: 20, replicas: 1 }) as Record<string, any>;
    expect(values["prometheus"].prometheusSpec).toMatchObject({
      serviceMonitorSelectorNilUsesHelmValues: false,
      podMonitorSelectorNilUsesHelmValues: false,
      ruleSelectorNilUsesHelmValues: false,
      retention: "7d",
      storageSpec: { volumeClaimTemplate: { spec: { resources: { requests: { storage: "20Gi" } } } } },
    });
    expect(values["alertmanager"].alertmanagerSpec).toMatchObject({ useExistingSecret: true, configSecret: "alertmanager-platform-config" });
    expect(values["grafana"].sidecar.dashboards).toMatchObject({ label: "grafana_dashboard", labelValue: "1", searchNamespace: "ALL" });
    expect(values["nodeExporter"]).toEqual({ enabled: false });
    // The idle-notebook alert and panels join on a notebook pod's label.
    expect(values["kube-state-metrics"]).toMatchObject({ metricLabelsAllowlist: ["pods=[notebook-name]"] });
  });

  it("route each team's alerts to its own receivers, everything else to the platform's by severity, and drop the Watchdog", () => {
    const config = parse(
      alertmanagerConfigYaml([
        { name: "chat", kind: AlertReceiverKind.Slack, url: "https://hooks.slack.example/x", minSeverity: AlertSeverity.Warning },
        { name: "pager", kind: AlertReceiverKind.PagerDuty, routingKey: "routing-key", minSeverity: AlertSeverity.Critical },
        { name: "team-vision-slack", kind: AlertReceiverKind.Slack, url: "https://hooks.slack.example/v", team: "vision", minSeverity: AlertSeverity.Warning },
      ]),
    );
    expect(config.route.group_by).toEqual(["alertname", "namespace", "team"]);
    expect(config.route.routes).toEqual([
      { receiver: "null", matchers: ['alertname=~"Watchdog|InfoInhibitor"'] },
      { receiver: "null", matchers: ['team="vision"'], routes: [{ receiver: "team-vision-slack", matchers: ['severity=~"critical|warning"'], continue: true }] },
      { receiver: "chat", matchers: ['severity=~"critical|warning"'], continue: true },
      { receiver: "pager", matchers: ['severity="critical"'], continue: true },
    ]);
    expect(config.receivers).toEqual([
      { name: "null" },
      { name: "chat", slack_configs: [{ api_url: "https://hooks.slack.example/x", send_resolved: true }] },
      { name: "pager", pagerduty_configs: [{ routing_key: "routing-key", send_resolved: true }] },
      { name: "team-vision-slack", slack_configs: [{ api_url: "https://hooks.slack.example/v", send_resolved: true }] },
    ]);
  });
});

describe("MonitoringStack arguments", () => {
  it.each<[string, MonitoringStackArgs, string]>([
    ["a retention of 0 days", { retentionDays: 0 }, "retentionDays: got 0; use a whole number of days, at least 1"],
    ["a chart version range", { version: "88.x" }, 'version: got "88.x"; use an exact chart version such as "88.5.0"'],
    ["OpenCost without a Prometheus to read", { installPrometheusStack: false }, "prometheusUrl: got nothing; OpenCost reads prices from Prometheus"],
    ["a receiver for an Alertmanager it does not install", { installPrometheusStack: false, opencost: false, alertReceivers: [{ name: "chat", kind: AlertReceiverKind.Slack, url: "https://x.example" }] }, `alertReceivers: got ["chat"]; receivers configure the Alertmanager this stack installs`],
    ["two receivers of one name", { alertReceivers: [{ name: "chat", kind: AlertReceiverKind.Slack, url: "https://x.example" }, { name: "chat", kind: AlertReceiverKind.Webhook, url: "https://y.example" }] }, 'alertReceivers[1].name: got "chat"; use a unique name'],
    ["a PagerDuty receiver without its key", { alertReceivers: [{ name: "pager", kind: AlertReceiverKind.PagerDuty, url: "https://x.example" }] }, "alertReceivers[0].routingKey: got nothing; a pagerduty receiver needs its PagerDuty integration key"],
    ["a team receiver of no team name", { alertReceivers: [{ name: "chat", kind: AlertReceiverKind.Slack, url: "https://x.example", team: "Vision Team" }] }, 'alertReceivers[0].team: got "Vision Team"; use a team\'s name'],
    ["an unknown capability", { monitored: ["catalog" as MonitoredCapability] }, 'monitored[0]: got "catalog"; use one of gpus, ai-gateway, notebooks, training, kueue, databases'],
  ])("fails when given %s", (_case, bad, message) => {
    expect(() => planMonitoringStack("monitoring", bad)).toThrow(message);
  });
});
