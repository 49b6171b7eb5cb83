/** The rules of MonitoringStack, each from a stack file. */
import { at, CONSTANT, type RuleCase } from "./cases.js";

const MONITORING = "monitoring/monitoring-stack.ts";
const VERSION = "use an exact chart version such as";
const WHOLE = "use a whole number of ${unit}, at least 1";

export const MONITORING_RULES: RuleCase[] = [
  { file: MONITORING, site: '"namespace", namespace', rule: "the monitoring namespace is a DNS label", unreachable: CONSTANT("the monitoring namespace (mlp-monitoring)") },
  { file: MONITORING, site: VERSION, rule: "kube-prometheus-stack's version is exact", stack: (s) => (s["monitoring"] = { version: "88.x" }), expected: [at("monitoring.version", 'use an exact chart version such as "88.5.0", got "88.x"')] },
  { file: MONITORING, site: VERSION, rule: "OpenCost's version is exact", stack: (s) => (s["monitoring"] = { opencost: { version: "latest" } }), expected: [at("monitoring.opencost.version", 'use an exact chart version such as "2.5.0", got "latest"')] },
  { file: MONITORING, site: WHOLE, rule: "metrics are kept at least a day", stack: (s) => (s["monitoring"] = { retentionDays: 0 }), expected: [at("monitoring.retentionDays", "use a whole number of days, at least 1, got 0")] },
  { file: MONITORING, site: WHOLE, rule: "Prometheus's volume is at least 1 GiB", stack: (s) => (s["monitoring"] = { storageGiB: 0.5 }), expected: [at("monitoring.storageGiB", "use a whole number of GiB, at least 1, got 0.5")] },
  { file: MONITORING, site: '"replicas", replicas', rule: "Prometheus runs at least one replica", unreachable: "the value comes from availability.replicas, where every service reports the same words first (one report per key)" },
  { file: MONITORING, site: WHOLE, rule: "drift holds at least a minute before it alerts", stack: (s) => (s["monitoring"] = { drift: { forMinutes: 0 } }), expected: [at("monitoring.drift.forMinutes", "use a whole number of minutes, at least 1, got 0")] },
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
  { file: MONITORING, site: "use a number above 0", rule: "drift thresholds are positive", stack: (s) => (s["monitoring"] = { drift: { featureDrift: 0 } }), expected: [at("monitoring.drift.featureDrift", "use a number above 0, got 0")] },
  { file: MONITORING, site: "use an amount of USD, 0 or more", rule: "the GPU budget is not negative", unreachable: "the value comes from gpu.monthlyBudgetUsd, which the stack schema already requires to be 0 or more" },
  { file: MONITORING, site: "monitored[${index}]", rule: "monitored capabilities are known", unreachable: CONSTANT("the capabilities it monitors") },
  { file: MONITORING, site: "${property}[${index}]", rule: "model and platform namespaces are DNS labels", unreachable: "the namespaces are the teams' (Team reports a bad name first) and the platform's constants" },
];
