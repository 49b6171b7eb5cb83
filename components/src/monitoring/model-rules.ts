/**
 * Model monitoring computed by Prometheus itself, from the histograms a model service exports (the model
 * contract): recording rules that compare the recent distribution of each input feature and of the
 * prediction with a reference window, by the Population Stability Index (PSI), and the quality the model
 * reaches on delayed ground truth with its baseline; alerts on data drift, prediction drift, concept drift,
 * failing requests, inputs that break the schema, and a model that stops exporting.
 *
 * PSI of one distribution against another over the same bins: Σ (p − q) · ln(p / q), p the recent share of
 * observations in a bin, q the reference share. Read as: below 0.1 stable, 0.1 to 0.2 a moderate shift,
 * above 0.2 a significant one (the usual credit-scoring reading, which the default thresholds follow).
 * Histogram buckets are cumulative (`le`: observations up to the bound), so a bin's count is its bucket
 * minus the bucket of the bound below; the ModelMonitor knows each feature's bounds, so the rules name
 * every bin. A bin empty in either window would make ln(p / q) infinite: each share is clamped to at least
 * PSI_EPSILON (0.01% of the observations), so an emptied bin counts as a large but finite shift and a bin
 * empty in both windows adds nothing.
 */
import { MODEL_CONTRACT } from "./metrics.js";
import { AlertSeverity, runbookUrl, type AlertingRule, type PrometheusRuleGroup, type RecordingRule } from "./rules.js";

/** The smallest share a bin is given, so ln(p / q) stays finite when a bin is empty in one window. */
export const PSI_EPSILON = 0.0001;

/** The usual reading of PSI: below this, the distribution is stable. */
export const PSI_MODERATE = 0.1;
/** The usual reading of PSI: above this, the shift is significant (the default alert threshold). */
export const PSI_SIGNIFICANT = 0.2;

/** Series the model rules record; dashboards read them. */
export const MODEL_SERIES = {
  featureIncreaseRecent: "mlp:ml_feature_value_bucket:increase_recent",
  featureIncreaseReference: "mlp:ml_feature_value_bucket:increase_reference",
  predictionIncreaseRecent: "mlp:ml_prediction_value_bucket:increase_recent",
  predictionIncreaseReference: "mlp:ml_prediction_value_bucket:increase_reference",
  /** Share of a feature's recent observations in the bin whose upper bound is `le`. */
  featureShareRecent: "mlp:ml_feature_value:bin_share_recent",
  featureShareReference: "mlp:ml_feature_value:bin_share_reference",
  predictionShareRecent: "mlp:ml_prediction_value:bin_share_recent",
  predictionShareReference: "mlp:ml_prediction_value:bin_share_reference",
  /** PSI of each feature, recent window against the reference window (data drift). */
  featurePsi: "mlp:ml_feature_value:psi",
  /** PSI of the predictions (prediction drift). */
  predictionPsi: "mlp:ml_prediction_value:psi",
  /** The quality a model is expected to keep, per metric. */
  qualityBaseline: "mlp:ml_model_quality:baseline",
  /** How far quality fell below its baseline (positive: worse), per version and metric (concept drift). */
  qualityDrop: "mlp:ml_model_quality:drop",
  /** Share of requests that failed over 10 minutes. */
  errorRatio: "mlp:ml_request_error_ratio:rate10m",
  /** Share of requests whose input broke the schema over 10 minutes. */
  schemaViolationRatio: "mlp:ml_input_schema_violation_ratio:rate10m",
} as const;

/** Whether a larger or a smaller value of a quality metric is better. */
export enum QualityDirection {
  /** AUC, accuracy, precision, recall, F1: a drop is a degradation. */
  HigherIsBetter = "higher-is-better",
  /** RMSE, MAE, log loss: a rise is a degradation. */
  LowerIsBetter = "lower-is-better",
}

/** One input feature: its name (the `feature` label) and the bucket bounds its histogram uses. */
export interface ModelFeature {
  name: string;
  buckets: number[];
}

/** A quality metric (the `metric` label of `ml_model_quality`) and when its decline is concept drift. */
export interface ModelQualityMetric {
  name: string;
  direction: QualityDirection;
  /** The expected value; undefined: the metric's average over the reference window. */
  baseline?: number;
  /** How much worse than the baseline the metric may get before it is concept drift. */
  maxDrop: number;
}

/** When a model's drift and health are worth an alert. */
export interface ModelThresholds {
  /** PSI of a feature above which it has drifted. */
  featurePsi: number;
  /** PSI of the predictions above which they have drifted. */
  predictionPsi: number;
  /** Minutes drift (or a quality drop) must hold before its alert fires: one odd window is not drift. */
  forMinutes: number;
  /** Share of failed requests that is too many. */
  errorRatio: number;
  /** Share of requests breaking the input schema that is too many. */
  schemaViolationRatio: number;
}

/** A ModelMonitor's rules, all its values checked and defaulted. */
export interface ModelRulesInput {
  /** The `model` label. */
  model: string;
  namespace: string;
  /** The team whose namespace it is, for routing; undefined outside a team namespace. */
  team?: string;
  features: ModelFeature[];
  predictionBuckets: number[];
  quality: ModelQualityMetric[];
  /** Length of the recent window. */
  recentMinutes: number;
  /** The reference window: `durationHours` long, ending `offsetHours` ago. */
  reference: { durationHours: number; offsetHours: number };
  thresholds: ModelThresholds;
  /** Where the runbooks are. */
  runbooks: string;
}

/** How often the model rules run: the windows are an hour and more, so every few minutes is enough. */
export const MODEL_RULES_INTERVAL = "5m";

/** The PrometheusRule group name of a model: one per ModelMonitor. */
export function modelRuleGroupName(namespace: string, model: string): string {
  return `mlp-model-${namespace}-${model}`;
}

/**
 * A matcher of the `le` label at a bucket bound. Prometheus 3 stores classic histogram bounds normalised
 * (`1.0`); older servers and some clients keep `1`: an integral bound matches both.
 */
export function leMatcher(bound: number): string {
  const text = String(bound);
  return Number.isInteger(bound) ? `le=~"${text}|${text}\\\\.0"` : `le="${text}"`;
}

/**
 * Whether a bucket bound is written the same way by every Prometheus client and by Prometheus itself (so
 * the rules' `le` matchers find it): finite, below a million in size, and, when not whole, at least 0.0001
 * in size (smaller numbers are written in exponent notation, differently by each).
 */
export function isPortableBucketBound(bound: number): boolean {
  const size = Math.abs(bound);
  return Number.isFinite(bound) && size < 1e6 && (Number.isInteger(bound) || size >= 1e-4);
}

/** Quality and failures are a version's. */
const GROUP = "namespace, model, version";
/**
 * Drift is a model's, across its versions: inputs do not depend on the version, and a new version's
 * reference window would be empty for days. Prediction drift right after a release says the new version
 * behaves unlike the one before it.
 */
const DRIFT_GROUP = "namespace, model";

/**
 * The share of observations in each bin, as one series per bin labelled with the bin's upper bound `le`,
 * from recorded bucket increases: the bucket at the bin's upper bound minus the one at its lower bound,
 * over the total; clamped below by PSI_EPSILON; nothing when the window saw no observation.
 */
function binShares(increases: string, selector: string, bounds: readonly number[]): string {
  const at = (matcher: string) => `${increases}{${selector}, ${matcher}}`;
  const total = `ignoring (le) group_left () (${at('le="+Inf"')} > 0)`;
  const uppers = [...bounds.map(leMatcher), 'le="+Inf"'];
  const bins = uppers.map((upper, index) => {
    // group_left keeps the left side's labels, `le` included: a one-to-one match would drop the ignored
    // `le`, and every bin would then look the same to `or`.
    const count = index === 0 ? at(upper) : `(${at(upper)} - ignoring (le) group_left () ${at(uppers[index - 1]!)})`;
    return `clamp_min(${count} / ${total}, ${PSI_EPSILON})`;
  });
  return bins.join(" or ");
}

/** PSI of recorded recent and reference shares (matched bin by bin on `le`), summed over the bins. */
function psi(recent: string, reference: string, selector: string): string {
  const p = `${recent}{${selector}}`;
  const q = `${reference}{${selector}}`;
  return `sum without (le) ((${p} - ${q}) * ln(${p} / ${q}))`;
}

/** The recording and alerting rules of one monitored model. */
export function modelRules(input: ModelRulesInput): PrometheusRuleGroup {
  const { metrics: contract } = MODEL_CONTRACT;
  const model = `namespace="${input.namespace}", model="${input.model}"`;
  const recent = `[${input.recentMinutes}m]`;
  const reference = `[${input.reference.durationHours}h] offset ${input.reference.offsetHours}h`;
  const forDuration = `${input.thresholds.forMinutes}m`;
  const labels = (severity: AlertSeverity) => ({ severity, ...(input.team !== undefined ? { team: input.team } : {}) });
  const who = `{{ $labels.model }} {{ $labels.version }} in {{ $labels.namespace }}`;
  const whoAcrossVersions = `${input.model} in ${input.namespace}`;
  const alert = (name: string, expr: string, forTime: string | undefined, summary: string, description: string): AlertingRule => ({
    alert: name,
    expr,
    ...(forTime !== undefined ? { for: forTime } : {}),
    labels: labels(AlertSeverity.Warning),
    annotations: { summary, description, runbook_url: runbookUrl(name, input.runbooks) },
  });
  const increase = (series: string, bucket: string, window: string, by: string): RecordingRule => ({
    record: series,
    expr: `sum by (${by}, le) (increase(${bucket}_bucket{${model}}${window}))`,
  });

  const feature = contract.featureValue.name;
  const prediction = contract.predictionValue.name;
  const rules: PrometheusRuleGroup["rules"] = [
    increase(MODEL_SERIES.featureIncreaseRecent, feature, recent, `${DRIFT_GROUP}, feature`),
    increase(MODEL_SERIES.featureIncreaseReference, feature, reference, `${DRIFT_GROUP}, feature`),
    increase(MODEL_SERIES.predictionIncreaseRecent, prediction, recent, DRIFT_GROUP),
    increase(MODEL_SERIES.predictionIncreaseReference, prediction, reference, DRIFT_GROUP),
  ];
  // One rule per window over every feature's bins: the features' series differ by their `feature` label.
  const featureShares = (increases: string) => input.features.map((f) => binShares(increases, `${model}, feature="${f.name}"`, f.buckets)).join(" or ");
  if (input.features.length > 0) {
    rules.push(
      { record: MODEL_SERIES.featureShareRecent, expr: featureShares(MODEL_SERIES.featureIncreaseRecent) },
      { record: MODEL_SERIES.featureShareReference, expr: featureShares(MODEL_SERIES.featureIncreaseReference) },
      { record: MODEL_SERIES.featurePsi, expr: psi(MODEL_SERIES.featureShareRecent, MODEL_SERIES.featureShareReference, model) },
    );
  }
  rules.push(
    { record: MODEL_SERIES.predictionShareRecent, expr: binShares(MODEL_SERIES.predictionIncreaseRecent, model, input.predictionBuckets) },
    { record: MODEL_SERIES.predictionShareReference, expr: binShares(MODEL_SERIES.predictionIncreaseReference, model, input.predictionBuckets) },
    { record: MODEL_SERIES.predictionPsi, expr: psi(MODEL_SERIES.predictionShareRecent, MODEL_SERIES.predictionShareReference, model) },
  );

  // One rule per series name, the metrics joined by `or` (their `metric` labels differ): rules of one name
  // in one group would be duplicates to Prometheus's linter.
  if (input.quality.length > 0) {
    const baselines = input.quality.map((quality) => {
      const selector = `${model}, metric="${quality.name}"`;
      // A given baseline takes the labels of the metric it is for (0 times the metric); otherwise the
      // metric's average over the reference window, across versions: a new version is judged by the old one's.
      return quality.baseline !== undefined
        ? `(${quality.baseline} + 0 * max by (namespace, model, metric) (${contract.quality.name}{${selector}}))`
        : `max by (namespace, model, metric) (avg_over_time(${contract.quality.name}{${selector}}${reference}))`;
    });
    const drops = input.quality.map((quality) => {
      const selector = `${model}, metric="${quality.name}"`;
      const current = `max by (${GROUP}, metric) (${contract.quality.name}{${selector}})`;
      const recorded = `${MODEL_SERIES.qualityBaseline}{${selector}}`;
      return quality.direction === QualityDirection.HigherIsBetter
        ? `(${recorded} - on (namespace, model, metric) group_right () ${current})`
        : `(${current} - on (namespace, model, metric) group_left () ${recorded})`;
    });
    rules.push({ record: MODEL_SERIES.qualityBaseline, expr: baselines.join(" or ") }, { record: MODEL_SERIES.qualityDrop, expr: drops.join(" or ") });
  }

  rules.push(
    {
      record: MODEL_SERIES.errorRatio,
      expr: `sum by (${GROUP}) (rate(${contract.requestErrors.name}{${model}}[10m])) / (sum by (${GROUP}) (rate(${contract.requests.name}{${model}}[10m])) > 0)`,
    },
    {
      record: MODEL_SERIES.schemaViolationRatio,
      expr: `sum by (${GROUP}) (rate(${contract.schemaViolations.name}{${model}}[10m])) / (sum by (${GROUP}) (rate(${contract.requests.name}{${model}}[10m])) > 0)`,
    },
  );

  const { thresholds } = input;
  const windows = `the last ${input.recentMinutes} minutes against the ${input.reference.durationHours} hours that ended ${input.reference.offsetHours} hours ago`;
  if (input.features.length > 0) {
    rules.push(
      alert(
        "ModelDataDrift",
        `${MODEL_SERIES.featurePsi}{${model}} > ${thresholds.featurePsi}`,
        forDuration,
        `Feature {{ $labels.feature }} of ${whoAcrossVersions} drifted (PSI {{ $value | printf "%.2f" }})`,
        `The distribution of this input over ${windows} has a population stability index above ${thresholds.featurePsi} (0.1 to 0.2 is a moderate shift, above 0.2 a significant one): the model sees data unlike what it was validated on.`,
      ),
    );
  }
  rules.push(
    alert(
      "ModelPredictionDrift",
      `${MODEL_SERIES.predictionPsi}{${model}} > ${thresholds.predictionPsi}`,
      forDuration,
      `Predictions of ${whoAcrossVersions} drifted (PSI {{ $value | printf "%.2f" }})`,
      `The distribution of the model's outputs over ${windows} has a population stability index above ${thresholds.predictionPsi}: its behaviour changed, from its inputs or from the world.`,
    ),
  );
  if (input.quality.length > 0) {
    rules.push(
      alert(
        "ModelConceptDrift",
        input.quality.map((quality) => `${MODEL_SERIES.qualityDrop}{${model}, metric="${quality.name}"} > ${quality.maxDrop}`).join(" or "),
        forDuration,
        `{{ $labels.metric }} of ${who} is {{ $value | printf "%.3f" }} worse than its baseline`,
        `The model's quality on delayed ground truth fell further below its baseline than allowed (${input.quality
          .map((quality) => `${quality.name}: ${quality.maxDrop} below ${quality.baseline ?? "its reference-window average"}`)
          .join("; ")}): the relation between inputs and outcome changed (concept drift). Retrain on recent labelled data.`,
      ),
    );
  }
  rules.push(
    alert(
      "ModelErrorRateHigh",
      `${MODEL_SERIES.errorRatio}{${model}} > ${thresholds.errorRatio}`,
      "10m",
      `${who} fails {{ $value | humanizePercentage }} of requests`,
      `More than ${thresholds.errorRatio * 100}% of the model's prediction requests fail.`,
    ),
    alert(
      "ModelInputSchemaViolations",
      `${MODEL_SERIES.schemaViolationRatio}{${model}} > ${thresholds.schemaViolationRatio}`,
      "10m",
      `{{ $value | humanizePercentage }} of the requests to ${who} break its input schema`,
      `More than ${thresholds.schemaViolationRatio * 100}% of requests have missing, mistyped or out-of-range fields: a caller or an upstream pipeline changed.`,
    ),
    alert(
      "ModelMetricsMissing",
      `absent(${contract.requests.name}{${model}})`,
      "30m",
      `Model ${input.model} in ${input.namespace} exports no metrics`,
      "Prometheus has no sample of the model contract from this model for 30 minutes: the service is not running, its pods do not match the ModelMonitor's selector or port, or it does not export the contract. Its drift cannot be computed.",
    ),
  );
  return { name: modelRuleGroupName(input.namespace, input.model), interval: MODEL_RULES_INTERVAL, rules };
}
