import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { MonitoredCapability } from "@mlops-platform/components";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  catalogMetrics,
  costRules,
  DEFAULT_RUNBOOK_URL,
  isAlertingRule,
  modelRules,
  monitoringRuleGroups,
  ruleFileYaml,
  type PrometheusRuleGroup,
} from "@mlops-platform/components/internal";
import { metricNames } from "./promql.js";
import { ALERT_CASES, alertTestFile, TEST_GPU_BUDGET_USD, TEST_PLATFORM_NAMESPACES } from "./alert-cases.js";
import { LOG_LOSS_CASE, MODEL_ALERT_CASES, TEST_MODEL } from "./model-cases.js";
import { requirePromtool, runPromtool } from "./promtool.js";
import { ROOT } from "../../infra/config-helpers.js";

const ALL_CAPABILITIES = Object.values(MonitoredCapability);
const RUNBOOKS = fs.readFileSync(path.join(ROOT, "docs", "runbooks.md"), "utf8");

/** Everything on: every group the platform can ship, and a monitored model's. */
const allGroups = (): PrometheusRuleGroup[] => [
  ...monitoringRuleGroups({
    monitored: ALL_CAPABILITIES,
    cost: true,
    gpuMonthlyBudgetUsd: TEST_GPU_BUDGET_USD,
    platformNamespaces: TEST_PLATFORM_NAMESPACES,
    runbooks: DEFAULT_RUNBOOK_URL,
  }),
  modelRules(TEST_MODEL),
];

const alertNames = (groups: PrometheusRuleGroup[]) => groups.flatMap((group) => group.rules.filter(isAlertingRule).map((rule) => rule.alert));

describe("the platform's rules", () => {
  it("has one group per capability that runs, cost with OpenCost, and the monitoring stack's own health and delivery (DORA) always", () => {
    const names = (monitored: MonitoredCapability[], cost: boolean) =>
      monitoringRuleGroups({ monitored, cost, platformNamespaces: [], runbooks: DEFAULT_RUNBOOK_URL }).map((group) => group.name);
    expect(names([], false)).toEqual(["mlp-monitoring", "mlp-delivery"]);
    expect(names([MonitoredCapability.Gpus], true)).toEqual(["mlp-monitoring", "mlp-gpus", "mlp-cost", "mlp-delivery"]);
    expect(allGroups().map((group) => group.name)).toEqual([
      "mlp-targets",
      "mlp-monitoring",
      "mlp-gpus",
      "mlp-gateway",
      "mlp-notebooks",
      "mlp-databases",
      "mlp-training",
      "mlp-cost",
      "mlp-delivery",
      "mlp-model-team-vision-churn",
    ]);
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

  it("labels every alert with a severity, explains it, and links its section of docs/runbooks.md", () => {
    const headings = new Set([...RUNBOOKS.matchAll(/^## (\w+)$/gm)].map((match) => match[1]!.toLowerCase()));
    for (const rule of allGroups().flatMap((group) => group.rules.filter(isAlertingRule))) {
      expect(["critical", "warning"]).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length).toBeGreaterThan(10);
      expect(rule.annotations.description.length).toBeGreaterThan(20);
      expect(rule.annotations.runbook_url).toBe(`docs/runbooks.md#${rule.alert.toLowerCase()}`);
      expect(headings.has(rule.alert.toLowerCase()), `docs/runbooks.md has no section "## ${rule.alert}"`).toBe(true);
    }
  });

  it("has a runbook section for every alert, and none for an alert it does not ship", () => {
    const sections = [...RUNBOOKS.matchAll(/^## (\w+)$/gm)].map((match) => match[1]!);
    expect(sections.sort()).toEqual([...new Set(alertNames(allGroups()))].sort());
  });

  it("alerts on GPU spend only with a budget, at the budget's monthly figure", () => {
    expect(alertNames([costRules({ runbooks: DEFAULT_RUNBOOK_URL })])).toEqual(["CostDataMissing"]);
    const overBudget = costRules({ gpuMonthlyBudgetUsd: 5000, runbooks: DEFAULT_RUNBOOK_URL }).rules.filter(isAlertingRule).find((rule) => rule.alert === "GpuSpendOverBudget");
    expect(overBudget?.expr).toBe("mlp:cluster_gpu_cost_usd_per_hour:sum * 730 > 5000");
  });

  it("takes a model's drift threshold and hold time from its monitor", () => {
    const rules = modelRules({ ...TEST_MODEL, thresholds: { ...TEST_MODEL.thresholds, featurePsi: 0.3, forMinutes: 45 } }).rules.filter(isAlertingRule);
    expect(rules.find((rule) => rule.alert === "ModelDataDrift")).toMatchObject({ expr: 'mlp:ml_feature_value:psi{namespace="team-vision", model="churn"} > 0.3', for: "45m", labels: { severity: "warning", team: "vision" } });
  });

  it("names every bin of a feature from its bounds: the first bucket, the differences of adjacent ones, and above the last", () => {
    const shares = modelRules(TEST_MODEL).rules.find((rule) => "record" in rule && rule.record === "mlp:ml_feature_value:bin_share_recent")!;
    const tenure = shares.expr.split(" or ").filter((bin) => bin.includes('feature="tenure"'));
    expect(tenure).toHaveLength(4);
    expect(tenure[0]).toContain('le=~"1|1\\\\.0"');
    expect(tenure[1]).toContain('le=~"2|2\\\\.0"} - ignoring (le) group_left () mlp:ml_feature_value_bucket:increase_recent{namespace="team-vision", model="churn", feature="tenure", le=~"1|1\\\\.0"}');
    expect(tenure[3]).toContain('le="+Inf"} - ignoring (le) group_left ()');
    // Empty bins are clamped, so ln(p / q) stays finite.
    for (const bin of tenure) expect(bin).toMatch(/^clamp_min\(.*, 0\.0001\)$/);
  });

  it("labels alerts about a team's namespace, budget or queue with the team, and no other", () => {
    const rules = allGroups().flatMap((group) => group.rules.filter(isAlertingRule));
    const teamed = rules.filter((rule) => rule.expr.includes('"team", "$1"') || rule.labels["team"] !== undefined).map((rule) => rule.alert);
    expect(new Set(teamed)).toEqual(
      new Set([
        "GpuMemoryNearlyFull",
        "GpuAllocatedButIdle",
        "GatewayTeamBudgetNearlySpent",
        "GatewayTeamBudgetExhausted",
        "NotebookCreationFailing",
        "NotebookGpuIdle",
        "TrainingJobFailed",
        "TrainingQueueBlocked",
        "TrainingQueueStuck",
        ...MODEL_ALERT_CASES.map((c) => c.alert),
      ]),
    );
  });

  it("has a promtool case for every alert it ships, and none for an alert it does not", () => {
    expect([...ALERT_CASES, ...MODEL_ALERT_CASES].map((c) => c.alert).sort()).toEqual(alertNames(allGroups()).sort());
  });

  it("writes a rule file Prometheus reads, the model's group every 5 minutes", () => {
    const parsed = parse(ruleFileYaml(allGroups())) as { groups: Array<{ name: string; interval?: string; rules: unknown[] }> };
    expect(parsed.groups.find((group) => group.name === "mlp-model-team-vision-churn")?.interval).toBe("5m");
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

  it("compute a model's drift from its histograms: a shifting feature fires data drift, a stable one stays silent; predictions likewise; quality below its baseline fires concept drift", () => {
    const result = runPromtool(
      promtool!,
      { "rules.yaml": ruleFileYaml([modelRules(TEST_MODEL)]), "tests.yaml": alertTestFile("rules.yaml", [...MODEL_ALERT_CASES, LOG_LOSS_CASE]) },
      ["test", "rules", "tests.yaml"],
    );
    expect(result.ok, result.output).toBe(true);
  });

  it("record the PSI of the bins: Σ (p − q) · ln(p / q), as computed here by hand", () => {
    // tenure: 10 observations a minute in each of its 4 bins, then [0, 2, 8, 30]; at 270m the recent hour
    // is all shifted and the reference (the 2 hours ending an hour ago) is 1.5 hours even, 0.5 shifted.
    const recent = [0.0001, 2 / 40, 8 / 40, 30 / 40];
    const reference = [0, 1, 2, 3].map((bin) => (90 * 10 + 30 * [0, 2, 8, 30][bin]!) / (120 * 40));
    const expected = recent.reduce((sum, p, bin) => sum + (p - reference[bin]!) * Math.log(p / reference[bin]!), 0);
    const dataDrift = MODEL_ALERT_CASES.find((c) => c.alert === "ModelDataDrift")!;
    const tests = stringify({
      rule_files: ["rules.yaml"],
      evaluation_interval: "1m",
      tests: [
        {
          interval: "1m",
          input_series: dataDrift.firing.map(([series, values]) => ({ series, values })),
          promql_expr_test: [
            // Within 2%: increase() extrapolates at the windows' edges.
            { expr: `mlp:ml_feature_value:psi{feature="tenure"} > bool ${expected * 0.98} and mlp:ml_feature_value:psi{feature="tenure"} < bool ${expected * 1.02}`, eval_time: "270m", exp_samples: [{ labels: '{namespace="team-vision", model="churn", feature="tenure"}', value: 1 }] },
            { expr: 'mlp:ml_feature_value:psi{feature="monthly_spend"} < bool 0.1', eval_time: "270m", exp_samples: [{ labels: '{namespace="team-vision", model="churn", feature="monthly_spend"}', value: 1 }] },
          ],
        },
      ],
    });
    const result = runPromtool(promtool!, { "rules.yaml": ruleFileYaml([modelRules(TEST_MODEL)]), "tests.yaml": tests }, ["test", "rules", "tests.yaml"]);
    expect(result.ok, result.output).toBe(true);
  });

  it("notice a broken case: promtool fails a test whose alert does not fire", () => {
    const broken = MODEL_ALERT_CASES.filter((c) => c.alert === "ModelDataDrift").map((c) => ({ ...c, firing: c.quiet }));
    const result = runPromtool(
      promtool!,
      { "rules.yaml": ruleFileYaml(allGroups()), "tests.yaml": alertTestFile("rules.yaml", broken) },
      ["test", "rules", "tests.yaml"],
    );
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/exp: \{alertname="ModelDataDrift".*\n\s*got: nil/);
  });
});
