import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { MonitoredCapability } from "@mlops-platform/components";
import {
  catalogMetrics,
  dashboardConfigMap,
  dashboardQueries,
  DEFAULT_RUNBOOK_URL,
  exposedSeries,
  modelDashboard,
  modelRules,
  monitoringDashboards,
  monitoringRuleGroups,
  ruleFileYaml,
  type Dashboard,
  type MetricInfo,
} from "@mlops-platform/components/internal";
import { TEST_MODEL } from "./model-cases.js";
import { metricNames } from "./promql.js";
import { requirePromtool, runPromtool } from "./promtool.js";

const content = {
  monitored: Object.values(MonitoredCapability),
  cost: true,
  gpuMonthlyBudgetUsd: 5000,
  platformNamespaces: ["mlp-gateway"],
  runbooks: DEFAULT_RUNBOOK_URL,
};
/** Every dashboard the stack ships, and a monitored model's. */
const dashboards = (): Dashboard[] => [...monitoringDashboards(content), modelDashboard(TEST_MODEL)];
/** The rules whose recorded series the dashboards read. */
const ruleGroups = () => [...monitoringRuleGroups(content), modelRules(TEST_MODEL)];

/** Grafana's variables as Grafana would expand them with "All" selected. */
function expandVariables(expr: string): string {
  return expr.replace(/\$__rate_interval/g, "5m").replace(/\$(namespace|model|version|team|environment)\b/g, ".*");
}

/**
 * A sample of every catalog metric, labelled the way the exporters label them and the queries filter
 * them: what a cluster running everything would show Prometheus.
 */
const LABEL_VALUES: Record<string, string> = {
  Hostname: "gpu-node-1",
  gpu: "0",
  UUID: "GPU-1",
  modelName: "NVIDIA L4",
  namespace: "team-vision",
  pod: "churn-0",
  container: "server",
  model: "churn",
  team: "t-1",
  team_alias: "vision",
  litellm_model_name: "chat-default",
  api_provider: "openai",
  requested_model: "chat-default",
  fallback_model: "chat-small",
  node: "gpu-node-1",
  instance_type: "g6.xlarge",
  cluster_queue: "team-vision",
  status: "inadmissible",
  cluster: "gateway-db",
  datname: "litellm",
  persistentvolume: "pv-1",
  feature: "tenure",
  version: "3",
  phase: "Running",
  unit: "integer",
  metric: "auc",
  condition: "true",
  owner_kind: "JobSet",
  environment: "prod",
  commit: "0123abc",
  name: "prod-1",
};
/** Gauges whose value the queries compare: a running pod's phase, a stopped notebook, a failed Job. */
const GAUGE_VALUES: Record<string, string> = {
  kube_pod_status_phase: "1",
  kube_statefulset_replicas: "0",
  kube_job_failed: "1",
  ml_model_quality: "0.8",
};
/** Bucket bounds of the histograms whose bins the queries name: the test model's. */
const BUCKETS: Record<string, string[]> = {
  ml_feature_value_bucket: ["1.0", "2.0", "5.0", "+Inf"],
  ml_prediction_value_bucket: ["0.25", "0.5", "0.75", "+Inf"],
};
/** Minutes of samples: the model's reference window ends an hour ago and lasts two. */
const MINUTES = 240;
/** Labels whose values the queries select on, per metric. */
const SELECTED: Record<string, Array<Record<string, string>>> = {
  // Deployment records: a failed deployment, the success that restored it, and a failure since.
  mlp_deployment_deployed_timestamp_seconds: [
    { result: "failed", name: "prod-1" },
    { result: "succeeded", name: "prod-2" },
    { result: "failed", name: "prod-3" },
  ],
  mlp_deployment_merged_timestamp_seconds: [
    { result: "failed", name: "prod-1" },
    { result: "succeeded", name: "prod-2" },
    { result: "failed", name: "prod-3" },
  ],
  kube_pod_container_resource_requests: [{ resource: "nvidia_com_gpu" }],
  kube_resourcequota: [
    { resource: "requests.nvidia.com/gpu", type: "used" },
    { resource: "requests.nvidia.com/gpu", type: "hard" },
    { resource: "requests.cpu", type: "used" },
    { resource: "requests.cpu", type: "hard" },
  ],
};

/** Values of each SELECTED variant, where they must differ: when each deployment ended, and was merged. */
const VARIANT_VALUES: Record<string, string[]> = {
  mlp_deployment_deployed_timestamp_seconds: ["600", "1200", "1800"],
  mlp_deployment_merged_timestamp_seconds: ["300", "900", "1500"],
};

function samples(info: MetricInfo): Array<{ series: string; values: string }> {
  const variants = SELECTED[info.name] ?? [{}];
  return variants.flatMap((selected, variant) => {
    const labels = Object.fromEntries(info.labels.map((label) => [label, LABEL_VALUES[label] ?? "x"]));
    const base = { ...labels, ...selected };
    // Counters and histograms grow (each bucket more than the one below); timestamps stay recent; gauges
    // hold a value that passes "> 0" filters, or the one their query selects.
    const gauge = VARIANT_VALUES[info.name]?.[variant] ?? (info.name.endsWith("timestamp") || info.name.endsWith("timestamp_seconds") ? "0+60" : (GAUGE_VALUES[info.name] ?? "2"));
    return exposedSeries(info).flatMap((series) => {
      const buckets = series.endsWith("_bucket") ? (BUCKETS[series] ?? ["1", "10", "+Inf"]) : [undefined];
      return buckets.map((le, index) => ({
        series: `${series}${labelSet(le === undefined ? base : { ...base, le })}`,
        values: info.type === "gauge" ? `${gauge}x${MINUTES}` : `0+${10 * (index + 1)}x${MINUTES}`,
      }));
    });
  });
}

function labelSet(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(", ")}}`;
}

describe("the platform's dashboards", () => {
  it("are one per monitored capability, cost with OpenCost, and the models' overview and delivery (DORA) always, with stable uids", () => {
    expect(monitoringDashboards(content).map((dashboard) => dashboard.uid)).toEqual(["mlp-gpus", "mlp-gateway", "mlp-workloads", "mlp-databases", "mlp-cost", "mlp-models", "mlp-delivery"]);
    expect(monitoringDashboards({ ...content, monitored: [], cost: false }).map((dashboard) => dashboard.uid)).toEqual(["mlp-models", "mlp-delivery"]);
  });

  it("query the Prometheus datasource the viewer picks, through a variable", () => {
    for (const dashboard of dashboards()) {
      expect(dashboard.templating?.list?.[0]).toMatchObject({ type: "datasource", name: "datasource", query: "prometheus" });
      for (const panel of dashboard.panels ?? []) {
        if (panel.type !== "row") expect((panel as { datasource?: unknown }).datasource).toEqual({ type: "prometheus", uid: "${datasource}" });
      }
    }
  });

  it("read only metrics of the catalog, or series the platform's rules record", () => {
    const recorded = ruleGroups().flatMap((group) => group.rules.flatMap((rule) => ("record" in rule ? [rule.record] : [])));
    const known = new Set([...catalogMetrics().flatMap(exposedSeries), ...recorded]);
    const read = dashboards().flatMap((dashboard) => dashboardQueries(dashboard).flatMap((expr) => metricNames(expandVariables(expr))));
    expect(read.filter((name) => !known.has(name))).toEqual([]);
    expect(new Set(read)).toContain("mlp:namespace_gpu_cost_usd_per_hour:sum");
    expect(new Set(read)).toContain("mlp:dora_change_failure_rate:ratio_30d");
  });

  it("show the GPU budget on the cost dashboard, and a model's PSI reading, thresholds and features on its own", () => {
    expect(JSON.stringify(dashboards())).toContain("the budget is 5000 USD");
    const model = modelDashboard(TEST_MODEL);
    expect(model).toMatchObject({ uid: "mlp-model-team-vision-churn", title: "ML model / team-vision / churn" });
    const json = JSON.stringify(model);
    expect(json).toContain("PSI below 0.1 is stable, 0.1 to 0.2 a moderate shift, above 0.2 a significant one; an alert fires above 0.2 held for 30 minutes. Features: tenure, monthly_spend.");
    expect(json).toContain("auc: 0.85, log_loss: its reference-window average");
  });

  it("offer a team variable where they show teams", () => {
    for (const uid of ["mlp-gpus", "mlp-gateway", "mlp-workloads", "mlp-cost"]) {
      const dashboard = dashboards().find((d) => d.uid === uid)!;
      expect(dashboard.templating?.list?.map((variable) => variable.name), uid).toContain("team");
    }
  });

  it("ship as ConfigMaps Grafana's sidecar loads", () => {
    const [gpus] = dashboards();
    const configMap = dashboardConfigMap("mlp-monitoring", gpus!);
    expect(configMap.metadata).toMatchObject({ name: "mlp-gpus-dashboard", namespace: "mlp-monitoring", labels: { grafana_dashboard: "1" } });
    expect(JSON.parse(configMap.data!["mlp-gpus.json"]!)).toMatchObject({ uid: "mlp-gpus", title: "ML platform / GPUs" });
  });
});

const promtool = requirePromtool();

describe.skipIf(!promtool)("every dashboard query in the real promtool", () => {
  const queries = () => [...new Set(dashboards().flatMap((dashboard) => dashboardQueries(dashboard)))];

  it("parses", () => {
    const groups = [{ name: "dashboard-queries", rules: queries().map((expr, index) => ({ record: `dashboard:query_${index}`, expr: expandVariables(expr) })) }];
    const result = runPromtool(promtool!, { "queries.yaml": stringify({ groups }, { lineWidth: 0 }) }, ["check", "rules", "queries.yaml"]);
    expect(result.ok, result.output).toBe(true);
  });

  const runQueries = (exprs: string[]) => {
    const input = catalogMetrics().flatMap(samples);
    const tests = stringify(
      {
        rule_files: ["rules.yaml"],
        evaluation_interval: "1m",
        tests: [
          {
            interval: "1m",
            input_series: input,
            promql_expr_test: exprs.map((expr) => ({ expr: `count(${expandVariables(expr)}) > bool 0`, eval_time: `${MINUTES - 10}m`, exp_samples: [{ labels: "{}", value: 1 }] })),
          },
        ],
      },
      { lineWidth: 0 },
    );
    return runPromtool(promtool!, { "rules.yaml": ruleFileYaml(ruleGroups()), "tests.yaml": tests }, ["test", "rules", "tests.yaml"]);
  };

  it("returns data from the series a cluster running everything exports", () => {
    const result = runQueries(queries());
    expect(result.ok, result.output).toBe(true);
  });

  it("would notice a query that returns nothing (a misspelt metric or label)", () => {
    const result = runQueries(['sum by (namespace) (notebook_running{namespace="no-such-team"})']);
    expect(result.ok).toBe(false);
    expect(result.output).toContain("got: nil");
  });
});
