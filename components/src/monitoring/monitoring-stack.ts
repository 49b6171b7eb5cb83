import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { argumentProblems, typeToken } from "../common/component.js";
import { suppliedOrGeneratedSecret } from "../common/generated-secret.js";
import { isExactChartVersion } from "../common/helm.js";
import { isDnsLabel, isDnsSubdomain } from "../common/kubernetes.js";
import {
  ALERTMANAGER_CONFIG_SECRET,
  alertmanagerConfigYaml,
  AlertReceiverKind,
  GRAFANA_ADMIN_SECRET,
  KUBE_PROMETHEUS_STACK_CHART,
  MONITORING_RELEASE_NAME,
  OPENCOST_CHART,
  opencostValues,
  PROMETHEUS_PORT,
  PROMETHEUS_SERVICE,
  prometheusStackValues,
} from "./charts.js";
import { deploymentRecordCrd } from "./delivery.js";
import { monitoringDashboards, monitoringRuleGroups, type MonitoringContent } from "./content.js";
import { alertmanagerConfigSecretMeta, dashboardConfigMap, dashboardConfigMapName, grafanaAdminSecretMeta, prometheusRuleManifest } from "./monitoring-manifests.js";
import { AlertSeverity, DEFAULT_RUNBOOK_URL } from "./rules.js";

/** Namespace of the monitoring stack in an MlPlatform. */
export const MONITORING_NAMESPACE = "mlp-monitoring";

/** A capability whose metrics the stack has rules and dashboards for. */
export enum MonitoredCapability {
  /** GPU nodes with the DCGM exporter. */
  Gpus = "gpus",
  /** The LiteLLM AI gateway. */
  AiGateway = "ai-gateway",
  /** The Kubeflow notebook controller. */
  Notebooks = "notebooks",
  /** Training jobs (their Jobs, through kube-state-metrics). */
  Training = "training",
  /** Kueue's training queues. */
  Kueue = "kueue",
  /** PostgreSQL clusters (CloudNativePG). */
  Databases = "databases",
}

/** Where Alertmanager sends alerts. */
export interface AlertReceiverArgs {
  /** Receiver name in Alertmanager's configuration. */
  name: string;
  kind: AlertReceiverKind;
  /**
   * The Slack incoming-webhook URL or the webhook URL: a credential, kept secret. Required for Slack and
   * webhook receivers.
   * @default none
   */
  url?: pulumi.Input<string>;
  /**
   * The PagerDuty Events API v2 integration (routing) key: a credential, kept secret. Required for
   * PagerDuty receivers.
   * @default none
   */
  routingKey?: pulumi.Input<string>;
  /**
   * The team whose alerts (those labelled `team: <name>`) this receiver gets. A team with receivers gets
   * its alerts there and not on the platform's receivers; a team without any gets them on the platform's.
   * @default none: a platform receiver, for alerts of no team and of teams without receivers
   */
  team?: string;
  /**
   * The least severe alerts it gets.
   * @default AlertSeverity.Warning (warnings and critical alerts)
   */
  minSeverity?: AlertSeverity;
}

export interface MonitoringStackArgs {
  /**
   * Namespace of the stack, its rules and dashboards. The caller creates it.
   * @default "mlp-monitoring"
   */
  namespace?: string;
  /**
   * Install kube-prometheus-stack (the Prometheus Operator, Prometheus, Alertmanager, Grafana,
   * kube-state-metrics). False when the cluster runs them already: then only the rules, dashboards and the
   * model PodMonitor are created, for the cluster's Prometheus and Grafana to pick up.
   * @default true
   */
  installPrometheusStack?: boolean;
  /**
   * Exact kube-prometheus-stack chart version.
   * @default KUBE_PROMETHEUS_STACK_CHART.version
   */
  version?: string;
  /**
   * Days Prometheus keeps metrics.
   * @default 15
   */
  retentionDays?: number;
  /** Prometheus's volume. @default 50 */
  storageGiB?: number;
  /**
   * StorageClass of Prometheus's volume.
   * @default the cluster's default StorageClass
   */
  storageClassName?: string;
  /** Prometheus and Alertmanager replicas. @default 1 */
  replicas?: number;
  /**
   * Grafana's admin password (user `admin`).
   * @default a random 32-character password (see the `grafanaAdminPassword` output)
   */
  grafanaAdminPassword?: pulumi.Input<string>;
  /**
   * Where Alertmanager sends alerts.
   * @default [] (alerts are visible in Alertmanager and Grafana only)
   */
  alertReceivers?: AlertReceiverArgs[];
  /**
   * Install OpenCost, for the cost rules and dashboard.
   * @default true
   */
  opencost?: boolean;
  /**
   * Exact OpenCost chart version.
   * @default OPENCOST_CHART.version
   */
  opencostVersion?: string;
  /**
   * Prometheus URL OpenCost reads. Required with OpenCost when the stack is not installed.
   * @default the stack's Prometheus
   */
  prometheusUrl?: string;
  /**
   * Capabilities whose rules and dashboards the stack carries (their metrics must be scraped).
   * @default []
   */
  monitored?: MonitoredCapability[];
  /**
   * Alert when the cluster's GPUs, at their current count and price, cost more per month (USD).
   * @default no budget alert
   */
  gpuMonthlyBudgetUsd?: number;
  /**
   * Namespaces of the platform's services, whose scrape targets must be up.
   * @default []
   */
  platformNamespaces?: string[];
  /**
   * Where the runbooks are (a URL, or a path in this repository); every alert's `runbook_url` is its
   * section there (`#<alert name in lower case>`).
   * @default "docs/runbooks.md"
   */
  runbookUrl?: string;
}

/**
 * Prometheus, Alertmanager and Grafana (kube-prometheus-stack) with the platform's alerting and recording
 * rules, its dashboards and OpenCost for what GPUs cost; or, on a cluster that runs its own Prometheus
 * Operator, only the rules and dashboards. Models are watched by a ModelMonitor each.
 */
export class MonitoringStack extends pulumi.ComponentResource {
  /** Namespace of the stack, its rules and dashboards. */
  public readonly namespace: pulumi.Output<string>;
  /** In-cluster URL of Prometheus, when the stack installs it. */
  public readonly prometheusUrl: pulumi.Output<string | undefined>;
  /** Grafana's admin password (secret), when the stack installs Grafana. */
  public readonly grafanaAdminPassword: pulumi.Output<string | undefined>;

  constructor(name: string, args: MonitoringStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("MonitoringStack"), name, {}, opts);
    const plan = planMonitoringStack(name, args);
    const { namespace } = plan;

    // Rules, dashboards and monitors need the Prometheus Operator's CRDs: the stack's chart when it installs them.
    const crdsFrom: pulumi.Resource[] = [];
    let grafanaAdminPassword: pulumi.Output<string> | undefined;
    if (plan.installPrometheusStack) {
      grafanaAdminPassword = suppliedOrGeneratedSecret(args.grafanaAdminPassword, `${name}-grafana-admin-password`, 32, { parent: this });
      const grafanaSecret = new k8s.core.v1.Secret(
        `${name}-grafana-admin`,
        { metadata: grafanaAdminSecretMeta(namespace), stringData: { [GRAFANA_ADMIN_SECRET.userKey]: "admin", [GRAFANA_ADMIN_SECRET.passwordKey]: grafanaAdminPassword } },
        { parent: this },
      );
      const receivers = (args.alertReceivers ?? []).map((receiver) =>
        pulumi.all([receiver.url, receiver.routingKey]).apply(([url, routingKey]) => ({
          name: receiver.name,
          kind: receiver.kind,
          ...(url !== undefined ? { url } : {}),
          ...(routingKey !== undefined ? { routingKey } : {}),
          ...(receiver.team !== undefined ? { team: receiver.team } : {}),
          minSeverity: receiver.minSeverity ?? AlertSeverity.Warning,
        })),
      );
      const alertmanagerConfig = pulumi.secret(pulumi.all(receivers).apply((resolved) => alertmanagerConfigYaml(resolved)));
      const alertmanagerSecret = new k8s.core.v1.Secret(
        `${name}-alertmanager-config`,
        { metadata: alertmanagerConfigSecretMeta(namespace), stringData: { [ALERTMANAGER_CONFIG_SECRET.key]: alertmanagerConfig } },
        { parent: this },
      );
      crdsFrom.push(
        new k8s.helm.v4.Chart(
          `${name}-chart`,
          {
            name: MONITORING_RELEASE_NAME,
            chart: KUBE_PROMETHEUS_STACK_CHART.chart,
            repositoryOpts: { repo: KUBE_PROMETHEUS_STACK_CHART.repository },
            version: plan.version,
            namespace,
            values: prometheusStackValues(plan),
          },
          { parent: this, dependsOn: [grafanaSecret, alertmanagerSecret] },
        ),
      );
    }
    if (plan.opencost) {
      new k8s.helm.v4.Chart(
        `${name}-opencost`,
        {
          name: "opencost",
          chart: OPENCOST_CHART.chart,
          repositoryOpts: { repo: OPENCOST_CHART.repository },
          version: plan.opencostVersion,
          namespace,
          values: opencostValues(plan.prometheusUrl!),
        },
        { parent: this, dependsOn: crdsFrom },
      );
    }
    for (const group of monitoringRuleGroups(plan)) {
      new k8s.apiextensions.CustomResource(`${name}-rules-${group.name}`, prometheusRuleManifest(namespace, group), { parent: this, dependsOn: crdsFrom });
    }
    // The platform's deployment records (DORA): the deploy pipeline writes them, kube-state-metrics reads them.
    new k8s.apiextensions.v1.CustomResourceDefinition(`${name}-deployment-records`, deploymentRecordCrd() as k8s.apiextensions.v1.CustomResourceDefinitionArgs, { parent: this });
    // Dashboards are plain ConfigMaps: Grafana's sidecar finds them whenever Grafana runs.
    for (const dashboard of monitoringDashboards(plan)) {
      new k8s.core.v1.ConfigMap(`${name}-${dashboardConfigMapName(dashboard)}`, dashboardConfigMap(namespace, dashboard) as k8s.core.v1.ConfigMapArgs, { parent: this });
    }

    this.namespace = pulumi.output(namespace);
    this.prometheusUrl = pulumi.output(plan.installPrometheusStack ? plan.prometheusUrl : undefined);
    this.grafanaAdminPassword = grafanaAdminPassword ? pulumi.secret(grafanaAdminPassword) : pulumi.output(undefined);
    this.registerOutputs({ namespace: this.namespace, prometheusUrl: this.prometheusUrl, grafanaAdminPassword: this.grafanaAdminPassword });
  }
}

/** MonitoringStack args with defaults applied, as plain values (no secrets). */
export interface MonitoringStackPlan extends MonitoringContent {
  namespace: string;
  installPrometheusStack: boolean;
  version: string;
  retentionDays: number;
  storageGiB: number;
  storageClassName?: string;
  replicas: number;
  opencost: boolean;
  opencostVersion: string;
  /** The Prometheus OpenCost reads; undefined only without OpenCost. */
  prometheusUrl?: string;
}

const positiveInteger = (value: number) => Number.isInteger(value) && value >= 1;

/**
 * Validates MonitoringStack args and applies their defaults; throws `InputPropertyError`
 * (`InputPropertiesError` for several) naming each property and the fix.
 */
export function planMonitoringStack(name: string, args: MonitoringStackArgs): MonitoringStackPlan {
  const problems = argumentProblems("MonitoringStack", name);
  const namespace = args.namespace ?? MONITORING_NAMESPACE;
  if (!isDnsLabel(namespace)) problems.add("namespace", namespace, "use a namespace name (a DNS label)");
  // Prometheus's volume claim names it: the API server refuses a claim whose class is not a DNS subdomain.
  if (args.storageClassName !== undefined && !isDnsSubdomain(args.storageClassName)) {
    problems.add("storageClassName", args.storageClassName, 'use a StorageClass name (lower-case letters, digits, "-" and "."), such as "gp3"');
  }
  const chartVersion = (property: string, value: string, example: string) => {
    if (!isExactChartVersion(value)) problems.add(property, value, `use an exact chart version such as "${example}"`);
    return value;
  };
  const version = chartVersion("version", args.version ?? KUBE_PROMETHEUS_STACK_CHART.version, KUBE_PROMETHEUS_STACK_CHART.version);
  const opencostVersion = chartVersion("opencostVersion", args.opencostVersion ?? OPENCOST_CHART.version, OPENCOST_CHART.version);
  const whole = (property: string, value: number, unit: string) => {
    if (!positiveInteger(value)) problems.add(property, value, `use a whole number of ${unit}, at least 1`);
    return value;
  };
  const retentionDays = whole("retentionDays", args.retentionDays ?? 15, "days");
  const storageGiB = whole("storageGiB", args.storageGiB ?? 50, "GiB");
  const replicas = args.replicas ?? 1;
  // The same words as every other service's replicas: one stack value (availability.replicas) sets them all.
  if (!positiveInteger(replicas)) problems.add("replicas", replicas, "use a whole number of at least 1");
  const install = args.installPrometheusStack ?? true;
  const opencost = args.opencost ?? true;
  const prometheusUrl = args.prometheusUrl ?? (install ? `http://${PROMETHEUS_SERVICE}.${namespace}.svc:${PROMETHEUS_PORT}` : undefined);
  if (prometheusUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(prometheusUrl)) problems.add("prometheusUrl", prometheusUrl, "use an http(s) URL such as http://prometheus.monitoring.svc:9090");
  if (opencost && prometheusUrl === undefined) {
    problems.add("prometheusUrl", undefined, "OpenCost reads prices from Prometheus: give the URL of the cluster's Prometheus, or turn opencost off");
  }
  // Receiver URLs are secrets, judged by Alertmanager when it loads its configuration: a stack checked
  // offline only has placeholders for them.
  const receiverNames = new Set<string>(["null"]);
  (args.alertReceivers ?? []).forEach((receiver, index) => {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(receiver.name) || receiverNames.has(receiver.name)) {
      problems.add(`alertReceivers[${index}].name`, receiver.name, 'use a unique name of lower-case letters, digits and "-" (not "null")');
    }
    receiverNames.add(receiver.name);
    if (!Object.values(AlertReceiverKind).includes(receiver.kind)) problems.add(`alertReceivers[${index}].kind`, receiver.kind, `use one of ${Object.values(AlertReceiverKind).join(", ")}`);
    const credential = receiver.kind === AlertReceiverKind.PagerDuty ? "routingKey" : "url";
    if (receiver[credential] === undefined) problems.add(`alertReceivers[${index}].${credential}`, undefined, `a ${receiver.kind} receiver needs its ${credential === "url" ? "URL" : "PagerDuty integration key"}`);
    if (receiver.team !== undefined && !isDnsLabel(receiver.team)) problems.add(`alertReceivers[${index}].team`, receiver.team, "use a team's name");
    if (receiver.minSeverity !== undefined && !Object.values(AlertSeverity).includes(receiver.minSeverity)) {
      problems.add(`alertReceivers[${index}].minSeverity`, receiver.minSeverity, `use one of ${Object.values(AlertSeverity).join(", ")}`);
    }
  });
  if (!install && (args.alertReceivers ?? []).length > 0) {
    const names = (args.alertReceivers ?? []).map((receiver) => receiver.name);
    problems.add("alertReceivers", names, "receivers configure the Alertmanager this stack installs; with the cluster's own Prometheus Operator, configure its Alertmanager instead");
  }
  if (args.gpuMonthlyBudgetUsd !== undefined && !(args.gpuMonthlyBudgetUsd >= 0)) problems.add("gpuMonthlyBudgetUsd", args.gpuMonthlyBudgetUsd, "use an amount of USD, 0 or more");
  const monitored = args.monitored ?? [];
  monitored.forEach((capability, index) => {
    if (!Object.values(MonitoredCapability).includes(capability)) problems.add(`monitored[${index}]`, capability, `use one of ${Object.values(MonitoredCapability).join(", ")}`);
  });
  const namespaces = (property: string, list: readonly string[]) =>
    list.forEach((ns, index) => {
      if (!isDnsLabel(ns)) problems.add(`${property}[${index}]`, ns, "use a namespace name (a DNS label)");
    });
  namespaces("platformNamespaces", args.platformNamespaces ?? []);
  problems.throwIfAny();
  return {
    namespace,
    installPrometheusStack: install,
    version,
    retentionDays,
    storageGiB,
    ...(args.storageClassName !== undefined ? { storageClassName: args.storageClassName } : {}),
    replicas,
    opencost,
    opencostVersion,
    ...(prometheusUrl !== undefined ? { prometheusUrl } : {}),
    monitored: [...new Set(monitored)],
    ...(args.gpuMonthlyBudgetUsd !== undefined ? { gpuMonthlyBudgetUsd: args.gpuMonthlyBudgetUsd } : {}),
    platformNamespaces: [...(args.platformNamespaces ?? [])],
    runbooks: args.runbookUrl ?? DEFAULT_RUNBOOK_URL,
    cost: opencost,
  };
}
