/**
 * The monitoring rule: Prometheus keeps metrics long enough to investigate an incident and to compare a
 * model's drift and the GPUs' cost with the weeks before. It reads the kube-prometheus-stack chart's values,
 * so it needs no monitoring config parser.
 */
import { resourceRule } from "../enforcement.js";
import { asString, dig, isKind } from "../kubernetes.js";
import { ADVISORY_UNTIL_STAGING } from "./common.js";

/** The chart the platform's monitoring capability installs Prometheus with. */
const PROMETHEUS_STACK_CHART = "kube-prometheus-stack";

/** Two weeks: an incident found after a fortnight's leave can still be traced, and drift compared week on week. */
export const MIN_METRICS_RETENTION_DAYS = 14;

/** Days in a Prometheus retention of whole days or weeks (`15d`, `4w`); undefined for anything else. */
export function retentionDays(retention: string | undefined): number | undefined {
  const match = /^(\d+)([dwy])$/.exec(retention ?? "");
  if (!match) return undefined;
  return Number(match[1]) * { d: 1, w: 7, y: 365 }[match[2] as "d" | "w" | "y"];
}

/** Environments whose metrics are for trying things out: a laptop keeps a day, dev a week. */
const SHORT_LIVED_ENVIRONMENTS: ReadonlySet<string> = new Set(["local", "dev"]);

/** Prometheus installed by the stack keeps at least two weeks of metrics in staging and prod. */
export const metricsRetention = resourceRule({
  id: "metrics-retention",
  description: `In staging and prod, Prometheus installed with kube-prometheus-stack keeps at least ${MIN_METRICS_RETENTION_DAYS} days of metrics.`,
  remediationSteps: `Set monitoring.retentionDays to ${MIN_METRICS_RETENTION_DAYS} or more in the stack file (and monitoring.storageGiB to hold them).`,
  enforcement: ADVISORY_UNTIL_STAGING,
  settings: [],
  check({ type, props }, settings, report) {
    if (settings.environment !== undefined && SHORT_LIVED_ENVIRONMENTS.has(settings.environment)) return;
    if (!(isKind(type, "helm.sh", "Chart") || isKind(type, "helm.sh", "Release")) || asString(props["chart"]) !== PROMETHEUS_STACK_CHART) return;
    const retention = asString(dig(props, "values", "prometheus", "prometheusSpec", "retention"));
    const days = retentionDays(retention);
    if (days !== undefined && days >= MIN_METRICS_RETENTION_DAYS) return;
    report(
      `Prometheus keeps ${retention === undefined ? "the chart's default of 10 days of" : `"${retention}" of`} metrics, fewer than ${MIN_METRICS_RETENTION_DAYS} days: ` +
        `set monitoring.retentionDays to ${MIN_METRICS_RETENTION_DAYS} or more`,
    );
  },
});
