/**
 * The delivery dashboard: the four DORA keys of the platform's own deployments per environment, from the
 * recording rules of delivery.ts, and the deployments behind them.
 */
import { buildDashboard, labelVariable, stat, timeseries, type Dashboard } from "./dashboard-kit.js";
import { DORA_SERIES, DORA_WINDOW_DAYS } from "./delivery.js";
import { DEPLOYMENT_RECORDS } from "./metrics.js";

const ENVIRONMENT = 'environment=~"$environment"';

export function deliveryDashboard(): Dashboard {
  const deployed = DEPLOYMENT_RECORDS.metrics.deployed.name;
  const window = `last ${DORA_WINDOW_DAYS} days`;
  const perEnvironment = "{{environment}}";
  return buildDashboard({
    uid: "mlp-delivery",
    title: "ML platform / Delivery (DORA)",
    description: `How the platform itself is delivered, per environment: deployment frequency, lead time from merge to deploy, change failure rate and time to restore over the ${window}, from the deployment records the deploy pipeline writes.`,
    variables: [labelVariable("environment", "environment", deployed)],
    rows: [
      {
        title: `The four keys (${window})`,
        panels: [
          stat({
            title: "Deployment frequency",
            description: "Successful deployments per day.",
            unit: "none",
            queries: [{ expr: `${DORA_SERIES.deploymentFrequency}{${ENVIRONMENT}}`, legend: perEnvironment }],
          }),
          stat({
            title: "Lead time for changes",
            description: "Median time from a commit's merge to its successful deployment.",
            unit: "s",
            queries: [{ expr: `${DORA_SERIES.leadTime}{${ENVIRONMENT}}`, legend: perEnvironment }],
          }),
          stat({
            title: "Change failure rate",
            description: "Share of deployments whose `pulumi up` failed.",
            unit: "percentunit",
            warnAt: 0.15,
            queries: [{ expr: `${DORA_SERIES.changeFailureRate}{${ENVIRONMENT}}`, legend: perEnvironment }],
          }),
          stat({
            title: "Time to restore",
            description: "Median time from the first failed deployment of a run of failures to the successful deployment after it.",
            unit: "s",
            queries: [{ expr: `${DORA_SERIES.timeToRestore}{${ENVIRONMENT}}`, legend: perEnvironment }],
          }),
        ],
      },
      {
        title: "Over time",
        panels: [
          timeseries({
            title: "Deployments",
            description: `Deployments in the ${window}, by result.`,
            unit: "none",
            queries: [{ expr: `sum by (environment, result) (${DORA_SERIES.deployments}{${ENVIRONMENT}})`, legend: "{{environment}} {{result}}" }],
          }),
          timeseries({
            title: "Lead time and time to restore",
            description: `Medians over the ${window}, as they move.`,
            unit: "s",
            queries: [
              { expr: `${DORA_SERIES.leadTime}{${ENVIRONMENT}}`, legend: "{{environment}} lead time" },
              { expr: `${DORA_SERIES.timeToRestore}{${ENVIRONMENT}}`, legend: "{{environment}} time to restore" },
            ],
          }),
          timeseries({
            title: "Recoveries",
            description: "Each recovery: how long the environment's deployments failed before this successful one.",
            unit: "s",
            queries: [{ expr: `max by (environment, commit) (${DORA_SERIES.restore}{${ENVIRONMENT}})`, legend: "{{environment}} {{commit}}" }],
          }),
          timeseries({
            title: "Failing now",
            description: "How long the newest deployments of an environment have been failing (nothing while its newest deployment succeeded).",
            unit: "s",
            queries: [{ expr: `time() - ${DORA_SERIES.failingSince}{${ENVIRONMENT}}`, legend: perEnvironment }],
          }),
        ],
      },
    ],
  });
}
