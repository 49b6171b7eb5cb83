/**
 * Which rules and dashboards a monitoring stack carries, decided from what the platform runs: a group and
 * a dashboard per monitored capability, cost with OpenCost, and model drift always (models can appear in
 * any team namespace at any time).
 */
import { costModelDashboards } from "./cost-model-dashboards.js";
import { costRules } from "./cost-rules.js";
import type { Dashboard } from "./dashboard-kit.js";
import { databaseDashboard, gatewayDashboard, gpuDashboard, workloadsDashboard } from "./dashboards.js";
import { driftRules, type DriftThresholds } from "./drift-rules.js";
import type { MonitoredCapability } from "./monitoring-stack.js";
import { capabilityRuleGroups, type PrometheusRuleGroup } from "./rules.js";

/** The daily base backups of the platform's databases, plus two hours for a slow one. */
const BACKUP_MAX_AGE_HOURS = 26;

/** What decides the rules and dashboards. */
export interface MonitoringContent {
  monitored: MonitoredCapability[];
  /** OpenCost runs: cost rules and dashboard. */
  cost: boolean;
  gpuMonthlyBudgetUsd?: number;
  drift: DriftThresholds;
  platformNamespaces: string[];
}

const has = (content: MonitoringContent, capability: `${MonitoredCapability}`) => (content.monitored as string[]).includes(capability);

export function monitoringRuleGroups(content: MonitoringContent): PrometheusRuleGroup[] {
  return [
    ...capabilityRuleGroups({
      gpus: has(content, "gpus"),
      gateway: has(content, "ai-gateway"),
      notebooks: has(content, "notebooks"),
      databases: has(content, "databases"),
      kueue: has(content, "kueue"),
      platformNamespaces: content.platformNamespaces,
      backupMaxAgeHours: BACKUP_MAX_AGE_HOURS,
    }),
    ...(content.cost ? [costRules({ ...(content.gpuMonthlyBudgetUsd !== undefined ? { gpuMonthlyBudgetUsd: content.gpuMonthlyBudgetUsd } : {}) })] : []),
    driftRules(content.drift),
  ];
}

export function monitoringDashboards(content: MonitoringContent): Dashboard[] {
  const kueue = has(content, "kueue");
  return [
    ...(has(content, "gpus") ? [gpuDashboard()] : []),
    ...(has(content, "ai-gateway") ? [gatewayDashboard()] : []),
    ...(has(content, "notebooks") || kueue ? [workloadsDashboard(kueue)] : []),
    ...(has(content, "databases") ? [databaseDashboard()] : []),
    ...costModelDashboards({
      cost: content.cost,
      gateway: has(content, "ai-gateway"),
      ...(content.gpuMonthlyBudgetUsd !== undefined ? { gpuMonthlyBudgetUsd: content.gpuMonthlyBudgetUsd } : {}),
      drift: content.drift,
    }),
  ];
}
