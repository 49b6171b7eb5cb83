/**
 * What the platform costs, from OpenCost's prices: recording rules for the hourly cost of GPUs per team
 * namespace and in total, and alerts when the GPU spend heads over the stack's monthly budget or the cost
 * data stops coming.
 */
import { HOURS_PER_MONTH } from "../cost/estimate.js";
import { OPENCOST } from "./metrics.js";
import { alertBuilder, AlertSeverity, type PrometheusRuleGroup } from "./rules.js";

/** Recorded series the cost dashboard and alerts read. */
export const COST_SERIES = {
  /** USD/hour of the GPUs allocated to pods, per namespace. */
  namespaceGpu: "mlp:namespace_gpu_cost_usd_per_hour:sum",
  /** USD/hour of every GPU on the cluster's nodes, allocated or not. */
  clusterGpu: "mlp:cluster_gpu_cost_usd_per_hour:sum",
  /** USD/hour of the cluster's nodes. */
  cluster: "mlp:cluster_cost_usd_per_hour:sum",
} as const;

const { metrics: opencost } = OPENCOST;

export interface CostRulesInput {
  /** Alert when the GPUs on the cluster, at their current count and price, would cost more per month. */
  gpuMonthlyBudgetUsd?: number;
  /** Where the runbooks are. */
  runbooks: string;
}

export function costRules(input: CostRulesInput): PrometheusRuleGroup {
  const alert = alertBuilder(input.runbooks);
  // OpenCost prices each GPU of a node; a container's allocation times its node's price is its cost.
  // `max by (node)` keeps one price per node, so the match is one-to-one whatever labels OpenCost adds.
  const gpuPrice = `max by (node) (${opencost.nodeGpuHourlyCost.name})`;
  const rules: PrometheusRuleGroup["rules"] = [
    {
      record: COST_SERIES.namespaceGpu,
      expr: `sum by (namespace) (${opencost.containerGpuAllocation.name} * on (node) group_left () ${gpuPrice})`,
    },
    { record: COST_SERIES.clusterGpu, expr: `sum(${gpuPrice} * on (node) max by (node) (${opencost.nodeGpuCount.name}))` },
    { record: COST_SERIES.cluster, expr: `sum(${opencost.nodeTotalHourlyCost.name})` },
    alert(
      "CostDataMissing",
      `absent(${opencost.nodeTotalHourlyCost.name})`,
      AlertSeverity.Warning,
      "30m",
      "OpenCost publishes no prices",
      "Without OpenCost's metrics the cost dashboard and the GPU budget alert are blind: check the OpenCost pod and its scrape.",
    ),
  ];
  if (input.gpuMonthlyBudgetUsd !== undefined) {
    rules.push(
      alert(
        "GpuSpendOverBudget",
        // The month of the render's GPU cost estimate, so the alert and the budget policy agree.
        `${COST_SERIES.clusterGpu} * ${HOURS_PER_MONTH} > ${input.gpuMonthlyBudgetUsd}`,
        AlertSeverity.Warning,
        "1h",
        "GPUs running now would cost {{ $value | humanize }} USD a month",
        `The cluster's GPUs, kept at today's count and price for a month, cost more than the budget of ${input.gpuMonthlyBudgetUsd} USD. Check for warm nodes no one uses.`,
      ),
    );
  }
  return { name: "mlp-cost", rules };
}
