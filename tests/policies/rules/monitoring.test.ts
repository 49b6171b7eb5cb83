import { describe, expect, it } from "vitest";
import { retentionDays } from "@mlops-platform/policies/rules";
import { messagesOf, resource, violationsOf } from "../fixtures.js";

describe("metrics-retention", () => {
  const prometheusStack = (retention?: string) =>
    resource("kubernetes:helm.sh/v4:Chart", "monitoring-chart", {
      chart: "kube-prometheus-stack",
      version: "88.5.0",
      values: { prometheus: { prometheusSpec: retention === undefined ? {} : { retention } } },
    });

  it("fails in prod when Prometheus keeps less than two weeks, or the chart's default", () => {
    expect(messagesOf("metrics-retention", [prometheusStack("7d")])).toEqual([
      'Prometheus keeps "7d" of metrics, fewer than 14 days: set monitoring.retentionDays to 14 or more',
    ]);
    expect(messagesOf("metrics-retention", [prometheusStack()])).toEqual([
      "Prometheus keeps the chart's default of 10 days of metrics, fewer than 14 days: set monitoring.retentionDays to 14 or more",
    ]);
  });

  it("passes at two weeks or more, ignores other charts, and lets local and dev keep less", () => {
    expect(messagesOf("metrics-retention", [prometheusStack("30d"), prometheusStack("2w")])).toEqual([]);
    expect(messagesOf("metrics-retention", [resource("kubernetes:helm.sh/v4:Chart", "other", { chart: "opencost", version: "2.5.0", values: {} })])).toEqual([]);
    expect(violationsOf("metrics-retention", [prometheusStack("1d")], "local")).toEqual([]);
    expect(violationsOf("metrics-retention", [prometheusStack("7d")], "dev")).toEqual([]);
    expect(violationsOf("metrics-retention", [prometheusStack("7d")], "staging").map((v) => v.enforcementLevel)).toEqual(["mandatory"]);
  });

  it.each([
    ["15d", 15],
    ["2w", 14],
    ["1y", 365],
    ["36h", undefined],
    [undefined, undefined],
  ] as const)("reads a retention of %s as %s days", (retention, days) => {
    expect(retentionDays(retention)).toBe(days);
  });
});
