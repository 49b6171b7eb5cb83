/** The rules of MonitoringStack, ModelMonitor and MlPlatform's models to monitor, each from a stack file. */
import { at, CONSTANT, type RuleCase } from "./cases.js";

const MONITORING = "monitoring/monitoring-stack.ts";
const MODEL = "monitoring/model-monitor.ts";
const PLATFORM_MODELS = "platform/monitoring-child.ts";

/** A model the base stack's team can monitor; each row breaks one of its values. */
const model = (change: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: "churn",
  team: "vision",
  podSelector: { app: "churn" },
  features: [{ name: "tenure", buckets: [1, 2, 5] }],
  predictionBuckets: [0.25, 0.5, 0.75],
  ...change,
});
const models = (...list: Array<Record<string, unknown>>) => (s: Record<string, unknown>) => void (s["monitoring"] = { models: list });

const MODEL_RULES: RuleCase[] = [
  { file: MODEL, site: "use the model's name as its server labels it", rule: "a model's name is a DNS label", stack: models(model({ name: "Churn" })), expected: [at("monitoring.models[0].name", 'use the model\'s name as its server labels it, a DNS label (lower-case letters, digits, -), got "Churn"')] },
  { file: MODEL, site: "use the namespace of the model's pods", rule: "a model's namespace is a DNS label", unreachable: "the namespace is the team's (team-<name>), and Team requires team names that make valid namespaces" },
  { file: MODEL, site: "give the labels of the model server", rule: "a model has a pod selector of valid labels", stack: models(model({ podSelector: {} })), expected: [at("monitoring.models[0].podSelector", 'give the labels of the model server\'s pods, e.g. { app: "churn" }, got {}')] },
  {
    file: MODEL,
    site: "use a unique feature label",
    rule: "a model's features have unique label-safe names",
    stack: models(model({ features: [{ name: "tenure", buckets: [1, 2] }, { name: "tenure", buckets: [1, 2] }] })),
    expected: [at("monitoring.models[0].features[1].name", 'use a unique feature label of letters, digits, _ . : or -, got "tenure"')],
  },
  {
    file: MODEL,
    site: "increasing bucket bounds",
    rule: "bucket bounds are 2 to 40, increasing, and written alike by every client",
    stack: models(model({ predictionBuckets: [0.5] })),
    expected: [at("monitoring.models[0].predictionBuckets", "list 2 to 40 increasing bucket bounds, as the server's histogram declares them (without +Inf), each below 1e6 in size and, unless whole, at least 0.0001, got [0.5]")],
  },
  { file: MODEL, site: "use a unique metric label", rule: "quality metrics have unique label-safe names", stack: models(model({ quality: [{ name: "a u c" }] })), expected: [at("monitoring.models[0].quality[0].name", 'use a unique metric label of letters, digits, _ . : or -, got "a u c"')] },
  { file: MODEL, site: "quality[${index}].direction", rule: "a quality metric's direction is known", stack: models(model({ quality: [{ name: "auc", direction: "up" }] })), expected: [at("monitoring.models[0].quality[0].direction", 'use one of higher-is-better, lower-is-better, got "up"')] },
  { file: MODEL, site: "use a finite number, or leave it unset", rule: "a quality baseline is a finite number", unreachable: "the stack schema accepts only finite numbers" },
  { file: MODEL, site: "in the metric's own unit", rule: "a quality metric may drop by more than 0", stack: models(model({ quality: [{ name: "auc", maxDrop: 0 }] })), expected: [at("monitoring.models[0].quality[0].maxDrop", "use a number above 0, in the metric's own unit, got 0")] },
  { file: MODEL, site: "use the name of the container port serving /metrics", rule: "the metrics port is a port name", stack: models(model({ metricsPort: "Metrics" })), expected: [at("monitoring.models[0].metricsPort", 'use the name of the container port serving /metrics (at most 15 lower-case letters, digits and -), got "Metrics"')] },
  { file: MODEL, site: '"monitoringNamespace", monitoringNamespace', rule: "the monitoring namespace is a DNS label", unreachable: CONSTANT("the monitoring namespace (mlp-monitoring)") },
  { file: MODEL, site: "at least 5 (several scrapes)", rule: "the recent window spans several scrapes", stack: models(model({ recentWindowMinutes: 2 })), expected: [at("monitoring.models[0].recentWindowMinutes", "use a whole number of minutes, at least 5 (several scrapes), got 2")] },
  { file: MODEL, site: "referenceWindow.durationHours", rule: "the reference window lasts at least an hour", stack: models(model({ referenceWindow: { durationHours: 0 } })), expected: [at("monitoring.models[0].referenceWindow.durationHours", "use a whole number of hours, at least 1, got 0")] },
  {
    file: MODEL,
    site: "ends the reference window before the recent window",
    rule: "the reference window ends before the recent window starts",
    stack: models(model({ referenceWindow: { offsetHours: 0 } })),
    expected: [at("monitoring.models[0].referenceWindow.offsetHours", "use a whole number of hours that ends the reference window before the recent window of 60 minutes starts, got 0")],
  },
  {
    file: MODEL,
    site: "the reference window reaches",
    rule: "the reference window lies within the metrics Prometheus keeps",
    stack: models(model({ referenceWindow: { durationHours: 200 } })),
    expected: [at("monitoring.models[0].referenceWindow", 'the reference window reaches 224 hours back but Prometheus keeps 7 days of metrics: shorten or move the window, or keep metrics longer, got {"durationHours":200}')],
  },
  { file: MODEL, site: "thresholds.${key}", rule: "drift and failure thresholds are positive", stack: models(model({ thresholds: { featurePsi: 0 } })), expected: [at("monitoring.models[0].thresholds.featurePsi", "use a number above 0, got 0")] },
  { file: MODEL, site: '"thresholds.forMinutes"', rule: "drift holds at least a minute before it alerts", stack: models(model({ thresholds: { forMinutes: 0.5 } })), expected: [at("monitoring.models[0].thresholds.forMinutes", "use a whole number of minutes, at least 1, got 0.5")] },
  { file: PLATFORM_MODELS, site: "name a team of teams", rule: "a model runs in a team's namespace", stack: models(model({ team: "speech" })), expected: [at("monitoring.models[0].team", 'name a team of teams: vision, got "speech"')] },
  { file: PLATFORM_MODELS, site: "declare each model of a team once", rule: "a team declares each model once", stack: models(model(), model()), expected: [at("monitoring.models[1].name", 'declare each model of a team once, got "churn"')] },
];
const VERSION = "use an exact chart version such as";
const WHOLE = "use a whole number of ${unit}, at least 1";

export const MONITORING_RULES: RuleCase[] = [
  { file: MONITORING, site: '"namespace", namespace', rule: "the monitoring namespace is a DNS label", unreachable: CONSTANT("the monitoring namespace (mlp-monitoring)") },
  { file: MONITORING, site: VERSION, rule: "kube-prometheus-stack's version is exact", stack: (s) => (s["monitoring"] = { version: "88.x" }), expected: [at("monitoring.version", 'use an exact chart version such as "88.5.0", got "88.x"')] },
  { file: MONITORING, site: VERSION, rule: "OpenCost's version is exact", stack: (s) => (s["monitoring"] = { opencost: { version: "latest" } }), expected: [at("monitoring.opencost.version", 'use an exact chart version such as "2.5.0", got "latest"')] },
  { file: MONITORING, site: "use a StorageClass name", rule: "Prometheus's StorageClass is a name Kubernetes takes", stack: (s) => (s["monitoring"] = { storageClass: "Fast_SSD" }), expected: [at("monitoring.storageClass", 'use a StorageClass name (lower-case letters, digits, "-" and "."), such as "gp3", got "Fast_SSD"')] },
  { file: MONITORING, site: "use a StorageClass name", rule: "a StorageClass name has no spaces", stack: (s) => (s["monitoring"] = { storageClass: "fast ssd" }), expected: [at("monitoring.storageClass", 'use a StorageClass name (lower-case letters, digits, "-" and "."), such as "gp3", got "fast ssd"')] },
  { file: MONITORING, site: WHOLE, rule: "metrics are kept at least a day", stack: (s) => (s["monitoring"] = { retentionDays: 0 }), expected: [at("monitoring.retentionDays", "use a whole number of days, at least 1, got 0")] },
  { file: MONITORING, site: WHOLE, rule: "Prometheus's volume is at least 1 GiB", stack: (s) => (s["monitoring"] = { storageGiB: 0.5 }), expected: [at("monitoring.storageGiB", "use a whole number of GiB, at least 1, got 0.5")] },
  { file: MONITORING, site: '"replicas", replicas', rule: "Prometheus runs at least one replica", unreachable: "the value comes from availability.replicas, where every service reports the same words first (one report per key)" },
  {
    file: MONITORING,
    site: '"prometheusUrl", prometheusUrl',
    rule: "OpenCost reads Prometheus over http(s)",
    stack: (s) => (s["monitoring"] = { opencost: { prometheusUrl: "prometheus:9090" } }),
    expected: [at("monitoring.opencost.prometheusUrl", 'use an http(s) URL such as http://prometheus.monitoring.svc:9090, got "prometheus:9090"')],
  },
  {
    file: MONITORING,
    site: "OpenCost reads prices from Prometheus",
    rule: "OpenCost on the cluster's own Prometheus needs its URL",
    stack: (s) => {
      s.cluster["preinstalledOperators"] = ["prometheus-operator"];
      s["monitoring"] = { opencost: { enabled: true } };
    },
    expected: [at("monitoring.opencost.prometheusUrl", "required; OpenCost reads prices from Prometheus: give the URL of the cluster's Prometheus, or turn opencost off")],
  },
  { file: MONITORING, site: "alertReceivers[${index}].name", rule: "receiver names are unique labels", unreachable: CONSTANT("one receiver name per secret key") },
  { file: MONITORING, site: "alertReceivers[${index}].kind", rule: "receiver kinds are known", unreachable: CONSTANT("each receiver's kind") },
  { file: MONITORING, site: "alertReceivers[${index}].minSeverity", rule: "receiver severities are known", unreachable: CONSTANT("each receiver's least severity") },
  {
    file: MONITORING,
    site: "receivers configure the Alertmanager this stack installs",
    rule: "alert receivers need the platform's Alertmanager",
    unreachable: "infra passes the receivers' secret keys only when the platform installs Alertmanager (the Prometheus Operator is not preinstalled)",
  },
  {
    file: MONITORING,
    site: "alertReceivers[${index}].${credential}",
    rule: "a receiver has its URL or PagerDuty key",
    unreachable: "infra makes a receiver only from a secret key that is set, and gives it that key's value as its URL or routing key",
  },
  {
    file: MONITORING,
    site: "alertReceivers[${index}].team",
    rule: "a team receiver names a team",
    unreachable: "infra passes receivers only for teams of `teams` (the section's check reports any other name at monitoring.teamReceivers), and Team requires their names to be DNS labels",
  },
  { file: MONITORING, site: "use an amount of USD, 0 or more", rule: "the GPU budget is not negative", unreachable: "the value comes from gpu.monthlyBudgetUsd, which the stack schema already requires to be 0 or more" },
  { file: MONITORING, site: "monitored[${index}]", rule: "monitored capabilities are known", unreachable: CONSTANT("the capabilities it monitors") },
  { file: MONITORING, site: "${property}[${index}]", rule: "platform namespaces are DNS labels", unreachable: "the namespaces are the platform's constants" },

  ...MODEL_RULES,
];
