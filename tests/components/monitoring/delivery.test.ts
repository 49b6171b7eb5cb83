/**
 * DORA for the platform itself: the four keys per environment, computed by the delivery rules from the
 * deployment records kube-state-metrics exports, proved with promtool on records written over time; the
 * records' CRD and kube-state-metrics' configuration agree with the metric catalog the rules read.
 */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
  DEPLOYMENT_RECORD,
  DEPLOYMENT_RECORDS,
  deliveryRules,
  deploymentRecordCrd,
  deploymentRecordStateMetrics,
  DORA_SERIES,
  DORA_WINDOW_DAYS,
  prometheusStackValues,
  ruleFileYaml,
} from "@mlops-platform/components/internal";
import { metricNames } from "./promql.js";
import { requirePromtool, runPromtool } from "./promtool.js";

/** One DeploymentRecord as kube-state-metrics exports it from the moment the pipeline writes it. */
interface Deployment {
  environment: string;
  name: string;
  commit: string;
  result: "succeeded" | "failed";
  /** Seconds since the test's start. */
  mergedAt: number;
  deployedAt: number;
}

/** The test's scrape and evaluation step, the delivery group's interval. */
const STEP_MINUTES = 5;

/** kube-state-metrics' labels of a record's gauges: the configured ones and its own custom resource labels. */
function recordLabels(record: Deployment): string {
  return [
    `customresource_group="${DEPLOYMENT_RECORD.group}"`,
    `customresource_kind="${DEPLOYMENT_RECORD.kind}"`,
    `customresource_version="${DEPLOYMENT_RECORD.version}"`,
    `environment="${record.environment}"`,
    `commit="${record.commit}"`,
    `result="${record.result}"`,
    `name="${record.name}"`,
  ].join(", ");
}

/** Both gauges of each record: absent until the deployment ends (the record is written then), constant after. */
function inputSeries(records: readonly Deployment[], minutes: number): Array<{ series: string; values: string }> {
  const steps = minutes / STEP_MINUTES;
  return records.flatMap((record) => {
    const missing = Math.ceil(record.deployedAt / 60 / STEP_MINUTES);
    const values = (value: number) => `${missing > 0 ? `_x${missing} ` : ""}${value}x${steps - missing}`;
    return [
      { series: `${DEPLOYMENT_RECORDS.metrics.deployed.name}{${recordLabels(record)}}`, values: values(record.deployedAt) },
      { series: `${DEPLOYMENT_RECORDS.metrics.merged.name}{${recordLabels(record)}}`, values: values(record.mergedAt) },
    ];
  });
}

const minutes = (m: number) => m * 60;

/**
 * prod: a success, two failed deployments, the success that restores it, another success. dev: two
 * successes. Times in seconds since the test's start.
 */
const HISTORY: Deployment[] = [
  { environment: "prod", name: "prod-s1", commit: "a1a1a1a", result: "succeeded", mergedAt: minutes(10), deployedAt: minutes(30) },
  { environment: "prod", name: "prod-f1", commit: "b2b2b2b", result: "failed", mergedAt: minutes(50), deployedAt: minutes(60) },
  { environment: "prod", name: "prod-f2", commit: "c3c3c3c", result: "failed", mergedAt: minutes(80), deployedAt: minutes(90) },
  { environment: "prod", name: "prod-s2", commit: "d4d4d4d", result: "succeeded", mergedAt: minutes(60), deployedAt: minutes(120) },
  { environment: "prod", name: "prod-s3", commit: "e5e5e5e", result: "succeeded", mergedAt: minutes(145), deployedAt: minutes(150) },
  { environment: "dev", name: "dev-s1", commit: "f6f6f6f", result: "succeeded", mergedAt: minutes(0), deployedAt: minutes(20) },
  { environment: "dev", name: "dev-s2", commit: "a7a7a7a", result: "succeeded", mergedAt: minutes(40), deployedAt: minutes(70) },
];

interface Expectation {
  expr: string;
  eval_time: string;
  exp_samples: Array<{ labels: string; value: number }>;
}

/** promtool's unit-test file for the delivery rules. */
function testFile(records: readonly Deployment[], totalMinutes: number, expectations: Expectation[]): string {
  return stringify(
    {
      rule_files: ["rules.yaml"],
      evaluation_interval: `${STEP_MINUTES}m`,
      tests: [{ interval: `${STEP_MINUTES}m`, input_series: inputSeries(records, totalMinutes), promql_expr_test: expectations }],
    },
    { lineWidth: 0 },
  );
}

const byEnvironment = (series: string, values: Record<string, number>, evalTime: string): Expectation => ({
  expr: series,
  eval_time: evalTime,
  exp_samples: Object.entries(values).map(([environment, value]) => ({ labels: `${series}{environment="${environment}"}`, value })),
});

describe("the delivery rules", () => {
  it("read only the catalog's deployment metrics, or series they record themselves", () => {
    const group = deliveryRules();
    const recorded = group.rules.flatMap((rule) => ("record" in rule ? [rule.record] : []));
    const known = new Set([...Object.values(DEPLOYMENT_RECORDS.metrics).map((metric) => metric.name), ...recorded]);
    const read = group.rules.flatMap((rule) => metricNames(rule.expr));
    expect(read.filter((name) => !known.has(name))).toEqual([]);
    expect(recorded.sort()).toEqual(Object.values(DORA_SERIES).sort());
  });

  it("are fed by kube-state-metrics with the catalog's metric names, from the CRD's fields", () => {
    const config = deploymentRecordStateMetrics() as {
      spec: { resources: Array<{ groupVersionKind: unknown; metricNamePrefix: string; labelsFromPath: Record<string, string[]>; metrics: Array<{ name: string; each: { gauge: { path: string[] } } }> }> };
    };
    const [resource] = config.spec.resources;
    expect(resource!.groupVersionKind).toEqual({ group: "delivery.mlops-platform.io", version: "v1alpha1", kind: "DeploymentRecord" });
    expect(resource!.metrics.map((metric) => `${resource!.metricNamePrefix}_${metric.name}`)).toEqual([DEPLOYMENT_RECORDS.metrics.deployed.name, DEPLOYMENT_RECORDS.metrics.merged.name]);
    expect(Object.keys(resource!.labelsFromPath).sort()).toEqual([...DEPLOYMENT_RECORDS.metrics.deployed.labels].sort());
    const spec = deploymentRecordCrd().spec.versions[0]!.schema!.openAPIV3Schema!.properties!["spec"]!;
    const paths = [...resource!.metrics.map((metric) => metric.each.gauge.path), ...Object.values(resource!.labelsFromPath).filter((p) => p[0] === "spec")];
    for (const fieldPath of paths) expect(spec.required, fieldPath.join(".")).toContain(fieldPath[1]);
    // The stack's kube-state-metrics runs that configuration and may read the records.
    const values = prometheusStackValues({ retentionDays: 15, storageGiB: 50, replicas: 1 }) as Record<string, Record<string, unknown>>;
    expect(values["kube-state-metrics"]).toMatchObject({
      customResourceState: { enabled: true, config },
      rbac: { extraRules: expect.arrayContaining([{ apiGroups: [DEPLOYMENT_RECORD.group], resources: [DEPLOYMENT_RECORD.plural], verbs: ["list", "watch"] }]) },
    });
  });

  it("keep records immutable and their fields in the shapes the rules and the recorder rely on", () => {
    const crd = deploymentRecordCrd();
    expect(crd.metadata!.name).toBe("deploymentrecords.delivery.mlops-platform.io");
    const spec = crd.spec.versions[0]!.schema!.openAPIV3Schema!.properties!["spec"]!;
    expect(spec["x-kubernetes-validations"]).toEqual([expect.objectContaining({ rule: "self == oldSelf" })]);
    expect(spec.properties!["result"]!.enum).toEqual(["succeeded", "failed"]);
    expect(spec.properties!["mergedAt"]).toMatchObject({ type: "string", format: "date-time" });
    expect(new RegExp(spec.properties!["commit"]!.pattern!).test("0123abc")).toBe(true);
    expect(new RegExp(spec.properties!["commit"]!.pattern!).test("main")).toBe(false);
  });
});

const promtool = requirePromtool();

describe.skipIf(!promtool)("the four keys in the real promtool", () => {
  const run = (records: readonly Deployment[], totalMinutes: number, expectations: Expectation[]) =>
    runPromtool(promtool!, { "rules.yaml": ruleFileYaml([deliveryRules()]), "tests.yaml": testFile(records, totalMinutes, expectations) }, ["test", "rules", "tests.yaml"]);

  it("pass promtool check rules", () => {
    const result = runPromtool(promtool!, { "rules.yaml": ruleFileYaml([deliveryRules()]) }, ["check", "rules", "rules.yaml"]);
    expect(result.ok, result.output).toBe(true);
  });

  it("deployment frequency counts successful deployments per day of the window, per environment", () => {
    const result = run(HISTORY, 180, [
      byEnvironment(DORA_SERIES.deploymentFrequency, { dev: 2 / DORA_WINDOW_DAYS, prod: 3 / DORA_WINDOW_DAYS }, "175m"),
      // Before prod's restoring deployment: its failures are no deployments to count here.
      byEnvironment(DORA_SERIES.deploymentFrequency, { dev: 2 / DORA_WINDOW_DAYS, prod: 1 / DORA_WINDOW_DAYS }, "100m"),
      {
        expr: DORA_SERIES.deployments,
        eval_time: "175m",
        exp_samples: [
          { labels: `${DORA_SERIES.deployments}{environment="dev", result="succeeded"}`, value: 2 },
          { labels: `${DORA_SERIES.deployments}{environment="prod", result="failed"}`, value: 2 },
          { labels: `${DORA_SERIES.deployments}{environment="prod", result="succeeded"}`, value: 3 },
        ],
      },
    ]);
    expect(result.ok, result.output).toBe(true);
  });

  it("lead time is the median time from merge to a successful deployment", () => {
    // prod: 20, 60 and 5 minutes (the failed deployments do not count); dev: 20 and 30 minutes.
    const result = run(HISTORY, 180, [byEnvironment(DORA_SERIES.leadTime, { dev: minutes(25), prod: minutes(20) }, "175m")]);
    expect(result.ok, result.output).toBe(true);
  });

  it("change failure rate counts a failed deployment against every deployment, and is 0 without failures", () => {
    const result = run(HISTORY, 180, [
      byEnvironment(DORA_SERIES.changeFailureRate, { dev: 0, prod: 2 / 3 }, "100m"),
      byEnvironment(DORA_SERIES.changeFailureRate, { dev: 0, prod: 2 / 5 }, "175m"),
    ]);
    expect(result.ok, result.output).toBe(true);
  });

  it("time to restore runs from a failed deployment to the next success, and stays counted after later deployments", () => {
    const restoredBy = HISTORY.find((record) => record.name === "prod-s2")!;
    const result = run(HISTORY, 180, [
      // While prod fails: failing since its first failed deployment, nothing restored yet.
      byEnvironment(DORA_SERIES.failingSince, { prod: minutes(60) }, "100m"),
      { expr: DORA_SERIES.restore, eval_time: "100m", exp_samples: [] },
      // prod-s2 restores it: 60 minutes after prod-f1 failed.
      { expr: DORA_SERIES.restore, eval_time: "130m", exp_samples: [{ labels: `${DORA_SERIES.restore}{${recordLabels(restoredBy)}}`, value: minutes(60) }] },
      byEnvironment(DORA_SERIES.timeToRestore, { prod: minutes(60) }, "130m"),
      { expr: DORA_SERIES.failingSince, eval_time: "130m", exp_samples: [] },
      // prod-s3 follows a success, restoring nothing; prod-s2's recovery is still the window's.
      { expr: DORA_SERIES.restore, eval_time: "175m", exp_samples: [] },
      byEnvironment(DORA_SERIES.timeToRestore, { prod: minutes(60) }, "175m"),
    ]);
    expect(result.ok, result.output).toBe(true);
  });

  it(`counts only the deployments of the last ${DORA_WINDOW_DAYS} days`, () => {
    const day = 86400;
    const records: Deployment[] = [
      { environment: "staging", name: "staging-old-f", commit: "1111111", result: "failed", mergedAt: 0, deployedAt: 3600 },
      { environment: "staging", name: "staging-old-s", commit: "2222222", result: "succeeded", mergedAt: 3600, deployedAt: 7200 },
      { environment: "staging", name: "staging-new-s", commit: "3333333", result: "succeeded", mergedAt: 31 * day, deployedAt: 31 * day + 900 },
    ];
    const result = run(records, 32 * 24 * 60, [
      byEnvironment(DORA_SERIES.deploymentFrequency, { staging: 1 / DORA_WINDOW_DAYS }, "32d"),
      byEnvironment(DORA_SERIES.changeFailureRate, { staging: 0 }, "32d"),
      byEnvironment(DORA_SERIES.leadTime, { staging: 900 }, "32d"),
      // The old recovery (an hour, 31 days ago) is out of the window.
      { expr: DORA_SERIES.timeToRestore, eval_time: "32d", exp_samples: [] },
      byEnvironment(DORA_SERIES.timeToRestore, { staging: 3600 }, "2d"),
    ]);
    expect(result.ok, result.output).toBe(true);
  });

  it("would notice a wrong key (the test compares values)", () => {
    const result = run(HISTORY, 180, [byEnvironment(DORA_SERIES.changeFailureRate, { dev: 0, prod: 0.5 }, "175m")]);
    expect(result.ok).toBe(false);
    expect(result.output).toContain(DORA_SERIES.changeFailureRate);
  });
});
