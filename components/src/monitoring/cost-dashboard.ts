/**
 * The FinOps dashboard: what the platform costs (OpenCost's prices, the gateway's spend), per team and
 * namespace, the GPUs' cost and what idle GPUs cost, and the month's GPU spend against the budget.
 */
import { HOURS_PER_MONTH } from "../cost/estimate.js";
import { COST_SERIES } from "./cost-rules.js";
import { buildDashboard, stat, TEAM_NAMESPACE, teamVariable, timeseries, type Dashboard } from "./dashboard-kit.js";
import { DCGM, KUBE_STATE_METRICS, LITELLM, OPENCOST } from "./metrics.js";

export interface CostDashboardInput {
  /** The gateway's spend joins the GPUs' when the gateway runs. */
  gateway: boolean;
  gpuMonthlyBudgetUsd?: number;
}

export function costDashboard(input: CostDashboardInput): Dashboard {
  return buildDashboard({
    uid: "mlp-cost",
    title: "ML platform / Cost",
    description: "What the cluster and its GPUs cost now (OpenCost's prices), who holds the GPUs, what idle GPUs cost, the month against the budget, and what LLM calls cost.",
    variables: [teamVariable(KUBE_STATE_METRICS.metrics.resourceQuota.name)],
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
          stat({
            title: "Allocated but idle GPUs",
            description: "Price of GPUs pods hold while using less than 5% of them, per hour.",
            unit: "currencyUSD",
            queries: [
              {
                expr: `sum(${OPENCOST.metrics.containerGpuAllocation.name} * on (node) group_left () max by (node) (${OPENCOST.metrics.nodeGpuHourlyCost.name}) and on (namespace, pod) (max by (namespace, pod) (${DCGM.metrics.gpuUtil.name}{pod!=""}) < 5)) or vector(0)`,
                legend: "USD/hour",
              },
            ],
          }),
          timeseries({
            title: "GPU month against the budget",
            description: `What the GPUs running at each moment would cost over a month${input.gpuMonthlyBudgetUsd !== undefined ? `, and the budget of ${input.gpuMonthlyBudgetUsd} USD` : ""}.`,
            unit: "currencyUSD",
            width: 24,
            queries: [
              { expr: `${COST_SERIES.clusterGpu} * ${HOURS_PER_MONTH}`, legend: "GPUs for a month" },
              ...(input.gpuMonthlyBudgetUsd !== undefined ? [{ expr: `vector(${input.gpuMonthlyBudgetUsd})`, legend: "budget" }] : []),
            ],
          }),
        ],
      },
      {
        title: "Per team",
        panels: [
          timeseries({ title: "GPU cost per namespace", description: "Price of the GPUs each namespace's pods hold, per hour: teams and the platform's own.", unit: "currencyUSD", queries: [{ expr: COST_SERIES.namespaceGpu, legend: "{{namespace}}" }] }),
          timeseries({
            title: "GPU cost per team over the last day",
            description: "USD of GPU time each team namespace held in the last 24 hours.",
            unit: "currencyUSD",
            queries: [{ expr: `sum_over_time(${COST_SERIES.namespaceGpu}{${TEAM_NAMESPACE}}[1d:1h])`, legend: "{{namespace}}" }],
          }),
          ...(input.gateway
            ? [
                timeseries({
                  title: "LLM spend over the last day",
                  description: "USD each team spent through the AI gateway in the last 24 hours.",
                  unit: "currencyUSD",
                  queries: [{ expr: `sum by (team_alias) (increase(${LITELLM.metrics.spend.name}{team_alias=~"$team"}[1d]))`, legend: "{{team_alias}}" }],
                }),
              ]
            : []),
        ],
      },
    ],
  });
}
