/**
 * Which rules and dashboards a monitoring stack carries, decided from what the platform runs: a group and
 * a dashboard per monitored capability, cost with OpenCost, the monitoring stack's own health, and the
 * overview of every monitored model (each model's own rules and dashboard come with its ModelMonitor).
 */
import { costDashboard } from "./cost-dashboard.js";
import { costRules } from "./cost-rules.js";
import type { Dashboard } from "./dashboard-kit.js";
import { deliveryDashboard } from "./delivery-dashboard.js";
import { deliveryRules } from "./delivery.js";
import { databaseDashboard, gatewayDashboard, gpuDashboard, workloadsDashboard } from "./dashboards.js";
import { modelsOverviewDashboard } from "./model-dashboards.js";
import type { MonitoredCapability } from "./monitoring-stack.js";
import { monitoringHealthRules, trainingRules } from "./ops-rules.js";
import { databaseRules, gatewayRules, gpuRules, notebookRules, targetRules, type PrometheusRuleGroup } from "./rules.js";

/** The daily base backups of the platform's databases, plus two hours for a slow one. */
const BACKUP_MAX_AGE_HOURS = 26;

/** What decides the rules and dashboards. */
export interface MonitoringContent {
  monitored: MonitoredCapability[];
  /** OpenCost runs: cost rules and dashboard. */
  cost: boolean;
  gpuMonthlyBudgetUsd?: number;
  platformNamespaces: string[];
  /** Where the alerts' runbooks are. */
  runbooks: string;
}

/** What the rules watch: the capabilities that run, and the namespaces of the platform's own services. */
export interface CapabilityRulesInput {
  gpus: boolean;
  gateway: boolean;
  notebooks: boolean;
  /** Training jobs (kube-state-metrics' Job metrics). */
  training: boolean;
  /** PostgreSQL clusters (CloudNativePG). */
  databases: boolean;
  /** Kueue queues (fair GPU sharing). */
  kueue: boolean;
  /** Namespaces whose scrape targets must be up. */
  platformNamespaces: readonly string[];
  /** Age at which the newest base backup is stale; the platform's backups run daily. */
  backupMaxAgeHours: number;
  /** Where the runbooks are. */
  runbooks: string;
}


/** The groups for the capabilities that run, and the monitoring stack's own health. */
export function capabilityRuleGroups(input: CapabilityRulesInput): PrometheusRuleGroup[] {
  const { runbooks } = input;
  return [
    ...(input.platformNamespaces.length > 0 ? [targetRules(input.platformNamespaces, runbooks)] : []),
    monitoringHealthRules(runbooks),
    ...(input.gpus ? [gpuRules(runbooks)] : []),
    ...(input.gateway ? [gatewayRules(runbooks)] : []),
    ...(input.notebooks ? [notebookRules(runbooks)] : []),
    ...(input.databases ? [databaseRules(input.backupMaxAgeHours, runbooks)] : []),
    ...(input.training || input.kueue ? [trainingRules({ kueue: input.kueue, runbooks })] : []),
  ];
}


const has = (content: MonitoringContent, capability: `${MonitoredCapability}`) => (content.monitored as string[]).includes(capability);

export function monitoringRuleGroups(content: MonitoringContent): PrometheusRuleGroup[] {
  return [
    ...capabilityRuleGroups({
      gpus: has(content, "gpus"),
      gateway: has(content, "ai-gateway"),
      notebooks: has(content, "notebooks"),
      training: has(content, "training"),
      databases: has(content, "databases"),
      kueue: has(content, "kueue"),
      platformNamespaces: content.platformNamespaces,
      backupMaxAgeHours: BACKUP_MAX_AGE_HOURS,
      runbooks: content.runbooks,
    }),
    ...(content.cost ? [costRules({ runbooks: content.runbooks, ...(content.gpuMonthlyBudgetUsd !== undefined ? { gpuMonthlyBudgetUsd: content.gpuMonthlyBudgetUsd } : {}) })] : []),
    // The platform's own deployments (DORA), whatever it runs.
    deliveryRules(),
  ];
}

export function monitoringDashboards(content: MonitoringContent): Dashboard[] {
  const kueue = has(content, "kueue");
  const training = has(content, "training") || kueue;
  return [
    ...(has(content, "gpus") ? [gpuDashboard()] : []),
    ...(has(content, "ai-gateway") ? [gatewayDashboard()] : []),
    ...(has(content, "notebooks") || training ? [workloadsDashboard({ notebooks: has(content, "notebooks"), training, kueue })] : []),
    ...(has(content, "databases") ? [databaseDashboard()] : []),
    ...(content.cost
      ? [costDashboard({ gateway: has(content, "ai-gateway"), ...(content.gpuMonthlyBudgetUsd !== undefined ? { gpuMonthlyBudgetUsd: content.gpuMonthlyBudgetUsd } : {}) })]
      : []),
    modelsOverviewDashboard(),
    deliveryDashboard(),
  ];
}
