/**
 * What MlPlatform decides from its args alone, before anything is created: which capabilities run, which
 * operators it installs, the namespaces they need, where GPU workloads go, and the problems only the
 * platform can see (they span capabilities, or the operators the cluster already runs).
 */
import type { PlatformNamespaceArgs } from "../cluster/cluster-base.js";
import { CLUSTER_OPERATORS, ClusterOperator } from "../cluster/operators.js";
import type { ArgumentProblems } from "../common/component.js";
import { ClusterProvider, PodSecurityLevel } from "../common/kubernetes.js";
import { CATALOG_NAMESPACE } from "../catalog/catalog-database.js";
import { CNPG_NAMESPACE } from "../database/cnpg-operator.js";
import { GATEWAY_NAMESPACE, GATEWAY_PORT } from "../gateway/ai-gateway.js";
import { teamSettingsErrors } from "../gateway/gateway-team.js";
import { GPU_CAPACITY_NAMESPACE, GPU_OPERATOR_NAMESPACE, type GpuPoolArgs } from "../gpu/gpu-node-pool.js";
import { GpuWorkload, podPlacement, type PodPlacement } from "../gpu/node-pool-spec.js";
import { MONITORING_NAMESPACE } from "../monitoring/monitoring-stack.js";
import { NOTEBOOK_ACCESS_NAMESPACE } from "../notebooks/notebook-access.js";
import { NOTEBOOK_CONTROLLER_NAMESPACE, PODDEFAULTS_WEBHOOK_NAMESPACE } from "../notebooks/notebook-spec.js";
import type { TeamArgs } from "../tenancy/team.js";
import { teamNamespace } from "../tenancy/team-spec.js";
import { KUEUE_NAMESPACE, TRAINER_NAMESPACE } from "../training/operators.js";
import type { MlPlatformArgs, MlPlatformCatalogArgs, MlPlatformGatewayArgs, MlPlatformMonitoringArgs, MlPlatformNotebookArgs, MlPlatformTrainingArgs } from "./args.js";
import { modelMonitorProblems } from "./monitoring-child.js";

/** A team as every capability sees it. */
export interface PlannedTeam {
  args: TeamArgs;
  name: string;
  namespace: string;
  /** Owners and members: who may use the team's notebooks. */
  groups: string[];
}

/** A GPU pool with where its pods go; `index` is its place in `gpu.pools`. */
export interface PlannedPool {
  args: GpuPoolArgs;
  index: number;
  placement: PodPlacement;
}

/** What MlPlatform creates, decided from its args before anything is created. */
export interface MlPlatformPlan {
  teams: PlannedTeam[];
  /** Operators the platform installs itself. */
  installs: ReadonlySet<ClusterOperator>;
  /** Namespaces ClusterBase creates for the capabilities (operators' included). */
  namespaces: PlatformNamespaceArgs[];
  priorityPrefix: string;
  gpuPools: GpuPoolArgs[];
  notebooks?: { args: MlPlatformNotebookArgs; pools: PlannedPool[] };
  training?: { args: MlPlatformTrainingArgs; kueue: boolean; pools: PlannedPool[] };
  gateway?: { args: MlPlatformGatewayArgs; url: string };
  /** The data catalog and its database. */
  catalog?: { args: MlPlatformCatalogArgs };
  /** The monitoring stack; with it the platform installs the Prometheus Operator unless the cluster runs one. */
  monitoring?: { args: MlPlatformMonitoringArgs };
  /** Which capabilities get ServiceMonitors/PodMonitors: only where the Prometheus Operator is available. */
  monitors: { gpu: boolean; notebooks: boolean; gateway: boolean; gatewayDatabase: boolean; catalogDatabase: boolean };
}

const PREINSTALLED_GPU_OPERATOR_SHARING = `GPU sharing is configured in the GPU Operator's device plugin, and a preinstalled "${ClusterOperator.NvidiaGpuOperator}" is not the platform's to configure: set sharing there and remove it here, or let the platform install the operator`;

/**
 * cert-manager gets a namespace of its own: in a team's namespace it would sit under the team's quota and
 * network isolation (and both would declare the Namespace), in another capability's namespace under that
 * capability's policies and lifecycle.
 */
function certManagerNamespaceProblems(
  args: MlPlatformArgs,
  installs: ReadonlySet<ClusterOperator>,
  namespaces: readonly PlatformNamespaceArgs[],
  teams: readonly PlannedTeam[],
  problems: ArgumentProblems,
): void {
  const certManager = args.clusterBase?.certManager;
  if (!installs.has(ClusterOperator.CertManager) || certManager?.enabled === false) return;
  const namespace = certManager?.namespace ?? "cert-manager";
  const team = teams.find((t) => t.namespace === namespace);
  const owners = namespaces.some((ns) => ns.name === namespace) || (installs.has(ClusterOperator.KubeflowNotebooks) && namespace === NOTEBOOK_CONTROLLER_NAMESPACE);
  if (team === undefined && !owners) return;
  const whose = team !== undefined ? `team ${team.name}'s namespace` : "a namespace of another capability of the platform";
  problems.add("clusterBase.certManager.namespace", namespace, `use a namespace of cert-manager's own, such as "cert-manager": ${namespace} is ${whose}`);
}

/**
 * Decides, from MlPlatform's args alone, which capabilities run, which operators the platform installs,
 * the namespaces they need and where GPU workloads go. Args that cannot work together are added to
 * `problems`; the plan is still returned, so the children's own checks can run on it too.
 */
export function planMlPlatform(args: MlPlatformArgs, problems: ArgumentProblems): MlPlatformPlan {
  const seen = new Set<string>();
  const teams = (args.teams ?? []).map((team, index): PlannedTeam => {
    if (seen.has(team.name)) problems.add(`teams[${index}].name`, team.name, "give every team a unique name");
    seen.add(team.name);
    return { args: team, name: team.name, namespace: teamNamespace(team.name), groups: [...team.owners, ...(team.members ?? [])] };
  });

  const preinstalled = new Set(args.preinstalledOperators ?? []);
  const operators: readonly string[] = CLUSTER_OPERATORS;
  const listed = new Set<string>();
  (args.preinstalledOperators ?? []).forEach((operator, index) => {
    if (!operators.includes(operator)) problems.add(`preinstalledOperators[${index}]`, operator, `use one of ${operators.join(", ")}`);
    else if (listed.has(operator)) problems.add(`preinstalledOperators[${index}]`, operator, "list each operator once");
    listed.add(operator);
  });
  const installs = new Set<ClusterOperator>();
  const install = (operator: ClusterOperator): void => {
    if (!preinstalled.has(operator)) installs.add(operator);
  };

  const gpuPools = args.gpu?.pools ?? [];
  // Each pool's objects and children are named after it.
  const poolNames = new Set<string>();
  gpuPools.forEach((pool, index) => {
    if (poolNames.has(pool.name)) problems.add(`gpu.pools[${index}].name`, pool.name, "give every pool a unique name");
    poolNames.add(pool.name);
  });
  const gpuCloud = args.gpu?.cloud;
  // A kind cluster has no GPU nodes: nothing is placed (GpuNodePool refuses its pools).
  const placedPools = (workload: GpuWorkload): PlannedPool[] =>
    gpuCloud === undefined || (gpuCloud as string) === ClusterProvider.Kind
      ? []
      : gpuPools.flatMap((pool, index) => ((pool.workloads ?? []).includes(workload) ? [{ args: pool, index, placement: podPlacement(pool, gpuCloud) }] : []));

  const notebooksArgs = args.notebooks ?? {};
  const notebooks = (notebooksArgs.enabled ?? true) ? { args: notebooksArgs, pools: placedPools(GpuWorkload.Notebooks) } : undefined;
  if (notebooks) install(ClusterOperator.KubeflowNotebooks);

  const trainingArgs = args.training ?? {};
  const training =
    (trainingArgs.enabled ?? true) ? { args: trainingArgs, kueue: trainingArgs.kueueEnabled ?? false, pools: placedPools(GpuWorkload.Training) } : undefined;
  if (training) install(ClusterOperator.KubeflowTrainer);
  if (training?.kueue) install(ClusterOperator.Kueue);

  const gatewayArgs = args.gateway !== undefined && (args.gateway.enabled ?? true) ? args.gateway : undefined;
  const gateway = gatewayArgs ? { args: gatewayArgs, url: `http://ai-gateway.${GATEWAY_NAMESPACE}.svc:${GATEWAY_PORT}/v1` } : undefined;
  if (gatewayArgs) gatewayTeamProblems(gatewayArgs, teams, problems);
  const database = gatewayArgs?.database;
  if (database) install(ClusterOperator.CloudNativePg);
  if (database?.backup) install(ClusterOperator.BarmanCloudPlugin);
  const catalogArgs = args.catalog !== undefined && (args.catalog.enabled ?? true) ? args.catalog : undefined;
  const catalogDatabase = catalogArgs ? (catalogArgs.database ?? {}) : undefined;
  if (catalogDatabase) install(ClusterOperator.CloudNativePg);
  if (catalogDatabase?.backup) install(ClusterOperator.BarmanCloudPlugin);

  if (gpuPools.length > 0) install(ClusterOperator.NvidiaGpuOperator);
  if (preinstalled.has(ClusterOperator.NvidiaGpuOperator)) {
    // Sharing is device-plugin configuration, which belongs to whoever installed the operator.
    gpuPools.forEach((pool, index) => {
      if (pool.timeSlicingReplicas !== undefined) {
        problems.add(`gpu.pools[${index}].timeSlicingReplicas`, pool.timeSlicingReplicas, PREINSTALLED_GPU_OPERATOR_SHARING);
      }
      if (pool.migProfile !== undefined) problems.add(`gpu.pools[${index}].migProfile`, pool.migProfile, PREINSTALLED_GPU_OPERATOR_SHARING);
    });
  }
  const backups: Array<[string, { destinationPath: string } | undefined]> = [
    ["gateway.database.backup", database?.backup],
    ["catalog.database.backup", catalogDatabase?.backup],
  ];
  for (const [at, backup] of backups) {
    if (!(backup && preinstalled.has(ClusterOperator.CloudNativePg) && !preinstalled.has(ClusterOperator.BarmanCloudPlugin))) continue;
    problems.add(
      at,
      backup.destinationPath,
      `backups need the barman-cloud plugin in the namespace of the cluster's own CloudNativePG: install it there and declare "${ClusterOperator.BarmanCloudPlugin}" preinstalled too, or let the platform install both (do not declare "${ClusterOperator.CloudNativePg}" preinstalled)`,
    );
  }

  // The monitoring stack brings the Prometheus Operator (kube-prometheus-stack) unless the cluster runs one.
  const monitoringArgs = args.monitoring !== undefined && (args.monitoring.enabled ?? true) ? args.monitoring : undefined;
  if (monitoringArgs) install(ClusterOperator.PrometheusOperator);

  // Monitors are custom resources of the Prometheus Operator: without it they would be rejected.
  const prometheusOperator = preinstalled.has(ClusterOperator.PrometheusOperator) || installs.has(ClusterOperator.PrometheusOperator);
  const monitor = (property: string, requested: boolean | undefined): boolean => {
    if (requested === true && !prometheusOperator) {
      problems.add(
        property,
        requested,
        `monitors need the Prometheus Operator: enable monitoring (the platform then installs it), declare "${ClusterOperator.PrometheusOperator}" preinstalled, or leave this unset (monitors are then created exactly when the operator is there)`,
      );
    }
    return requested ?? prometheusOperator;
  };
  const monitors = {
    gpu: monitor("gpu.serviceMonitor", args.gpu?.serviceMonitor),
    notebooks: monitor("notebooks.podMonitor", notebooksArgs.podMonitor),
    gateway: monitor("gateway.serviceMonitor", gatewayArgs?.serviceMonitor),
    gatewayDatabase: monitor("gateway.database.podMonitor", database?.podMonitor),
    catalogDatabase: monitor("catalog.database.podMonitor", catalogDatabase?.podMonitor),
  };

  // cert-manager signs the webhooks of what the platform installs: the PodDefault webhook, Trainer's
  // webhook and the backup plugin.
  const needsCertManager = [ClusterOperator.KubeflowNotebooks, ClusterOperator.KubeflowTrainer, ClusterOperator.BarmanCloudPlugin];
  if (needsCertManager.some((operator) => installs.has(operator))) install(ClusterOperator.CertManager);

  const namespaces: PlatformNamespaceArgs[] = [...(args.clusterBase?.namespaces ?? [])];
  // The PodDefault webhook's overlay expects its namespace to exist; the notebook controller's creates its own.
  if (installs.has(ClusterOperator.KubeflowNotebooks)) namespaces.push({ name: PODDEFAULTS_WEBHOOK_NAMESPACE, podSecurity: PodSecurityLevel.Baseline });
  if (notebooks?.args.access) namespaces.push({ name: NOTEBOOK_ACCESS_NAMESPACE });
  if (gateway) namespaces.push({ name: GATEWAY_NAMESPACE });
  // Baseline with the catalog service: the OpenMetadata and OpenSearch charts' pods do not all set a
  // restricted security context (OpenSearch's runs without a seccomp profile by default).
  if (catalogArgs) {
    const service = (catalogArgs.service?.enabled ?? true) ? { podSecurity: PodSecurityLevel.Baseline } : {};
    namespaces.push({ name: CATALOG_NAMESPACE, ...service });
  }
  if (installs.has(ClusterOperator.CloudNativePg)) namespaces.push({ name: CNPG_NAMESPACE });
  if (installs.has(ClusterOperator.KubeflowTrainer)) namespaces.push({ name: TRAINER_NAMESPACE });
  if (installs.has(ClusterOperator.Kueue)) namespaces.push({ name: KUEUE_NAMESPACE });
  // GPU Operator agents need privileged pods.
  if (installs.has(ClusterOperator.NvidiaGpuOperator)) namespaces.push({ name: GPU_OPERATOR_NAMESPACE, podSecurity: PodSecurityLevel.Privileged });
  if (gpuPools.some((pool) => (pool.minNodes ?? 0) > 0)) namespaces.push({ name: GPU_CAPACITY_NAMESPACE });
  // Baseline, not restricted: not every pod of kube-prometheus-stack and OpenCost sets a restricted security context.
  if (monitoringArgs) namespaces.push({ name: MONITORING_NAMESPACE, podSecurity: PodSecurityLevel.Baseline });

  certManagerNamespaceProblems(args, installs, namespaces, teams, problems);

  const plan: MlPlatformPlan = {
    teams,
    installs,
    namespaces,
    priorityPrefix: args.clusterBase?.priorityClasses?.prefix ?? "mlp",
    gpuPools,
    monitors,
    ...(notebooks ? { notebooks } : {}),
    ...(training ? { training } : {}),
    ...(gateway ? { gateway } : {}),
    ...(catalogArgs ? { catalog: { args: catalogArgs } } : {}),
    ...(monitoringArgs ? { monitoring: { args: monitoringArgs } } : {}),
  };
  modelMonitorProblems(plan, problems);
  return plan;
}

/**
 * Per-team gateway settings: they name a team and the gateway's models, and hold what a GatewayTeam gets
 * (checked by GatewayTeam's own rules, since the budget also becomes the team namespace's annotation even
 * when no GatewayTeam is created).
 */
function gatewayTeamProblems(gateway: MlPlatformGatewayArgs, teams: PlannedTeam[], problems: ArgumentProblems): void {
  const served = gateway.models.map((model) => model.name);
  for (const [teamName, settings] of Object.entries(gateway.teams ?? {})) {
    const at = `gateway.teams.${teamName}`;
    if (!teams.some((team) => team.name === teamName)) {
      problems.add(at, settings, `name a team of teams: ${teams.map((team) => team.name).join(", ") || "(none)"}`);
      continue;
    }
    (settings.models ?? []).forEach((model, i) => {
      if (!served.includes(model)) problems.add(`${at}.models[${i}]`, model, `use one of the gateway's models: ${served.join(", ")}`);
    });
    const errors = teamSettingsErrors(teamName, {
      teamAlias: teamName,
      ...(settings.models !== undefined ? { models: settings.models } : {}),
      ...(settings.monthlyBudgetUsd !== undefined ? { maxBudgetUsd: settings.monthlyBudgetUsd } : {}),
      ...(settings.tpmLimit !== undefined ? { tpmLimit: settings.tpmLimit } : {}),
      ...(settings.rpmLimit !== undefined ? { rpmLimit: settings.rpmLimit } : {}),
    });
    // The team's name (GatewayTeam's teamAlias) is Team's to judge, at teams[].name.
    const settingsErrors = errors.filter((error) => error.property !== "teamAlias");
    problems.forward(settingsErrors, (property) => (property === "maxBudgetUsd" ? `${at}.monthlyBudgetUsd` : `${at}.${property}`));
  }
}
