/**
 * Dashboards for what the platform costs (OpenCost's prices, the gateway's spend) and how its models
 * behave (the model contract: traffic, errors, drift).
 */
import { HOURS_PER_MONTH } from "../cost/estimate.js";
import { COST_SERIES } from "./cost-rules.js";
import { buildDashboard, labelVariable, stat, timeseries, type Dashboard } from "./dashboard-kit.js";
import { MODEL_SERIES, type DriftThresholds } from "./drift-rules.js";
import { LITELLM, MODEL_CONTRACT } from "./metrics.js";

export interface CostDashboardInput {
  /** The gateway's spend joins the GPUs' when the gateway runs. */
  gateway: boolean;
  gpuMonthlyBudgetUsd?: number;
}

export function costDashboard(input: CostDashboardInput): Dashboard {
  return buildDashboard({
    uid: "mlp-cost",
    title: "ML platform / Cost",
    description: "What the cluster and its GPUs cost now (OpenCost's prices), who holds the GPUs, and what LLM calls cost.",
    rows: [
      {
        title: "Now",
        panels: [
          stat({ title: "Cluster", description: "Price of every node, per hour.", unit: "currencyUSD", queries: [{ expr: COST_SERIES.cluster, legend: "USD/hour" }] }),
          stat({ title: "GPUs", description: "Price of every GPU on the nodes, per hour.", unit: "currencyUSD", queries: [{ expr: COST_SERIES.clusterGpu, legend: "USD/hour" }] }),
          stat({
            title: "GPUs for a month",
            description: `Today's GPUs kept for a month (${HOURS_PER_MONTH} hours)${input.gpuMonthlyBudgetUsd !== undefined ? `; the budget is ${input.gpuMonthlyBudgetUsd} USD` : ""}.`,
            unit: "currencyUSD",
            ...(input.gpuMonthlyBudgetUsd !== undefined ? { warnAt: input.gpuMonthlyBudgetUsd } : {}),
            queries: [{ expr: `${COST_SERIES.clusterGpu} * ${HOURS_PER_MONTH}`, legend: "USD/month" }],
          }),
          stat({
            title: "Unallocated GPUs",
            description: "Price of GPUs no pod holds, per hour: warm capacity and nodes waiting to scale down.",
            unit: "currencyUSD",
            queries: [{ expr: `${COST_SERIES.clusterGpu} - (sum(${COST_SERIES.namespaceGpu}) or vector(0))`, legend: "USD/hour" }],
          }),
        ],
      },
      {
        title: "Per team",
        panels: [
          timeseries({ title: "GPU cost per hour", description: "Price of the GPUs each namespace's pods hold.", unit: "currencyUSD", queries: [{ expr: COST_SERIES.namespaceGpu, legend: "{{namespace}}" }] }),
          timeseries({
            title: "GPU cost over the last day",
            description: "USD of GPU time each namespace held in the last 24 hours.",
            unit: "currencyUSD",
            queries: [{ expr: `sum_over_time(${COST_SERIES.namespaceGpu}[1d:1h])`, legend: "{{namespace}}" }],
          }),
          ...(input.gateway
            ? [
                timeseries({
                  title: "LLM spend over the last day",
                  description: "USD each team spent through the AI gateway in the last 24 hours.",
                  unit: "currencyUSD",
                  queries: [{ expr: `sum by (team_alias) (increase(${LITELLM.metrics.spend.name}[1d]))`, legend: "{{team_alias}}" }],
                }),
              ]
            : []),
        ],
      },
    ],
  });
}

/** The cost dashboard (with OpenCost) and the model dashboard. */
export function costModelDashboards(input: CostDashboardInput & { cost: boolean; drift: DriftThresholds }): Dashboard[] {
  return [...(input.cost ? [costDashboard(input)] : []), modelDashboard(input.drift)];
}

export function modelDashboard(thresholds: DriftThresholds): Dashboard {
  const model = MODEL_CONTRACT.metrics;
  const selector = `namespace=~"$namespace", model=~"$model"`;
  const by = "namespace, model, version";
  return buildDashboard({
    uid: "mlp-models",
    title: "ML platform / Models",
    description: "Models that follow the platform's model contract: traffic, errors, latency, and drift from their training data.",
    variables: [labelVariable("namespace", "namespace", model.predictions.name), labelVariable("model", "model", model.predictions.name)],
    rows: [
      {
        title: "Serving",
        panels: [
          timeseries({ title: "Predictions", description: "Predictions per second.", unit: "reqps", queries: [{ expr: `sum by (${by}) (rate(${model.predictions.name}{${selector}}[$__rate_interval]))`, legend: "{{model}} {{version}}" }] }),
          timeseries({
            title: "Errors",
            description: `Share of predictions that failed; an alert fires above ${thresholds.errorRatio * 100}%.`,
            unit: "percentunit",
            queries: [{ expr: `${MODEL_SERIES.errorRatio}{${selector}}`, legend: "{{model}} {{version}}" }],
          }),
          timeseries({
            title: "Latency (p95)",
            description: "Time to serve a prediction.",
            unit: "s",
            queries: [{ expr: `histogram_quantile(0.95, sum by (le, ${by}) (rate(${model.latency.name}_bucket{${selector}}[$__rate_interval])))`, legend: "{{model}} {{version}}" }],
          }),
        ],
      },
      {
        title: "Drift",
        panels: [
          timeseries({
            title: "Feature drift",
            description: `Drift score of each input feature against the training data; an alert fires above ${thresholds.featureDrift} for ${thresholds.forMinutes} minutes.`,
            unit: "none",
            queries: [{ expr: `max by (${by}, feature) (${model.featureDrift.name}{${selector}})`, legend: "{{model}} {{version}} {{feature}}" }],
          }),
          timeseries({
            title: "Prediction drift",
            description: `Drift score of the predictions; an alert fires above ${thresholds.predictionDrift} for ${thresholds.forMinutes} minutes.`,
            unit: "none",
            queries: [{ expr: `max by (${by}) (${model.predictionDrift.name}{${selector}})`, legend: "{{model}} {{version}}" }],
          }),
          stat({
            title: "Drift last computed",
            description: `Time since the drift job last reported; stale after ${thresholds.staleAfterHours} hours.`,
            unit: "s",
            warnAt: thresholds.staleAfterHours * 3600,
            width: 12,
            queries: [{ expr: `time() - max by (${by}) (${model.driftEvaluated.name}{${selector}})`, legend: "{{model}} {{version}}" }],
          }),
          stat({
            title: "Most drifted feature",
            description: "The largest feature drift score of each model version.",
            unit: "none",
            warnAt: thresholds.featureDrift,
            width: 12,
            queries: [{ expr: `${MODEL_SERIES.featureDriftMax}{${selector}}`, legend: "{{model}} {{version}}" }],
          }),
        ],
      },
    ],
  });
}
