/**
 * Model-monitoring dashboards: one per monitored model, made by its ModelMonitor (which knows the model's
 * features, windows and thresholds), and an overview of every monitored model that the monitoring stack
 * ships, read from the series the ModelMonitors record.
 */
import { buildDashboard, labelVariable, stat, timeseries, type Dashboard } from "./dashboard-kit.js";
import { MODEL_CONTRACT } from "./metrics.js";
import { MODEL_SERIES, PSI_MODERATE, PSI_SIGNIFICANT, type ModelRulesInput } from "./model-rules.js";
import { contentDigest } from "../common/kubernetes.js";

/** Grafana refuses dashboard uids longer than 40 characters. */
const MAX_UID_LENGTH = 40;

/** The uid of a model's dashboard: `mlp-model-<namespace>-<model>`, shortened with a digest when too long. */
export function modelDashboardUid(namespace: string, model: string): string {
  const uid = `mlp-model-${namespace}-${model}`;
  if (uid.length <= MAX_UID_LENGTH) return uid;
  const digest = contentDigest(uid).padStart(8, "0");
  return `${uid.slice(0, MAX_UID_LENGTH - digest.length - 1)}-${digest}`;
}

const PSI_READING = `PSI below ${PSI_MODERATE} is stable, ${PSI_MODERATE} to ${PSI_SIGNIFICANT} a moderate shift, above ${PSI_SIGNIFICANT} a significant one`;

/** One model's dashboard: traffic, input errors, data drift per feature, prediction drift, quality. */
export function modelDashboard(input: ModelRulesInput): Dashboard {
  const model = MODEL_CONTRACT.metrics;
  const selector = `namespace="${input.namespace}", model="${input.model}"`;
  const versioned = `${selector}, version=~"$version"`;
  const windows = `the last ${input.recentMinutes} minutes against the ${input.reference.durationHours} hours that ended ${input.reference.offsetHours} hours ago`;
  const { thresholds } = input;
  return buildDashboard({
    uid: modelDashboardUid(input.namespace, input.model),
    title: `ML model / ${input.namespace} / ${input.model}`,
    description: `Model ${input.model} in ${input.namespace}: traffic and input errors per version, data and prediction drift (population stability index, ${windows}), and quality on delayed ground truth against its baseline.`,
    variables: [labelVariable("version", "version", `${model.requests.name}{${selector}}`)],
    rows: [
      {
        title: "Traffic",
        panels: [
          timeseries({ title: "Requests", description: "Prediction requests per second, per version.", unit: "reqps", width: 6, queries: [{ expr: `sum by (version) (rate(${model.requests.name}{${versioned}}[$__rate_interval]))`, legend: "{{version}}" }] }),
          timeseries({
            title: "Errors",
            description: `Share of requests that failed; an alert fires above ${thresholds.errorRatio * 100}%.`,
            unit: "percentunit",
            width: 6,
            queries: [{ expr: `${MODEL_SERIES.errorRatio}{${versioned}}`, legend: "{{version}}" }],
          }),
          timeseries({
            title: "Input schema violations",
            description: `Share of requests whose input broke the schema; an alert fires above ${thresholds.schemaViolationRatio * 100}%.`,
            unit: "percentunit",
            width: 6,
            queries: [{ expr: `${MODEL_SERIES.schemaViolationRatio}{${versioned}}`, legend: "{{version}}" }],
          }),
          timeseries({
            title: "Latency (p95)",
            description: "Time to serve a prediction.",
            unit: "s",
            width: 6,
            queries: [{ expr: `histogram_quantile(0.95, sum by (le, version) (rate(${model.latency.name}_bucket{${versioned}}[$__rate_interval])))`, legend: "{{version}}" }],
          }),
        ],
      },
      {
        title: "Drift",
        panels: [
          ...(input.features.length > 0
            ? [
                timeseries({
                  title: "Data drift per feature (PSI)",
                  description: `${PSI_READING}; an alert fires above ${thresholds.featurePsi} held for ${thresholds.forMinutes} minutes. Features: ${input.features.map((f) => f.name).join(", ")}.`,
                  unit: "none",
                  queries: [{ expr: `${MODEL_SERIES.featurePsi}{${selector}}`, legend: "{{feature}}" }],
                }),
              ]
            : []),
          timeseries({
            title: "Prediction drift (PSI)",
            description: `${PSI_READING}; an alert fires above ${thresholds.predictionPsi} held for ${thresholds.forMinutes} minutes.`,
            unit: "none",
            queries: [{ expr: `${MODEL_SERIES.predictionPsi}{${selector}}`, legend: "predictions" }],
          }),
          timeseries({
            title: "Prediction distribution",
            description: "Share of predictions in each bucket (upper bound shown), recent window and reference window.",
            unit: "percentunit",
            queries: [
              { expr: `${MODEL_SERIES.predictionShareRecent}{${selector}}`, legend: "recent ≤ {{le}}" },
              { expr: `${MODEL_SERIES.predictionShareReference}{${selector}}`, legend: "reference ≤ {{le}}" },
            ],
          }),
        ],
      },
      ...(input.quality.length > 0
        ? [
            {
              title: "Quality",
              panels: [
                timeseries({
                  title: "Quality against its baseline",
                  description: `Quality on delayed ground truth per version, and the baseline it is held to (${input.quality.map((q) => `${q.name}: ${q.baseline ?? "its reference-window average"}`).join(", ")}).`,
                  unit: "none",
                  queries: [
                    { expr: `max by (version, metric) (${model.quality.name}{${versioned}})`, legend: "{{metric}} {{version}}" },
                    { expr: `${MODEL_SERIES.qualityBaseline}{${selector}}`, legend: "{{metric}} baseline" },
                  ],
                }),
                timeseries({
                  title: "Quality drop (concept drift)",
                  description: `How much worse than the baseline each metric is; an alert fires above ${input.quality.map((q) => `${q.maxDrop} (${q.name})`).join(", ")} held for ${thresholds.forMinutes} minutes.`,
                  unit: "none",
                  queries: [{ expr: `${MODEL_SERIES.qualityDrop}{${versioned}}`, legend: "{{metric}} {{version}}" }],
                }),
              ],
            },
          ]
        : []),
    ],
  });
}

/** Every monitored model at a glance, from the series each ModelMonitor records. */
export function modelsOverviewDashboard(): Dashboard {
  const selector = `namespace=~"$namespace", model=~"$model"`;
  return buildDashboard({
    uid: "mlp-models",
    title: "ML platform / Models",
    description: `Every model a ModelMonitor watches: drift (${PSI_READING}), quality drops, failures and input errors. Each model's own dashboard has the detail.`,
    variables: [labelVariable("namespace", "namespace", MODEL_SERIES.predictionPsi), labelVariable("model", "model", MODEL_SERIES.predictionPsi)],
    rows: [
      {
        title: "Drift",
        panels: [
          stat({
            title: "Most drifted feature",
            description: "The largest feature PSI of each model.",
            unit: "none",
            warnAt: PSI_MODERATE,
            queries: [{ expr: `max by (namespace, model) (${MODEL_SERIES.featurePsi}{${selector}})`, legend: "{{namespace}}/{{model}}" }],
            width: 12,
          }),
          stat({
            title: "Prediction drift",
            description: "PSI of each model's predictions.",
            unit: "none",
            warnAt: PSI_MODERATE,
            queries: [{ expr: `max by (namespace, model) (${MODEL_SERIES.predictionPsi}{${selector}})`, legend: "{{namespace}}/{{model}}" }],
            width: 12,
          }),
          timeseries({
            title: "Data drift per feature (PSI)",
            description: PSI_READING,
            unit: "none",
            queries: [{ expr: `${MODEL_SERIES.featurePsi}{${selector}}`, legend: "{{namespace}}/{{model}} {{feature}}" }],
          }),
          timeseries({
            title: "Quality drop (concept drift)",
            description: "How much worse than its baseline each quality metric is (positive: worse).",
            unit: "none",
            queries: [{ expr: `${MODEL_SERIES.qualityDrop}{${selector}}`, legend: "{{namespace}}/{{model}} {{version}} {{metric}}" }],
          }),
        ],
      },
      {
        title: "Serving",
        panels: [
          timeseries({ title: "Errors", description: "Share of requests that failed.", unit: "percentunit", queries: [{ expr: `${MODEL_SERIES.errorRatio}{${selector}}`, legend: "{{namespace}}/{{model}} {{version}}" }] }),
          timeseries({
            title: "Input schema violations",
            description: "Share of requests whose input broke the schema.",
            unit: "percentunit",
            queries: [{ expr: `${MODEL_SERIES.schemaViolationRatio}{${selector}}`, legend: "{{namespace}}/{{model}} {{version}}" }],
          }),
        ],
      },
    ],
  });
}
