/**
 * promtool cases of a ModelMonitor's alerts, on the series a model service exports: cumulative histogram
 * buckets whose distribution shifts (or does not) halfway through, a quality gauge that falls below its
 * baseline (or not), request, error and schema-violation counters. One sample a minute.
 */
import { QualityDirection } from "@mlops-platform/components";
import type { ModelRulesInput } from "@mlops-platform/components/internal";
import type { AlertCase, Series } from "./alert-cases.js";

/** A model with short windows, so a test spans hours, not days: recent hour against the two before it. */
export const TEST_MODEL: ModelRulesInput = {
  model: "churn",
  namespace: "team-vision",
  team: "vision",
  features: [
    { name: "tenure", buckets: [1, 2, 5] },
    { name: "monthly_spend", buckets: [20, 50.5, 100] },
  ],
  predictionBuckets: [0.25, 0.5, 0.75],
  quality: [
    { name: "auc", direction: QualityDirection.HigherIsBetter, baseline: 0.85, maxDrop: 0.05 },
    { name: "log_loss", direction: QualityDirection.LowerIsBetter, maxDrop: 0.1 },
  ],
  recentMinutes: 60,
  reference: { durationHours: 2, offsetHours: 1 },
  thresholds: { featurePsi: 0.2, predictionPsi: 0.2, forMinutes: 30, errorRatio: 0.05, schemaViolationRatio: 0.01 },
  runbooks: "docs/runbooks.md",
};

const MODEL = 'namespace="team-vision", model="churn", version="3"';
const ALERT_LABELS = { severity: "warning", team: "vision", namespace: "team-vision", model: "churn" };
/** Minutes of series in each case; the distribution shifts at SHIFT_AT. */
const MINUTES = 300;
const SHIFT_AT = 180;

/** A counter growing by `before` a minute until SHIFT_AT, then by `after`: promtool's expanding notation. */
function counter(before: number, after: number): string {
  const atShift = before * SHIFT_AT;
  return `0+${before}x${SHIFT_AT} ${atShift + after}+${after}x${MINUTES - SHIFT_AT - 1}`;
}

/**
 * The `_bucket` series of a histogram whose observations per minute fall in its bins as `before` says
 * until SHIFT_AT, then as `after` (one number per bin, the last bin above the highest bound). Buckets are
 * cumulative, as exporters write them; integral bounds are written as the Python client does (`5.0`).
 */
export function histogram(metric: string, labels: string, bounds: readonly number[], before: readonly number[], after: readonly number[]): Series[] {
  const les = [...bounds.map((bound) => (Number.isInteger(bound) ? `${bound}.0` : String(bound))), "+Inf"];
  const cumulative = (weights: readonly number[], upTo: number) => weights.slice(0, upTo + 1).reduce((sum, w) => sum + w, 0);
  return les.map((le, index) => [`${metric}_bucket{${labels}, le="${le}"}`, counter(cumulative(before, index), cumulative(after, index))] as const);
}

const feature = (name: string, bounds: readonly number[], before: number[], after: number[]) => histogram("ml_feature_value", `${MODEL}, feature="${name}"`, bounds, before, after);
const predictions = (before: number[], after: number[]) => histogram("ml_prediction_value", MODEL, TEST_MODEL.predictionBuckets, before, after);
const EVEN = [10, 10, 10, 10];
const SHIFTED = [0, 2, 8, 30];
/** Noise that is no shift: the same bins within a few percent. */
const NEARLY_EVEN = [11, 10, 9, 10];

const tenure = TEST_MODEL.features[0]!.buckets;
const spend = TEST_MODEL.features[1]!.buckets;

export const MODEL_ALERT_CASES: readonly AlertCase[] = [
  {
    alert: "ModelDataDrift",
    at: "270m",
    // tenure shifts towards long tenures; monthly_spend stays as it was and must stay silent.
    firing: [...feature("tenure", tenure, EVEN, SHIFTED), ...feature("monthly_spend", spend, EVEN, NEARLY_EVEN)],
    quiet: [...feature("tenure", tenure, EVEN, NEARLY_EVEN), ...feature("monthly_spend", spend, EVEN, EVEN)],
    labels: { ...ALERT_LABELS, feature: "tenure" },
  },
  {
    alert: "ModelPredictionDrift",
    at: "270m",
    firing: predictions(EVEN, SHIFTED),
    quiet: predictions(EVEN, NEARLY_EVEN),
    labels: ALERT_LABELS,
  },
  {
    alert: "ModelConceptDrift",
    at: "270m",
    // AUC falls from 0.86 to 0.75 against its baseline of 0.85; log loss, lower is better, stays at its
    // reference level. Quietly, AUC dips within its allowance and log loss holds.
    firing: [
      [`ml_model_quality{${MODEL}, metric="auc"}`, `0.86x${SHIFT_AT} 0.75x${MINUTES - SHIFT_AT - 1}`],
      [`ml_model_quality{${MODEL}, metric="log_loss"}`, `0.3x${MINUTES - 1}`],
    ],
    quiet: [
      [`ml_model_quality{${MODEL}, metric="auc"}`, `0.86x${SHIFT_AT} 0.82x${MINUTES - SHIFT_AT - 1}`],
      [`ml_model_quality{${MODEL}, metric="log_loss"}`, `0.3x${SHIFT_AT} 0.35x${MINUTES - SHIFT_AT - 1}`],
    ],
    labels: { ...ALERT_LABELS, version: "3", metric: "auc" },
  },
  {
    alert: "ModelErrorRateHigh",
    at: "30m",
    firing: [[`ml_request_errors_total{${MODEL}}`, "0+10x40"], [`ml_requests_total{${MODEL}}`, "0+100x40"]],
    quiet: [[`ml_request_errors_total{${MODEL}}`, "0+1x40"], [`ml_requests_total{${MODEL}}`, "0+100x40"]],
    labels: { ...ALERT_LABELS, version: "3" },
  },
  {
    alert: "ModelInputSchemaViolations",
    at: "30m",
    firing: [[`ml_input_schema_violations_total{${MODEL}}`, "0+5x40"], [`ml_requests_total{${MODEL}}`, "0+100x40"]],
    quiet: [[`ml_input_schema_violations_total{${MODEL}}`, "0x40"], [`ml_requests_total{${MODEL}}`, "0+100x40"]],
    labels: { ...ALERT_LABELS, version: "3" },
  },
  {
    alert: "ModelMetricsMissing",
    at: "40m",
    // Another model's requests do not count for this one.
    firing: [['ml_requests_total{namespace="team-vision", model="fraud", version="1"}', "0+100x45"]],
    quiet: [[`ml_requests_total{${MODEL}}`, "0+100x45"]],
    labels: { ...ALERT_LABELS },
  },
];

/** A second look at concept drift: log loss (lower is better) rising over its reference-window average fires too. */
export const LOG_LOSS_CASE: AlertCase = {
  alert: "ModelConceptDrift",
  at: "270m",
  firing: [
    [`ml_model_quality{${MODEL}, metric="auc"}`, `0.86x${MINUTES - 1}`],
    [`ml_model_quality{${MODEL}, metric="log_loss"}`, `0.3x${SHIFT_AT} 0.5x${MINUTES - SHIFT_AT - 1}`],
  ],
  quiet: [[`ml_model_quality{${MODEL}, metric="log_loss"}`, `0.3x${MINUTES - 1}`]],
  labels: { ...ALERT_LABELS, version: "3", metric: "log_loss" },
};
