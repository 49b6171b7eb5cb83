import * as pulumi from "@pulumi/pulumi";
import { ClusterBase, type ClusterBaseArgs, type PlatformNamespaceArgs } from "../cluster/cluster-base.js";
import { ClusterOperator } from "../cluster/operators.js";
import type { WorkloadClass } from "../cluster/priority-classes.js";
import { ComponentArgumentError, invalidArgument, typeToken } from "../common/component.js";
import { CloudNativePgOperator, CNPG_NAMESPACE } from "../database/cnpg-operator.js";
import { PostgresCluster, type PostgresClusterArgs } from "../database/postgres-cluster.js";
import { AiGateway, GATEWAY_BUDGET_ANNOTATION, GATEWAY_NAMESPACE, GATEWAY_PORT, type AiGatewayArgs } from "../gateway/ai-gateway.js";
import { GatewayTeam } from "../gateway/gateway-team.js";
import { GATEWAY_KEY_SECRET_NAME, gatewayKeySecret } from "../gateway/gateway-team-secret.js";
import { GPU_CAPACITY_NAMESPACE, GPU_OPERATOR_NAMESPACE, GpuNodePool, type AwsGpuNodeArgs, type AzureGpuNodeArgs, type GpuPoolArgs } from "../gpu/gpu-node-pool.js";
import { GpuOperator } from "../gpu/gpu-operator.js";
import { podPlacement, type PodPlacement } from "../gpu/node-pool-spec.js";
import { NOTEBOOK_ACCESS_NAMESPACE, NotebookAccess, type NotebookAccessArgs } from "../notebooks/notebook-access.js";
import { NotebookPlatform, type NotebookPlatformArgs } from "../notebooks/notebook-platform.js";
import { NOTEBOOK_CONTROLLER_NAMESPACE, PODDEFAULTS_WEBHOOK_NAMESPACE } from "../notebooks/notebook-spec.js";
import { Team, type TeamArgs } from "../tenancy/team.js";
import { teamNamespace } from "../tenancy/team-spec.js";
import { KUEUE_NAMESPACE, TRAINER_NAMESPACE } from "../training/operators.js";
import { TrainingPlatform, type TrainingPlatformArgs } from "../training/training-platform.js";

/** GPU pools and the NVIDIA stack. */
export interface MlPlatformGpuArgs {
  /** Where the cluster runs: `aws`, `azure` or `gcp` (kind clusters have no GPUs). */
  cloud: string;
  /** @default [] */
  pools?: GpuPoolArgs[];
  /** Required for pools on AWS. */
  aws?: AwsGpuNodeArgs;
  /** @default {} */
  azure?: AzureGpuNodeArgs;
  /**
   * Exact GPU Operator chart version.
   * @default GPU_OPERATOR_CHART.version
   */
  operatorVersion?: string;
  /**
   * ServiceMonitor for the DCGM exporter (needs the Prometheus Operator's CRDs).
   * @default true
   */
  serviceMonitor?: boolean;
}

/** Notebook settings; teams and GPU pools come from the rest of MlPlatformArgs. */
export interface MlPlatformNotebookArgs extends Omit<NotebookPlatformArgs, "teams" | "gpuPools" | "installController"> {
  /** @default true */
  enabled?: boolean;
  /**
   * Reach notebooks from outside the cluster through an Ingress or Gateway, behind OIDC sign-in.
   * @default none (port-forward only)
   */
  access?: Omit<NotebookAccessArgs, "namespace" | "teams">;
}

/** Training settings; teams, GPU pools and the PriorityClass come from the rest of MlPlatformArgs. */
export interface MlPlatformTrainingArgs
  extends Omit<TrainingPlatformArgs, "teams" | "gpuPools" | "priorityClassName" | "installTrainer" | "installKueue"> {
  /** @default true */
  enabled?: boolean;
}

/** AI gateway settings; its namespace and clients come from the rest of MlPlatformArgs. */
export interface MlPlatformGatewayArgs extends Omit<AiGatewayArgs, "namespace" | "clientNamespaces" | "databaseUrl"> {
  /** @default true */
  enabled?: boolean;
  /**
   * PostgreSQL for keys, teams and spend (CloudNativePG, through the shared PostgresCluster).
   * @default none (only the master key authenticates)
   */
  database?: Omit<PostgresClusterArgs, "namespace" | "database" | "owner">;
  /**
   * The gateway's admin URL as seen from where `pulumi up` runs (an ingress, or a port-forward). With it
   * (and a database), every team gets a gateway team and key, stored in its namespace.
   * @default none: teams get no keys
   */
  adminUrl?: string;
  /**
   * Per-team gateway settings, by team name.
   * @default {}
   */
  teams?: Record<string, MlPlatformGatewayTeamArgs>;
}

/** What a team may do through the gateway. */
export interface MlPlatformGatewayTeamArgs {
  /**
   * Models the team may use.
   * @default all of the gateway's models
   */
  models?: string[];
  /**
   * Monthly spend cap, USD.
   * @default none
   */
  monthlyBudgetUsd?: number;
  /** @default none */
  tpmLimit?: number;
  /** @default none */
  rpmLimit?: number;
}

/** Where a pool's pods go: what notebooks and training put in their pod specs. */
export interface GpuPoolPlacement {
  gpu: string;
  maxGpus: number;
  nodeSelector: Record<string, string>;
  tolerations: Array<{ key: string; operator: string; effect: string }>;
}

/**
 * The whole platform from one typed spec. Each capability has its own optional section; `infra/` maps a
 * stack file onto these args.
 */
export interface MlPlatformArgs {
  /**
   * Namespaces, cert-manager and PriorityClasses shared by every capability.
   * @default {} (all ClusterBase defaults)
   */
  clusterBase?: ClusterBaseArgs;
  /**
   * Teams on the platform: each gets a namespace `team-<name>` with quota, RBAC and network isolation.
   * @default []
   */
  teams?: TeamArgs[];
  /**
   * GPU pools, and the NVIDIA GPU Operator when there is at least one pool.
   * @default no GPUs
   */
  gpu?: MlPlatformGpuArgs;
  /**
   * Kubeflow Notebooks for every team.
   * @default { enabled: true }
   */
  notebooks?: MlPlatformNotebookArgs;
  /**
   * Kubeflow Trainer with the platform's runtimes, and Kueue for fair GPU sharing when enabled.
   * @default { enabled: true, kueueEnabled: false }
   */
  training?: MlPlatformTrainingArgs;
  /**
   * The AI gateway (LiteLLM) in front of LLM providers, for every team.
   * @default no gateway
   */
  gateway?: MlPlatformGatewayArgs;
  /**
   * Operators the cluster already runs. The platform installs none of them and creates its own objects on
   * top (it does not check they are there: the stack program's preflight does).
   * @default [] (the platform installs every operator it uses)
   */
  preinstalledOperators?: ClusterOperator[];
}

/** A team as every capability sees it. */
interface PlannedTeam {
  args: TeamArgs;
  name: string;
  namespace: string;
  /** Owners and members: who may use the team's notebooks. */
  groups: string[];
}

/** A GPU pool with where its pods go. */
interface PlannedPool {
  args: GpuPoolArgs;
  placement: PodPlacement;
}

/** What MlPlatform creates, decided from its args before anything is created. */
interface MlPlatformPlan {
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
  /** Which capabilities get ServiceMonitors/PodMonitors: only where the Prometheus Operator is available. */
  monitors: { gpu: boolean; notebooks: boolean; gateway: boolean; gatewayDatabase: boolean };
}

/** An ML platform on one Kubernetes cluster. */
export class MlPlatform extends pulumi.ComponentResource {
  /** Every namespace the platform created. */
  public readonly namespaces: pulumi.Output<string[]>;
  /** Namespace of cert-manager, when the platform installs it. */
  public readonly certManagerNamespace: pulumi.Output<string | undefined>;
  /** PriorityClass name per workload, for pods the platform and its users create. */
  public readonly priorityClassNames: pulumi.Output<Record<WorkloadClass, string>>;
  /** In-cluster URL of the AI gateway's OpenAI-compatible endpoint, when there is one. */
  public readonly gatewayUrl: pulumi.Output<string | undefined>;
  /** Namespace of each team, keyed by team name. */
  public readonly teamNamespaces: pulumi.Output<Record<string, string>>;
  /** Placement of each GPU pool, keyed by pool name. */
  public readonly gpuPools: pulumi.Output<Record<string, GpuPoolPlacement>>;

  constructor(name: string, args: MlPlatformArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("MlPlatform"), name, {}, opts);
    const plan = planMlPlatform(name, args);

    const base = this.clusterBase(name, args, plan);
    const teams = this.teams(name, plan);
    const pools = this.gpu(name, args, plan, base);
    this.notebooks(name, plan, base, teams);
    this.training(name, plan, base, teams);
    const gateway = this.gateway(name, plan, base, teams);

    this.namespaces = base.namespaces;
    this.gatewayUrl = gateway ? gateway.url : pulumi.output(undefined);
    this.certManagerNamespace = base.certManagerNamespace;
    this.priorityClassNames = base.priorityClassNames;
    this.teamNamespaces = pulumi
      .all(teams.map((team) => pulumi.all([team.teamName, team.namespace])))
      .apply((pairs) => Object.fromEntries(pairs));
    this.gpuPools = pulumi
      .all(pools.map((pool) => pulumi.all([pool.poolName, pool.gpuType, pool.maxGpus, pool.nodeSelector, pool.tolerations])))
      .apply((entries) =>
        Object.fromEntries(entries.map(([poolName, gpu, maxGpus, nodeSelector, tolerations]) => [poolName, { gpu, maxGpus, nodeSelector, tolerations }])),
      );
    this.registerOutputs({
      gatewayUrl: this.gatewayUrl,
      gpuPools: this.gpuPools,
      teamNamespaces: this.teamNamespaces,
      namespaces: this.namespaces,
      certManagerNamespace: this.certManagerNamespace,
      priorityClassNames: this.priorityClassNames,
    });
  }

  /** Namespaces, cert-manager (when something the platform installs needs it) and PriorityClasses. */
  private clusterBase(name: string, args: MlPlatformArgs, plan: MlPlatformPlan): ClusterBase {
    const certManager = args.clusterBase?.certManager;
    return new ClusterBase(
      `${name}-cluster`,
      {
        ...args.clusterBase,
        namespaces: plan.namespaces,
        certManager: { ...certManager, enabled: (certManager?.enabled ?? true) && plan.installs.has(ClusterOperator.CertManager) },
      },
      { parent: this },
    );
  }

  private teams(name: string, plan: MlPlatformPlan): Team[] {
    const notebooks = plan.notebooks !== undefined;
    // Platform namespaces that reach into team namespaces: culling probes, and the notebook router.
    const ingressNamespaces = [
      ...(notebooks ? [NOTEBOOK_CONTROLLER_NAMESPACE] : []),
      ...(plan.notebooks?.args.access ? [NOTEBOOK_ACCESS_NAMESPACE] : []),
    ];
    const gateway = plan.gateway?.args;
    const trainingGpus = plan.training?.kueue
      ? {
          priorityClassName: `${plan.priorityPrefix}-training`,
          maxGpus: plan.training.pools.reduce((sum, { args: pool }) => sum + pool.maxGpus, 0),
        }
      : undefined;
    return plan.teams.map(({ args: team, name: teamName }) => {
      const budget = gateway?.teams?.[teamName]?.monthlyBudgetUsd;
      return new Team(
        `${name}-team-${teamName}`,
        {
          ...team,
          ingressNamespaces: [...(team.ingressNamespaces ?? []), ...ingressNamespaces],
          serviceNamespaces: [...(team.serviceNamespaces ?? []), ...(gateway ? [GATEWAY_NAMESPACE] : [])],
          ...(budget !== undefined ? { annotations: { ...team.annotations, [GATEWAY_BUDGET_ANNOTATION]: String(budget) } } : {}),
          ...(trainingGpus ? { trainingGpus } : {}),
        },
        { parent: this },
      );
    });
  }

  /** GPU node pools, and the GPU Operator for them unless the cluster runs one. */
  private gpu(name: string, args: MlPlatformArgs, plan: MlPlatformPlan, base: ClusterBase): GpuNodePool[] {
    const gpu = args.gpu;
    if (gpu === undefined || plan.gpuPools.length === 0) return [];
    const pools = plan.gpuPools.map(
      (pool) =>
        new GpuNodePool(
          `${name}-gpu-${pool.name}`,
          {
            cloud: gpu.cloud,
            pool,
            ...(gpu.aws ? { aws: gpu.aws } : {}),
            ...(gpu.azure ? { azure: gpu.azure } : {}),
            warmCapacityNamespace: GPU_CAPACITY_NAMESPACE,
            warmCapacityPriorityClass: `${plan.priorityPrefix}-placeholder`,
          },
          { parent: this, dependsOn: [base] },
        ),
    );
    if (plan.installs.has(ClusterOperator.NvidiaGpuOperator)) {
      new GpuOperator(
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
        { parent: this, dependsOn: [base] },
      );
    }
    return pools;
  }

  private notebooks(name: string, plan: MlPlatformPlan, base: ClusterBase, teams: Team[]): void {
    if (plan.notebooks === undefined) return;
    const { enabled: _enabled, access, ...notebookArgs } = plan.notebooks.args;
    new NotebookPlatform(
      `${name}-notebooks`,
      {
        ...notebookArgs,
        podMonitor: plan.monitors.notebooks,
        installController: plan.installs.has(ClusterOperator.KubeflowNotebooks),
        teams: plan.teams.map((team) => ({ name: team.name, namespace: team.namespace, groups: team.groups, gpus: team.args.quota.gpus ?? 0 })),
        gpuPools: plan.notebooks.pools.map(({ args: pool, placement }) => ({ name: pool.name, ...placement })),
        ...(plan.gateway ? { gateway: { url: plan.gateway.url, keySecretName: GATEWAY_KEY_SECRET_NAME } } : {}),
      },
      { parent: this, dependsOn: [base, ...teams] },
    );
    if (access) {
      new NotebookAccess(
        `${name}-notebook-access`,
        {
          ...access,
          namespace: NOTEBOOK_ACCESS_NAMESPACE,
          teams: plan.teams.map((team) => ({ namespace: team.namespace, groups: team.groups })),
        },
        { parent: this, dependsOn: [base] },
      );
    }
  }

  private training(name: string, plan: MlPlatformPlan, base: ClusterBase, teams: Team[]): void {
    if (plan.training === undefined) return;
    const { enabled: _enabled, ...trainingArgs } = plan.training.args;
    new TrainingPlatform(
      `${name}-training`,
      {
        ...trainingArgs,
        kueueEnabled: plan.training.kueue,
        installTrainer: plan.installs.has(ClusterOperator.KubeflowTrainer),
        installKueue: plan.installs.has(ClusterOperator.Kueue),
        priorityClassName: `${plan.priorityPrefix}-training`,
        teams: plan.teams.map((team) => ({
          name: team.name,
          namespace: team.namespace,
          gpus: team.args.quota.gpus ?? 0,
          cpu: team.args.quota.cpu,
          memoryGiB: team.args.quota.memoryGiB,
        })),
        gpuPools: plan.training.pools.map(({ args: pool, placement }) => ({ name: pool.name, gpu: pool.gpu, maxGpus: pool.maxGpus, ...placement })),
      },
      { parent: this, dependsOn: [base, ...teams] },
    );
  }

  /** The gateway, its database (and CloudNativePG unless the cluster runs it), and team keys. */
  private gateway(name: string, plan: MlPlatformPlan, base: ClusterBase, teams: Team[]): AiGateway | undefined {
    if (plan.gateway === undefined) return undefined;
    const { enabled: _enabled, database: databaseArgs, adminUrl, teams: gatewayTeams, ...gatewayArgs } = plan.gateway.args;
    const gatewayDependsOn: pulumi.Resource[] = [base];
    let databaseUrl: pulumi.Output<string> | undefined;
    if (databaseArgs) {
      const operator = plan.installs.has(ClusterOperator.CloudNativePg)
        ? [
            new CloudNativePgOperator(
              `${name}-cnpg`,
              { namespace: CNPG_NAMESPACE, barmanCloudPlugin: plan.installs.has(ClusterOperator.BarmanCloudPlugin) },
              { parent: this, dependsOn: [base] },
            ),
          ]
        : [];
      const database = new PostgresCluster(
        `${name}-gateway-db`,
        {
          ...databaseArgs,
          podMonitor: plan.monitors.gatewayDatabase,
          namespace: GATEWAY_NAMESPACE,
          clusterName: "gateway-db",
          database: "litellm",
          owner: "litellm",
        },
        { parent: this, dependsOn: [base, ...operator] },
      );
      databaseUrl = database.connectionUri;
      gatewayDependsOn.push(database);
    }
    const gateway = new AiGateway(
      `${name}-gateway`,
      {
        ...gatewayArgs,
        serviceMonitor: plan.monitors.gateway,
        namespace: GATEWAY_NAMESPACE,
        clientNamespaces: plan.teams.map((team) => team.namespace),
        ...(databaseUrl ? { databaseUrl } : {}),
      },
      { parent: this, dependsOn: gatewayDependsOn },
    );
    // Teams and keys are LiteLLM API objects: only with an admin URL Pulumi can reach, and a database.
    if (adminUrl && databaseArgs) {
      plan.teams.forEach((team, index) => {
        const settings = gatewayTeams?.[team.name] ?? {};
        const gatewayTeam = new GatewayTeam(
          `${name}-gateway-team-${team.name}`,
          {
            adminUrl,
            masterKey: gateway.masterKey,
            teamAlias: team.name,
            models: settings.models ?? gatewayArgs.models.map((model) => model.name),
            ...(settings.monthlyBudgetUsd !== undefined ? { maxBudgetUsd: settings.monthlyBudgetUsd, budgetDuration: "30d" } : {}),
            ...(settings.tpmLimit !== undefined ? { tpmLimit: settings.tpmLimit } : {}),
            ...(settings.rpmLimit !== undefined ? { rpmLimit: settings.rpmLimit } : {}),
          },
          { parent: this, dependsOn: [gateway] },
        );
        gatewayKeySecret(`${name}-${team.name}`, { namespace: teams[index]!.namespace, apiKey: gatewayTeam.apiKey }, { parent: this, dependsOn: [teams[index]!] });
      });
    }
    return gateway;
  }
}

const PREINSTALLED_GPU_OPERATOR_SHARING = `GPU sharing is configured in the GPU Operator's device plugin, and a preinstalled "${ClusterOperator.NvidiaGpuOperator}" is not the platform's to configure: set sharing there and remove it here, or let the platform install the operator`;

/**
 * Checks MlPlatform's args the way its constructor does first, without creating anything: returns the
 * first problem (a `ComponentArgumentError` naming the args path), or undefined when they can work.
 */
export function checkMlPlatformArgs(args: MlPlatformArgs, name = "mlops"): ComponentArgumentError | undefined {
  try {
    planMlPlatform(name, args);
    return undefined;
  } catch (err) {
    if (err instanceof ComponentArgumentError) return err;
    throw err;
  }
}

/**
 * Decides, from MlPlatform's args alone, which capabilities run, which operators the platform installs,
 * the namespaces they need and where GPU workloads go; throws `InputPropertyError` for args that cannot
 * work together.
 */
function planMlPlatform(name: string, args: MlPlatformArgs): MlPlatformPlan {
  const fail = (property: string, value: unknown, fix: string): never => invalidArgument("MlPlatform", name, property, value, fix);
  const seen = new Set<string>();
  const teams = (args.teams ?? []).map((team, index): PlannedTeam => {
    if (seen.has(team.name)) fail(`teams[${index}].name`, team.name, "give every team a unique name");
    seen.add(team.name);
    return { args: team, name: team.name, namespace: teamNamespace(team.name), groups: [...team.owners, ...(team.members ?? [])] };
  });

  const preinstalled = new Set(args.preinstalledOperators ?? []);
  const installs = new Set<ClusterOperator>();
  const install = (operator: ClusterOperator): void => {
    if (!preinstalled.has(operator)) installs.add(operator);
  };

  const gpuPools = args.gpu?.pools ?? [];
  const gpuCloud = args.gpu?.cloud;
  const placedPools = (workload: string): PlannedPool[] =>
    gpuCloud === undefined || gpuCloud === "kind"
      ? []
      : gpuPools
          .filter((pool) => (pool.workloads ?? []).includes(workload))
          .map((pool) => ({ args: pool, placement: podPlacement(pool, gpuCloud as "aws" | "azure" | "gcp") }));

  const notebooksArgs = args.notebooks ?? {};
  const notebooks = (notebooksArgs.enabled ?? true) ? { args: notebooksArgs, pools: placedPools("notebooks") } : undefined;
  if (notebooks) install(ClusterOperator.KubeflowNotebooks);

  const trainingArgs = args.training ?? {};
  const training =
    (trainingArgs.enabled ?? true) ? { args: trainingArgs, kueue: trainingArgs.kueueEnabled ?? false, pools: placedPools("training") } : undefined;
  if (training) install(ClusterOperator.KubeflowTrainer);
  if (training?.kueue) install(ClusterOperator.Kueue);

  const gatewayArgs = args.gateway !== undefined && (args.gateway.enabled ?? true) ? args.gateway : undefined;
  const gateway = gatewayArgs ? { args: gatewayArgs, url: `http://ai-gateway.${GATEWAY_NAMESPACE}.svc:${GATEWAY_PORT}/v1` } : undefined;
  const database = gatewayArgs?.database;
  if (database) install(ClusterOperator.CloudNativePg);
  if (database?.backup) install(ClusterOperator.BarmanCloudPlugin);

  if (gpuPools.length > 0) install(ClusterOperator.NvidiaGpuOperator);
  if (preinstalled.has(ClusterOperator.NvidiaGpuOperator)) {
    // Sharing is device-plugin configuration, which belongs to whoever installed the operator.
    gpuPools.forEach((pool, index) => {
      if (pool.timeSlicingReplicas !== undefined) {
        fail(`gpu.pools[${index}].timeSlicingReplicas`, pool.timeSlicingReplicas, PREINSTALLED_GPU_OPERATOR_SHARING);
      }
      if (pool.migProfile !== undefined) fail(`gpu.pools[${index}].migProfile`, pool.migProfile, PREINSTALLED_GPU_OPERATOR_SHARING);
    });
  }
  if (database?.backup && preinstalled.has(ClusterOperator.CloudNativePg) && !preinstalled.has(ClusterOperator.BarmanCloudPlugin)) {
    fail(
      "gateway.database.backup",
      database.backup.destinationPath,
      `backups need the barman-cloud plugin in the namespace of the cluster's own CloudNativePG: install it there and declare "${ClusterOperator.BarmanCloudPlugin}" preinstalled too, or let the platform install both (do not declare "${ClusterOperator.CloudNativePg}" preinstalled)`,
    );
  }

  // Monitors are custom resources of the Prometheus Operator: without it they would be rejected.
  const prometheusOperator = preinstalled.has(ClusterOperator.PrometheusOperator);
  const monitor = (property: string, requested: boolean | undefined): boolean => {
    if (requested === true && !prometheusOperator) {
      fail(
        property,
        requested,
        `monitors need the Prometheus Operator: declare "${ClusterOperator.PrometheusOperator}" preinstalled, or leave this unset (monitors are then created exactly when the operator is there)`,
      );
    }
    return requested ?? prometheusOperator;
  };
  const monitors = {
    gpu: monitor("gpu.serviceMonitor", args.gpu?.serviceMonitor),
    notebooks: monitor("notebooks.podMonitor", notebooksArgs.podMonitor),
    gateway: monitor("gateway.serviceMonitor", gatewayArgs?.serviceMonitor),
    gatewayDatabase: monitor("gateway.database.podMonitor", database?.podMonitor),
  };

  // cert-manager signs the webhooks of what the platform installs: the PodDefault webhook, Trainer's
  // webhook and the backup plugin.
  const needsCertManager = [ClusterOperator.KubeflowNotebooks, ClusterOperator.KubeflowTrainer, ClusterOperator.BarmanCloudPlugin];
  if (needsCertManager.some((operator) => installs.has(operator))) install(ClusterOperator.CertManager);

  const namespaces: PlatformNamespaceArgs[] = [...(args.clusterBase?.namespaces ?? [])];
  // The PodDefault webhook's overlay expects its namespace to exist; the notebook controller's creates its own.
  if (installs.has(ClusterOperator.KubeflowNotebooks)) namespaces.push({ name: PODDEFAULTS_WEBHOOK_NAMESPACE, podSecurity: "baseline" });
  if (notebooks?.args.access) namespaces.push({ name: NOTEBOOK_ACCESS_NAMESPACE });
  if (gateway) namespaces.push({ name: GATEWAY_NAMESPACE });
  if (installs.has(ClusterOperator.CloudNativePg)) namespaces.push({ name: CNPG_NAMESPACE });
  if (installs.has(ClusterOperator.KubeflowTrainer)) namespaces.push({ name: TRAINER_NAMESPACE });
  if (installs.has(ClusterOperator.Kueue)) namespaces.push({ name: KUEUE_NAMESPACE });
  // GPU Operator agents need privileged pods.
  if (installs.has(ClusterOperator.NvidiaGpuOperator)) namespaces.push({ name: GPU_OPERATOR_NAMESPACE, podSecurity: "privileged" });
  if (gpuPools.some((pool) => (pool.minNodes ?? 0) > 0)) namespaces.push({ name: GPU_CAPACITY_NAMESPACE });

  return {
    teams,
    installs,
    namespaces,
    priorityPrefix: args.clusterBase?.priorityClasses?.prefix ?? "mlp",
    gpuPools,
    monitors,
    ...(notebooks ? { notebooks } : {}),
    ...(training ? { training } : {}),
    ...(gateway ? { gateway } : {}),
  };
}
