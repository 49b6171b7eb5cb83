import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { argumentProblems, typeToken, type ArgumentProblems } from "../common/component.js";
import { isDnsLabel } from "../common/kubernetes.js";
import { MODEL_METRICS_PORT_NAME } from "./metrics.js";
import { modelDashboard, modelDashboardUid } from "./model-dashboards.js";
import { isPortableBucketBound, modelRules, QualityDirection, type ModelRulesInput } from "./model-rules.js";
import { dashboardConfigMap, modelPodMonitor, prometheusRuleManifest } from "./monitoring-manifests.js";
import { DEFAULT_RUNBOOK_URL } from "./rules.js";

/** Namespace the platform's monitoring objects live in (MonitoringStack's default). */
const DEFAULT_MONITORING_NAMESPACE = "mlp-monitoring";

/** One input feature of a model: the `feature` label its server exports and the bounds of its histogram buckets. */
export interface ModelFeatureArgs {
  /** The feature's name, as the `feature` label of `ml_feature_value` carries it. */
  name: string;
  /**
   * Upper bounds of the feature's histogram buckets, as the model server declares them (without `+Inf`):
   * at least 2, increasing. Drift is measured over the bins between them, so they should split the
   * training data into bins of similar weight (its deciles, say).
   */
  buckets: number[];
}

/** A quality metric the model server exports (`ml_model_quality{metric=...}`) and when its decline is concept drift. */
export interface ModelQualityMetricArgs {
  /** The `metric` label, e.g. `auc`. */
  name: string;
  /**
   * Whether larger values are better (AUC, accuracy) or smaller ones (RMSE, log loss).
   * @default QualityDirection.HigherIsBetter
   */
  direction?: QualityDirection;
  /**
   * The value the model is held to, e.g. its score on the validation set.
   * @default the metric's average over the reference window
   */
  baseline?: number;
  /**
   * How much worse than the baseline the metric may get (in its own unit) before it is concept drift.
   * @default 0.05
   */
  maxDrop?: number;
}

/** The window a model's recent traffic is compared with. */
export interface ModelReferenceWindowArgs {
  /**
   * Length of the reference window, in hours.
   * @default 72
   */
  durationHours?: number;
  /**
   * How long ago the reference window ends, in hours; at least the recent window, so they do not overlap.
   * @default 24
   */
  offsetHours?: number;
}

/** When a model's drift and health are worth an alert. */
export interface ModelMonitorThresholdArgs {
  /**
   * PSI of a feature above which it has drifted.
   * @default 0.2 (a significant shift; 0.1 to 0.2 is moderate)
   */
  featurePsi?: number;
  /**
   * PSI of the predictions above which they have drifted.
   * @default 0.2
   */
  predictionPsi?: number;
  /**
   * Minutes drift or a quality drop must hold before its alert fires.
   * @default 60
   */
  forMinutes?: number;
  /**
   * Share of failed requests that is too many.
   * @default 0.05
   */
  errorRatio?: number;
  /**
   * Share of requests breaking the input schema that is too many.
   * @default 0.01
   */
  schemaViolationRatio?: number;
}

export interface ModelMonitorArgs {
  /** The model's name: the `model` label its server exports (a DNS label). */
  model: string;
  /** Namespace the model's pods run in. */
  namespace: string;
  /** Labels of the model server's pods. */
  podSelector: Record<string, string>;
  /** The input features whose distributions are watched for drift. */
  features: ModelFeatureArgs[];
  /** Upper bounds of the buckets of `ml_prediction_value` (without `+Inf`): at least 2, increasing. */
  predictionBuckets: number[];
  /**
   * Quality metrics the server exports from delayed ground truth.
   * @default [] (no concept-drift alert)
   */
  quality?: ModelQualityMetricArgs[];
  /**
   * Name of the container port serving `/metrics`.
   * @default "metrics"
   */
  metricsPort?: string;
  /**
   * Length of the recent window compared with the reference, in minutes.
   * @default 60
   */
  recentWindowMinutes?: number;
  /**
   * The reference window.
   * @default { durationHours: 72, offsetHours: 24 }
   */
  referenceWindow?: ModelReferenceWindowArgs;
  /**
   * When drift and failures alert.
   * @default the ModelMonitorThresholdArgs defaults
   */
  thresholds?: ModelMonitorThresholdArgs;
  /**
   * Namespace of the monitor's PodMonitor, PrometheusRule and dashboard ConfigMap: where the cluster's
   * Prometheus and Grafana look.
   * @default "mlp-monitoring"
   */
  monitoringNamespace?: string;
  /**
   * Days Prometheus keeps metrics: the reference window must lie within them.
   * @default not checked
   */
  retentionDays?: number;
  /**
   * Where the runbooks are; each alert links to its section.
   * @default "docs/runbooks.md"
   */
  runbookUrl?: string;
}

/** ModelMonitor's args, checked and defaulted. */
export interface ModelMonitorPlan extends ModelRulesInput {
  podSelector: Record<string, string>;
  metricsPort: string;
  monitoringNamespace: string;
}

/** The defaults of a monitor's windows and thresholds. */
export const MODEL_MONITOR_DEFAULTS = {
  recentWindowMinutes: 60,
  reference: { durationHours: 72, offsetHours: 24 },
  thresholds: { featurePsi: 0.2, predictionPsi: 0.2, forMinutes: 60, errorRatio: 0.05, schemaViolationRatio: 0.01 },
  qualityMaxDrop: 0.05,
} as const;

/** A label name or value a rule can quote, and a `feature`/`metric` label a client accepts. */
const LABEL_VALUE = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,62}$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const POD_LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
/** A container port name (IANA service name). */
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/;
const MAX_BUCKETS = 40;

function checkBuckets(problems: ArgumentProblems, property: string, buckets: readonly number[]): void {
  const increasing = buckets.every((bound, index) => index === 0 || bound > buckets[index - 1]!);
  if (buckets.length < 2 || buckets.length > MAX_BUCKETS || !increasing || !buckets.every(isPortableBucketBound)) {
    problems.add(
      property,
      buckets,
      `list 2 to ${MAX_BUCKETS} increasing bucket bounds, as the server's histogram declares them (without +Inf), each below 1e6 in size and, unless whole, at least 0.0001`,
    );
  }
}

function checkQuality(problems: ArgumentProblems, quality: readonly ModelQualityMetricArgs[]): void {
  const names = new Set<string>();
  quality.forEach((metric, index) => {
    if (!LABEL_VALUE.test(metric.name) || names.has(metric.name)) problems.add(`quality[${index}].name`, metric.name, "use a unique metric label of letters, digits, _ . : or -");
    names.add(metric.name);
    if (metric.direction !== undefined && !Object.values(QualityDirection).includes(metric.direction)) {
      problems.add(`quality[${index}].direction`, metric.direction, `use one of ${Object.values(QualityDirection).join(", ")}`);
    }
    if (metric.baseline !== undefined && !Number.isFinite(metric.baseline)) problems.add(`quality[${index}].baseline`, metric.baseline, "use a finite number, or leave it unset to use the reference window's average");
    if (metric.maxDrop !== undefined && !(metric.maxDrop > 0)) problems.add(`quality[${index}].maxDrop`, metric.maxDrop, "use a number above 0, in the metric's own unit");
  });
}

/**
 * Validates ModelMonitor args and applies their defaults; throws `InputPropertyError`
 * (`InputPropertiesError` for several) naming each property and the fix.
 */
export function planModelMonitor(name: string, args: ModelMonitorArgs): ModelMonitorPlan {
  const problems = argumentProblems("ModelMonitor", name);
  if (!isDnsLabel(args.model)) problems.add("model", args.model, "use the model's name as its server labels it, a DNS label (lower-case letters, digits, -)");
  if (!isDnsLabel(args.namespace)) problems.add("namespace", args.namespace, "use the namespace of the model's pods");
  const selector = Object.entries(args.podSelector ?? {});
  if (selector.length === 0 || selector.some(([key, value]) => !LABEL_KEY.test(key) || !POD_LABEL_VALUE.test(value))) {
    problems.add("podSelector", args.podSelector, 'give the labels of the model server\'s pods, e.g. { app: "churn" }');
  }
  const featureNames = new Set<string>();
  (args.features ?? []).forEach((feature, index) => {
    if (!LABEL_VALUE.test(feature.name) || featureNames.has(feature.name)) problems.add(`features[${index}].name`, feature.name, "use a unique feature label of letters, digits, _ . : or -");
    featureNames.add(feature.name);
    checkBuckets(problems, `features[${index}].buckets`, feature.buckets ?? []);
  });
  checkBuckets(problems, "predictionBuckets", args.predictionBuckets ?? []);
  checkQuality(problems, args.quality ?? []);
  const metricsPort = args.metricsPort ?? MODEL_METRICS_PORT_NAME;
  if (!PORT_NAME.test(metricsPort)) problems.add("metricsPort", metricsPort, "use the name of the container port serving /metrics (at most 15 lower-case letters, digits and -)");
  const monitoringNamespace = args.monitoringNamespace ?? DEFAULT_MONITORING_NAMESPACE;
  if (!isDnsLabel(monitoringNamespace)) problems.add("monitoringNamespace", monitoringNamespace, "use a namespace name (a DNS label)");

  const recentMinutes = args.recentWindowMinutes ?? MODEL_MONITOR_DEFAULTS.recentWindowMinutes;
  if (!Number.isInteger(recentMinutes) || recentMinutes < 5) problems.add("recentWindowMinutes", recentMinutes, "use a whole number of minutes, at least 5 (several scrapes)");
  const reference = {
    durationHours: args.referenceWindow?.durationHours ?? MODEL_MONITOR_DEFAULTS.reference.durationHours,
    offsetHours: args.referenceWindow?.offsetHours ?? MODEL_MONITOR_DEFAULTS.reference.offsetHours,
  };
  if (!Number.isInteger(reference.durationHours) || reference.durationHours < 1) problems.add("referenceWindow.durationHours", reference.durationHours, "use a whole number of hours, at least 1");
  if (!Number.isInteger(reference.offsetHours) || reference.offsetHours * 60 < recentMinutes) {
    problems.add("referenceWindow.offsetHours", reference.offsetHours, `use a whole number of hours that ends the reference window before the recent window of ${recentMinutes} minutes starts`);
  }
  if (args.retentionDays !== undefined && reference.durationHours + reference.offsetHours > args.retentionDays * 24) {
    problems.add(
      "referenceWindow",
      args.referenceWindow ?? reference,
      `the reference window reaches ${reference.durationHours + reference.offsetHours} hours back but Prometheus keeps ${args.retentionDays} days of metrics: shorten or move the window, or keep metrics longer`,
    );
  }
  const given = Object.fromEntries(Object.entries(args.thresholds ?? {}).filter(([, value]) => value !== undefined)) as ModelMonitorThresholdArgs;
  const thresholds: ModelRulesInput["thresholds"] = { ...MODEL_MONITOR_DEFAULTS.thresholds, ...given };
  for (const key of ["featurePsi", "predictionPsi", "errorRatio", "schemaViolationRatio"] as const) {
    if (!(thresholds[key] > 0)) problems.add(`thresholds.${key}`, thresholds[key], "use a number above 0");
  }
  if (!Number.isInteger(thresholds.forMinutes) || thresholds.forMinutes < 1) problems.add("thresholds.forMinutes", thresholds.forMinutes, "use a whole number of minutes, at least 1");
  problems.throwIfAny();

  const team = /^team-(.+)$/.exec(args.namespace)?.[1];
  return {
    model: args.model,
    namespace: args.namespace,
    ...(team !== undefined ? { team } : {}),
    podSelector: { ...args.podSelector },
    features: (args.features ?? []).map((feature) => ({ name: feature.name, buckets: [...feature.buckets] })),
    predictionBuckets: [...args.predictionBuckets],
    quality: (args.quality ?? []).map((metric) => ({
      name: metric.name,
      direction: metric.direction ?? QualityDirection.HigherIsBetter,
      ...(metric.baseline !== undefined ? { baseline: metric.baseline } : {}),
      maxDrop: metric.maxDrop ?? MODEL_MONITOR_DEFAULTS.qualityMaxDrop,
    })),
    recentMinutes,
    reference,
    thresholds,
    metricsPort,
    monitoringNamespace,
    runbooks: args.runbookUrl ?? DEFAULT_RUNBOOK_URL,
  };
}

/**
 * Watches one model that exports the platform's model contract: a PodMonitor that scrapes its pods, a
 * PrometheusRule computing data drift per feature and prediction drift (PSI of the recent window against
 * the reference window), concept drift (quality below its baseline), error and input-error ratios, with
 * their alerts (labelled with the team of a team namespace), and the model's Grafana dashboard. Needs the
 * Prometheus Operator's CRDs.
 */
export class ModelMonitor extends pulumi.ComponentResource {
  /** Name of the PrometheusRule (and rule group) holding the model's rules. */
  public readonly ruleGroup: pulumi.Output<string>;
  /** Grafana uid of the model's dashboard. */
  public readonly dashboardUid: pulumi.Output<string>;

  constructor(name: string, args: ModelMonitorArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("ModelMonitor"), name, {}, opts);
    const plan = planModelMonitor(name, args);
    const group = modelRules(plan);
    const dashboard = modelDashboard(plan);
    new k8s.apiextensions.CustomResource(`${name}-scrape`, modelPodMonitor(plan.monitoringNamespace, group.name, plan), { parent: this });
    new k8s.apiextensions.CustomResource(`${name}-rules`, prometheusRuleManifest(plan.monitoringNamespace, group), { parent: this });
    new k8s.core.v1.ConfigMap(`${name}-dashboard`, dashboardConfigMap(plan.monitoringNamespace, dashboard) as k8s.core.v1.ConfigMapArgs, { parent: this });

    this.ruleGroup = pulumi.output(group.name);
    this.dashboardUid = pulumi.output(modelDashboardUid(plan.namespace, plan.model));
    this.registerOutputs({ ruleGroup: this.ruleGroup, dashboardUid: this.dashboardUid });
  }
}
