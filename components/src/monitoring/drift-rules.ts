/**
 * Model monitoring on the platform's model contract: alerts when a model's inputs or predictions drift
 * from its training data, when drift stops being computed, and when a model fails its callers.
 */
import { MODEL_CONTRACT } from "./metrics.js";
import { AlertSeverity, type PrometheusRuleGroup } from "./rules.js";

/** Recorded series the model dashboard reads. */
export const MODEL_SERIES = {
  /** The largest feature drift of each model version. */
  featureDriftMax: "mlp:model_feature_drift_score:max",
  /** Share of predictions that failed over 10 minutes. */
  errorRatio: "mlp:model_prediction_error_ratio:rate10m",
} as const;

/** When drift is worth an alert. */
export interface DriftThresholds {
  /**
   * Feature drift score above which a feature has shifted. 0.2 is the usual PSI threshold of a significant
   * shift.
   */
  featureDrift: number;
  /** Prediction drift score above which the model's outputs have shifted. */
  predictionDrift: number;
  /** How long drift must stay above the threshold, in minutes: one noisy window is not drift. */
  forMinutes: number;
  /** Hours after which a drift score not recomputed is stale. */
  staleAfterHours: number;
  /** Share of failed predictions that is too many. */
  errorRatio: number;
}

/** The defaults: PSI 0.2 for features and predictions, an hour above it, daily evaluation, 5% errors. */
export const DEFAULT_DRIFT_THRESHOLDS: Readonly<DriftThresholds> = {
  featureDrift: 0.2,
  predictionDrift: 0.2,
  forMinutes: 60,
  staleAfterHours: 26,
  errorRatio: 0.05,
};

const { metrics: model } = MODEL_CONTRACT;
const MODEL = "namespace, model, version";

export function driftRules(thresholds: DriftThresholds): PrometheusRuleGroup {
  const forDuration = `${thresholds.forMinutes}m`;
  return {
    name: "mlp-models",
    rules: [
      { record: MODEL_SERIES.featureDriftMax, expr: `max by (${MODEL}) (${model.featureDrift.name})` },
      {
        record: MODEL_SERIES.errorRatio,
        expr: `sum by (${MODEL}) (rate(${model.predictionErrors.name}[10m])) / sum by (${MODEL}) (rate(${model.predictions.name}[10m]))`,
      },
      {
        alert: "ModelFeatureDrift",
        expr: `max by (${MODEL}, feature) (${model.featureDrift.name}) > ${thresholds.featureDrift}`,
        for: forDuration,
        labels: { severity: AlertSeverity.Warning },
        annotations: {
          summary: "Feature {{ $labels.feature }} of {{ $labels.model }} {{ $labels.version }} in {{ $labels.namespace }} drifted (score {{ $value }})",
          description: `The live distribution of this input no longer matches the training data (score above ${thresholds.featureDrift}). Check the data source, then retrain on recent data.`,
        },
      },
      {
        alert: "ModelPredictionDrift",
        expr: `max by (${MODEL}) (${model.predictionDrift.name}) > ${thresholds.predictionDrift}`,
        for: forDuration,
        labels: { severity: AlertSeverity.Warning },
        annotations: {
          summary: "Predictions of {{ $labels.model }} {{ $labels.version }} in {{ $labels.namespace }} drifted (score {{ $value }})",
          description: `The model's outputs no longer look like those on its validation data (score above ${thresholds.predictionDrift}): its accuracy may have dropped.`,
        },
      },
      {
        alert: "ModelDriftNotEvaluated",
        expr: `time() - max by (${MODEL}) (${model.driftEvaluated.name}) > ${thresholds.staleAfterHours * 3600}`,
        labels: { severity: AlertSeverity.Warning },
        annotations: {
          summary: "Drift of {{ $labels.model }} {{ $labels.version }} in {{ $labels.namespace }} was last computed {{ $value | humanizeDuration }} ago",
          description: `No drift score for more than ${thresholds.staleAfterHours} hours: the drift job is failing, so drift would go unnoticed.`,
        },
      },
      {
        alert: "ModelErrorRateHigh",
        expr: `${MODEL_SERIES.errorRatio} > ${thresholds.errorRatio}`,
        for: "10m",
        labels: { severity: AlertSeverity.Warning },
        annotations: {
          summary: "{{ $labels.model }} {{ $labels.version }} in {{ $labels.namespace }} fails {{ $value | humanizePercentage }} of predictions",
          description: `More than ${thresholds.errorRatio * 100}% of the model's predictions fail.`,
        },
      },
    ],
  };
}
