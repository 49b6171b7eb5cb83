import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { MonitoredCapability } from "@mlops-platform/components";
import {
  catalogMetrics,
  costRules,
  DEFAULT_DRIFT_THRESHOLDS,
  driftRules,
  isAlertingRule,
  monitoringRuleGroups,
  ruleFileYaml,
  type PrometheusRuleGroup,
} from "@mlops-platform/components/internal";
import { metricNames } from "./promql.js";
import { ALERT_CASES, alertTestFile, TEST_GPU_BUDGET_USD, TEST_PLATFORM_NAMESPACES } from "./alert-cases.js";
import { requirePromtool, runPromtool } from "./promtool.js";

const ALL_CAPABILITIES = Object.values(MonitoredCapability);

/** Everything on: every group the platform can ship. */
const allGroups = (): PrometheusRuleGroup[] =>
  monitoringRuleGroups({
    monitored: ALL_CAPABILITIES,
    cost: true,
    gpuMonthlyBudgetUsd: TEST_GPU_BUDGET_USD,
    drift: DEFAULT_DRIFT_THRESHOLDS,
    platformNamespaces: TEST_PLATFORM_NAMESPACES,
  });

const alertNames = (groups: PrometheusRuleGroup[]) => groups.flatMap((group) => group.rules.filter(isAlertingRule).map((rule) => rule.alert));

describe("the platform's rules", () => {
  it("has one group per capability that runs, cost with OpenCost, and model drift always", () => {
    const names = (monitored: MonitoredCapability[], cost: boolean) =>
      monitoringRuleGroups({ monitored, cost, drift: DEFAULT_DRIFT_THRESHOLDS, platformNamespaces: [] }).map((group) => group.name);
    expect(names([], false)).toEqual(["mlp-models"]);
    expect(names([MonitoredCapability.Gpus], true)).toEqual(["mlp-gpus", "mlp-cost", "mlp-models"]);
    expect(allGroups().map((group) => group.name)).toEqual(["mlp-targets", "mlp-gpus", "mlp-gateway", "mlp-notebooks", "mlp-databases", "mlp-training", "mlp-cost", "mlp-models"]);
  });

  it("reads only metrics of the catalog, or series the rules themselves record", () => {
    const groups = allGroups();
    const known = new Set([
      ...catalogMetrics().flatMap((info) => (info.type === "histogram" ? [`${info.name}_bucket`] : [info.name])),
      ...groups.flatMap((group) => group.rules.flatMap((rule) => ("record" in rule ? [rule.record] : []))),
      "up",
      "ALERTS",
    ]);
    const read = groups.flatMap((group) => group.rules.flatMap((rule) => metricNames(rule.expr)));
    expect(read.filter((name) => !known.has(name))).toEqual([]);
    expect(new Set(read)).toContain("DCGM_FI_DEV_XID_ERRORS");
    expect(metricNames('sum by (le) (rate(litellm_request_total_latency_metric_bucket{model="a"}[5m])) > on (node) group_left () x')).toEqual(["litellm_request_total_latency_metric_bucket", "x"]);
  });

  it("labels every alert with a severity and explains it", () => {
    for (const rule of allGroups().flatMap((group) => group.rules.filter(isAlertingRule))) {
      expect(["critical", "warning"]).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length).toBeGreaterThan(10);
      expect(rule.annotations.description.length).toBeGreaterThan(20);
    }
  });

  it("alerts on GPU spend only with a budget, at the budget's monthly figure", () => {
    expect(alertNames([costRules({})])).toEqual(["CostDataMissing"]);
    const overBudget = costRules({ gpuMonthlyBudgetUsd: 5000 }).rules.filter(isAlertingRule).find((rule) => rule.alert === "GpuSpendOverBudget");
    expect(overBudget?.expr).toBe("mlp:cluster_gpu_cost_usd_per_hour:sum * 730 > 5000");
  });

  it("takes drift thresholds from its input", () => {
    const rules = driftRules({ ...DEFAULT_DRIFT_THRESHOLDS, featureDrift: 0.3, forMinutes: 30 }).rules.filter(isAlertingRule);
    expect(rules.find((rule) => rule.alert === "ModelFeatureDrift")).toMatchObject({ expr: "max by (namespace, model, version, feature) (mlp_model_feature_drift_score) > 0.3", for: "30m" });
  });

  it("has a promtool case for every alert it ships, and none for an alert it does not", () => {
    expect(ALERT_CASES.map((c) => c.alert).sort()).toEqual(alertNames(allGroups()).sort());
  });

  it("writes a rule file Prometheus reads", () => {
    const parsed = parse(ruleFileYaml(allGroups())) as { groups: Array<{ name: string; rules: unknown[] }> };
    expect(parsed.groups.map((group) => group.name)).toContain("mlp-models");
  });
});

const promtool = requirePromtool();

describe.skipIf(!promtool)("the platform's rules in the real promtool", () => {
  it("pass promtool check rules", () => {
    const result = runPromtool(promtool!, { "rules.yaml": ruleFileYaml(allGroups()) }, ["check", "rules", "rules.yaml"]);
    expect(result.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(result.ok, result.output).toBe(true);
  });

  it("fire on the series of each failure, with the labels a receiver routes on, and stay quiet otherwise", () => {
    const result = runPromtool(
      promtool!,
      { "rules.yaml": ruleFileYaml(allGroups()), "tests.yaml": alertTestFile("rules.yaml", ALERT_CASES) },
      ["test", "rules", "tests.yaml"],
    );
    expect(result.ok, result.output).toBe(true);
  });

  it("notice a broken case: promtool fails a test whose alert does not fire", () => {
    const broken = ALERT_CASES.filter((c) => c.alert === "ModelFeatureDrift").map((c) => ({ ...c, firing: c.quiet }));
    const result = runPromtool(
      promtool!,
      { "rules.yaml": ruleFileYaml(allGroups()), "tests.yaml": alertTestFile("rules.yaml", broken) },
      ["test", "rules", "tests.yaml"],
    );
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/exp: \{alertname="ModelFeatureDrift".*\n\s*got: nil/);
  });
});
