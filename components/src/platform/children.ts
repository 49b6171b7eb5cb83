/**
 * The args of every child MlPlatform creates, derived in one place from its args and plan: the constructor
 * creates the children from them, and `checkMlPlatformArgs` runs each child's own validation on them, so
 * the two cannot drift. Each child also says where its properties come from in MlPlatform's args, so a
 * child's problem is reported at the MlPlatform arg that caused it.
 */
import type { CatalogDatabaseArgs } from "../catalog/catalog-database.js";
import type { DataCatalogArgs } from "../catalog/data-catalog.js";
import { planClusterBase, type ClusterBaseArgs } from "../cluster/cluster-base.js";
import { ClusterOperator } from "../cluster/operators.js";
import type { CloudNativePgOperatorArgs } from "../database/cnpg-operator.js";
import type { PostgresClusterArgs } from "../database/postgres-cluster.js";
import { GATEWAY_BUDGET_ANNOTATION, GATEWAY_NAMESPACE, type AiGatewayArgs } from "../gateway/ai-gateway.js";
import type { GatewayTeamArgs } from "../gateway/gateway-team.js";
import type { GatewayTeamReconcilerArgs } from "../gateway/team-reconciler.js";
import { GPU_CAPACITY_NAMESPACE, GPU_OPERATOR_NAMESPACE, planGpuNodePool, type GpuNodePoolArgs } from "../gpu/gpu-node-pool.js";
import { planGpuOperator, type GpuOperatorArgs } from "../gpu/gpu-operator.js";
import { MONITORING_NAMESPACE, planMonitoringStack, type MonitoringStackArgs } from "../monitoring/monitoring-stack.js";
import { NOTEBOOK_ACCESS_NAMESPACE, planNotebookAccess, type NotebookAccessArgs } from "../notebooks/notebook-access.js";
import { planNotebookPlatform, type NotebookPlatformArgs } from "../notebooks/notebook-platform.js";
import { NOTEBOOK_CONTROLLER_NAMESPACE } from "../notebooks/notebook-spec.js";
import { GATEWAY_KEY_SECRET_NAME } from "../gateway/gateway-team-secret.js";
import { planTeam, type TeamArgs } from "../tenancy/team.js";
import { planTrainingPlatform, type TrainingPlatformArgs } from "../training/training-platform.js";
import type { MlPlatformArgs } from "./args.js";
import { MONITORING_PATH_RULES, modelMonitorChildren, monitoringStackArgs, prometheusNamespace } from "./monitoring-child.js";
import type { ModelMonitorArgs } from "../monitoring/model-monitor.js";
import type { MlPlatformPlan, PlannedPool } from "./plan.js";
import { child, type CheckableChild, type ChildSpec, type PathRule } from "./child-spec.js";
import { databaseChildren } from "./database-children.js";
import { gatewayChildren } from "./gateway-children.js";

export type { CheckableChild, ChildSpec, PathRule } from "./child-spec.js";

/** Every child, each present exactly when MlPlatform creates it. */
export interface PlatformChildren {
  clusterBase: ChildSpec<ClusterBaseArgs>;
  teams: ChildSpec<TeamArgs>[];
  gpuPools: ChildSpec<GpuNodePoolArgs>[];
  gpuOperator?: ChildSpec<GpuOperatorArgs>;
  monitoring?: ChildSpec<MonitoringStackArgs>;
  /** One per model `monitoring.models` declares. */
  modelMonitors: ChildSpec<ModelMonitorArgs>[];
  notebooks?: ChildSpec<NotebookPlatformArgs>;
  notebookAccess?: ChildSpec<NotebookAccessArgs>;
  training?: ChildSpec<TrainingPlatformArgs>;
  /** CloudNativePG, once for every database of the platform. */
  cnpg?: ChildSpec<CloudNativePgOperatorArgs>;
  gatewayDatabase?: ChildSpec<PostgresClusterArgs>;
  /** The data catalog's PostgreSQL. */
  catalogDatabase?: ChildSpec<CatalogDatabaseArgs>;
  /** The catalog service; its sources' passwords are only known once the databases are created. */
  dataCatalog?: ChildSpec<DataCatalogArgs>;
  /** Without `databaseUrl`: the database's connection URI is only known once it is created. */
  gateway?: ChildSpec<AiGatewayArgs>;
  /** Without `masterKey`: the gateway's master key is only known once the gateway is created. */
  gatewayTeams: ChildSpec<Omit<GatewayTeamArgs, "masterKey">>[];
  /** Every team's gateway team and key, reconciled in the cluster: with a database and no admin URL. */
  gatewayTeamReconciler?: ChildSpec<GatewayTeamReconcilerArgs>;
}

/** MlPlatform's path of a pool a capability was given (capabilities get a filtered list of `gpu.pools`). */
const poolPath = (pools: PlannedPool[], index: string): string => `gpu.pools[${pools[Number(index)]?.index ?? index}]`;

/** The args of every child MlPlatform creates for `args` and its plan. */
export function platformChildren(name: string, args: MlPlatformArgs, plan: MlPlatformPlan): PlatformChildren {
  const installs = plan.installs;
  const ownNamespaces = args.clusterBase?.namespaces ?? [];
  const certManager = args.clusterBase?.certManager;
  const clusterBase = child(
    "ClusterBase",
    `${name}-cluster`,
    {
      ...args.clusterBase,
      namespaces: plan.namespaces,
      certManager: { ...certManager, enabled: (certManager?.enabled ?? true) && installs.has(ClusterOperator.CertManager) },
    },
    [
      // The platform's own namespaces follow the caller's: a clash is reported at the caller's entry.
      [
        /^namespaces\[(\d+)\](.*)$/,
        (_all, index, rest) => {
          const i = Number(index);
          if (i < ownNamespaces.length) return `clusterBase.namespaces[${i}]${rest}`;
          const clash = ownNamespaces.findIndex((ns) => ns.name === plan.namespaces[i]?.name);
          return clash >= 0 ? `clusterBase.namespaces[${clash}].name` : "clusterBase.namespaces";
        },
      ],
    ],
    "clusterBase",
    planClusterBase,
  );

  const notebooks = plan.notebooks !== undefined;
  // Platform namespaces that reach into team namespaces: culling probes, the notebook router, and the
  // platform's Prometheus scraping model servers.
  const ingressNamespaces = [
    ...(notebooks ? [NOTEBOOK_CONTROLLER_NAMESPACE] : []),
    ...(plan.notebooks?.args.access ? [NOTEBOOK_ACCESS_NAMESPACE] : []),
    ...(prometheusNamespace(plan) ? [MONITORING_NAMESPACE] : []),
  ];
  const gateway = plan.gateway?.args;
  const trainingGpus = plan.training?.kueue
    ? { priorityClassName: `${plan.priorityPrefix}-training`, maxGpus: plan.training.pools.reduce((sum, { args: pool }) => sum + pool.maxGpus, 0) }
    : undefined;
  const teams = plan.teams.map(({ args: team, name: teamName }, index) => {
    const budget = gateway?.teams?.[teamName]?.monthlyBudgetUsd;
    return child(
      "Team",
      `${name}-team-${teamName}`,
      {
        ...team,
        ingressNamespaces: [...(team.ingressNamespaces ?? []), ...ingressNamespaces],
        serviceNamespaces: [...(team.serviceNamespaces ?? []), ...(gateway ? [GATEWAY_NAMESPACE] : [])],
        ...(budget !== undefined ? { annotations: { ...team.annotations, [GATEWAY_BUDGET_ANNOTATION]: String(budget) } } : {}),
        ...(trainingGpus ? { trainingGpus } : {}),
      },
      [],
      `teams[${index}]`,
      planTeam,
    );
  });

  const gpu = args.gpu;
  const gpuPools =
    gpu === undefined
      ? []
      : plan.gpuPools.map((pool, index) =>
          child(
            "GpuNodePool",
            `${name}-gpu-${pool.name}`,
            {
              cloud: gpu.cloud,
              pool,
              ...(gpu.aws ? { aws: gpu.aws } : {}),
              ...(gpu.azure ? { azure: gpu.azure } : {}),
              warmCapacityNamespace: GPU_CAPACITY_NAMESPACE,
              warmCapacityPriorityClass: `${plan.priorityPrefix}-placeholder`,
            },
            [
              [/^pool\./, `gpu.pools[${index}].`],
              [/^cloud$/, "gpu.cloud"],
              [/^warmCapacity/, `gpu.pools[${index}].minNodes`],
            ],
            "gpu",
            planGpuNodePool,
          ),
        );
  const gpuOperator =
    gpu !== undefined && plan.gpuPools.length > 0 && installs.has(ClusterOperator.NvidiaGpuOperator)
      ? child(
          "GpuOperator",
          `${name}-gpu-operator`,
          {
            cloud: gpu.cloud,
            namespace: GPU_OPERATOR_NAMESPACE,
            sharing: plan.gpuPools.map((pool) => ({
              pool: pool.name,
              ...(pool.timeSlicingReplicas !== undefined ? { timeSlicingReplicas: pool.timeSlicingReplicas } : {}),
              ...(pool.migProfile !== undefined ? { migProfile: pool.migProfile } : {}),
            })),
            ...(gpu.operatorVersion ? { version: gpu.operatorVersion } : {}),
            serviceMonitor: plan.monitors.gpu,
          },
          [
            [/^version$/, "gpu.operatorVersion"],
            [/^sharing\[(\d+)\]\.(.*)$/, "gpu.pools[$1].$2"],
          ],
          "gpu",
          planGpuOperator,
        )
      : undefined;

  const teamRules: PathRule[] = [
    [/^teams\[(\d+)\]\.(name|namespace)$/, "teams[$1].name"],
    [/^teams\[(\d+)\]\.groups$/, "teams[$1].owners"],
    [/^teams\[(\d+)\]\.gpus$/, "teams[$1].quota.gpus"],
    [/^teams\[(\d+)\]\.(cpu|memoryGiB)$/, "teams[$1].quota.$2"],
  ];
  return {
    clusterBase,
    teams,
    gpuPools,
    ...(gpuOperator ? { gpuOperator } : {}),
    ...monitoringChild(name, plan),
    modelMonitors: modelMonitorChildren(name, plan),
    ...notebookChildren(name, plan, teamRules),
    ...trainingChild(name, plan, teamRules),
    ...databaseChildren(name, plan),
    ...gatewayChildren(name, plan),
  };
}

function notebookChildren(name: string, plan: MlPlatformPlan, teamRules: PathRule[]): Pick<PlatformChildren, "notebooks" | "notebookAccess"> {
  if (plan.notebooks === undefined) return {};
  const pools = plan.notebooks.pools;
  const { enabled: _enabled, access, ...notebookArgs } = plan.notebooks.args;
  const notebooks = child(
    "NotebookPlatform",
    `${name}-notebooks`,
    {
      ...notebookArgs,
      podMonitor: plan.monitors.notebooks,
      installController: plan.installs.has(ClusterOperator.KubeflowNotebooks),
      teams: plan.teams.map((team) => ({ name: team.name, namespace: team.namespace, groups: team.groups, gpus: team.args.quota.gpus ?? 0 })),
      gpuPools: pools.map(({ args: pool, placement }) => ({ name: pool.name, ...placement })),
      ...(plan.gateway ? { gateway: { url: plan.gateway.url, keySecretName: GATEWAY_KEY_SECRET_NAME } } : {}),
    },
    [
      ...teamRules,
      // A pool's placement comes from its name (and the cloud).
      [/^gpuPools\[(\d+)\].*$/, (_all, index) => `${poolPath(pools, index)}.name`],
      [/^installController$/, "preinstalledOperators"],
    ],
    "notebooks",
    planNotebookPlatform,
  );
  const notebookAccess = access
    ? child(
        "NotebookAccess",
        `${name}-notebook-access`,
        { ...access, namespace: NOTEBOOK_ACCESS_NAMESPACE, teams: plan.teams.map((team) => ({ namespace: team.namespace, groups: team.groups })) },
        [...teamRules, [/^namespace$/, "notebooks.access"]],
        "notebooks.access",
        planNotebookAccess,
      )
    : undefined;
  return { notebooks, ...(notebookAccess ? { notebookAccess } : {}) };
}

function trainingChild(name: string, plan: MlPlatformPlan, teamRules: PathRule[]): Pick<PlatformChildren, "training"> {
  if (plan.training === undefined) return {};
  const pools = plan.training.pools;
  const { enabled: _enabled, ...trainingArgs } = plan.training.args;
  const training = child(
    "TrainingPlatform",
    `${name}-training`,
    {
      ...trainingArgs,
      kueueEnabled: plan.training.kueue,
      installTrainer: plan.installs.has(ClusterOperator.KubeflowTrainer),
      installKueue: plan.installs.has(ClusterOperator.Kueue),
      // Kueue's metrics, when the platform installs it and its Prometheus is there to scrape them.
      ...(plan.installs.has(ClusterOperator.Kueue) && prometheusNamespace(plan) ? { kueueMetricsNamespace: prometheusNamespace(plan)! } : {}),
      priorityClassName: `${plan.priorityPrefix}-training`,
      teams: plan.teams.map((team) => ({
        name: team.name,
        namespace: team.namespace,
        gpus: team.args.quota.gpus ?? 0,
        cpu: team.args.quota.cpu,
        memoryGiB: team.args.quota.memoryGiB,
      })),
      gpuPools: pools.map(({ args: pool, placement }) => ({ name: pool.name, gpu: pool.gpu, maxGpus: pool.maxGpus, ...placement })),
    },
    [
      ...teamRules,
      // A pool's placement comes from its name (and the cloud).
      [/^gpuPools\[(\d+)\](?:\.(name|gpu|maxGpus)$)?.*$/, (_all, index, field) => `${poolPath(pools, index)}.${field || "name"}`],
      [/^priorityClassName$/, "clusterBase.priorityClasses.prefix"],
      [/^install(Trainer|Kueue)$/, "preinstalledOperators"],
    ],
    "training",
    planTrainingPlatform,
  );
  return { training };
}

/** The monitoring stack, watching what the platform runs (its args are decided in monitoring-child.ts). */
function monitoringChild(name: string, plan: MlPlatformPlan): Pick<PlatformChildren, "monitoring"> {
  const args = monitoringStackArgs(plan);
  if (args === undefined) return {};
  return { monitoring: child("MonitoringStack", `${name}-monitoring`, args, MONITORING_PATH_RULES, "monitoring", planMonitoringStack) };
}

/** Every child in the order MlPlatform creates them. */
export function childrenInOrder(children: PlatformChildren): CheckableChild[] {
  const all: Array<CheckableChild | undefined> = [
    children.clusterBase,
    ...children.teams,
    ...children.gpuPools,
    children.gpuOperator,
    children.monitoring,
    ...children.modelMonitors,
    children.notebooks,
    children.notebookAccess,
    children.training,
    children.cnpg,
    children.catalogDatabase,
    children.gatewayDatabase,
    children.gateway,
    children.dataCatalog,
    ...children.gatewayTeams,
    children.gatewayTeamReconciler,
  ];
  return all.filter((spec): spec is CheckableChild => spec !== undefined);
}
