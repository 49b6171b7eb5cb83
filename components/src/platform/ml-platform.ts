import * as pulumi from "@pulumi/pulumi";
import { ClusterBase, type ClusterBaseArgs } from "../cluster/cluster-base.js";
import type { WorkloadClass } from "../cluster/priority-classes.js";
import { invalidArgument, typeToken } from "../common/component.js";
import { CloudNativePgOperator, CNPG_NAMESPACE } from "../database/cnpg-operator.js";
import { PostgresCluster, type PostgresClusterArgs } from "../database/postgres-cluster.js";
import { AiGateway, GATEWAY_PORT, type AiGatewayArgs } from "../gateway/ai-gateway.js";
import { GatewayTeam } from "../gateway/gateway-team.js";
import { GATEWAY_KEY_SECRET_NAME, gatewayKeySecret } from "../gateway/gateway-team-secret.js";
import { GpuNodePool, type AwsGpuNodeArgs, type AzureGpuNodeArgs, type GpuPoolArgs } from "../gpu/gpu-node-pool.js";
import { GpuOperator } from "../gpu/gpu-operator.js";
import { podPlacement } from "../gpu/node-pool-spec.js";
import { NotebookAccess, type NotebookAccessArgs } from "../notebooks/notebook-access.js";
import { NotebookPlatform, type NotebookPlatformArgs } from "../notebooks/notebook-platform.js";
import { NOTEBOOK_CONTROLLER_NAMESPACE, PODDEFAULTS_WEBHOOK_NAMESPACE } from "../notebooks/notebook-spec.js";
import { Team, type TeamArgs } from "../tenancy/team.js";
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
export interface MlPlatformNotebookArgs extends Omit<NotebookPlatformArgs, "teams" | "gpuPools"> {
  /** @default true */
  enabled?: boolean;
  /**
   * Reach notebooks from outside the cluster through an Ingress or Gateway, behind OIDC sign-in.
   * @default none (port-forward only)
   */
  access?: Omit<NotebookAccessArgs, "namespace" | "teams">;
}

/** Training settings; teams, GPU pools and the PriorityClass come from the rest of MlPlatformArgs. */
export interface MlPlatformTrainingArgs extends Omit<TrainingPlatformArgs, "teams" | "gpuPools" | "priorityClassName"> {
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

/** Annotation on a team namespace carrying the team's monthly gateway budget (read by the policy pack). */
export const GATEWAY_BUDGET_ANNOTATION = "mlops-platform.io/gateway-monthly-budget-usd";

/** Namespace of the AI gateway. */
export const GATEWAY_NAMESPACE = "mlp-gateway";

/** Namespace of the notebook router and oauth2-proxy, when notebooks are exposed. */
export const NOTEBOOK_ACCESS_NAMESPACE = "mlp-notebook-access";

/** Where a pool's pods go: what notebooks and training put in their pod specs. */
export interface GpuPoolPlacement {
  gpu: string;
  maxGpus: number;
  nodeSelector: Record<string, string>;
  tolerations: Array<{ key: string; operator: string; effect: string }>;
}

/** Namespace of the GPU Operator: its agents need privileged pods. */
export const GPU_OPERATOR_NAMESPACE = "gpu-operator";
/** Namespace of the placeholder pods that keep GPU nodes warm. */
export const GPU_CAPACITY_NAMESPACE = "mlp-gpu";

/**
 * The whole platform from one typed spec. Each capability has its own optional section; `infra/` maps a
 * stack file onto these args. Capabilities are added here as they land (tenancy, GPU pools, notebooks,
 * training, gateway, monitoring, catalog), each reading only its own section.
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

    const teamArgs = args.teams ?? [];
    const seen = new Set<string>();
    teamArgs.forEach((team, index) => {
      if (seen.has(team.name)) invalidArgument("MlPlatform", name, `teams[${index}].name`, team.name, "give every team a unique name");
      seen.add(team.name);
    });

    const gpuPools = args.gpu?.pools ?? [];
    const notebooksEnabled = args.notebooks?.enabled ?? true;
    const platformNamespaces = [...(args.clusterBase?.namespaces ?? [])];
    // The PodDefault webhook's overlay expects its namespace to exist; the notebook controller's creates its own.
    if (notebooksEnabled) platformNamespaces.push({ name: PODDEFAULTS_WEBHOOK_NAMESPACE, podSecurity: "baseline" });
    const notebookAccess = notebooksEnabled ? args.notebooks?.access : undefined;
    if (notebookAccess) platformNamespaces.push({ name: NOTEBOOK_ACCESS_NAMESPACE });
    const gatewayEnabled = args.gateway !== undefined && (args.gateway.enabled ?? true);
    if (gatewayEnabled) platformNamespaces.push({ name: GATEWAY_NAMESPACE });
    const gatewayDatabase = gatewayEnabled ? args.gateway!.database : undefined;
    if (gatewayDatabase) platformNamespaces.push({ name: CNPG_NAMESPACE });
    const gatewayContext = gatewayEnabled
      ? { url: `http://ai-gateway.${GATEWAY_NAMESPACE}.svc:${GATEWAY_PORT}/v1`, keySecretName: GATEWAY_KEY_SECRET_NAME }
      : undefined;
    const trainingEnabled = args.training?.enabled ?? true;
    const kueueEnabled = trainingEnabled && (args.training?.kueueEnabled ?? false);
    if (trainingEnabled) platformNamespaces.push({ name: TRAINER_NAMESPACE });
    if (kueueEnabled) platformNamespaces.push({ name: KUEUE_NAMESPACE });
    const priorityPrefix = args.clusterBase?.priorityClasses?.prefix ?? "mlp";
    const gpuCloud = args.gpu?.cloud;
    const placedPools = (workload: string) =>
      gpuCloud === undefined || gpuCloud === "kind"
        ? []
        : gpuPools
            .filter((pool) => (pool.workloads ?? []).includes(workload))
            .map((pool) => ({ pool, placement: podPlacement(pool, gpuCloud as "aws" | "azure" | "gcp") }));
    const trainingPools = placedPools("training");
    const trainingGpus = kueueEnabled
      ? { priorityClassName: `${priorityPrefix}-training`, maxGpus: trainingPools.reduce((sum, { pool }) => sum + pool.maxGpus, 0) }
      : undefined;
    const teamIngress = [
      ...(notebooksEnabled ? [NOTEBOOK_CONTROLLER_NAMESPACE] : []),
      ...(notebookAccess ? [NOTEBOOK_ACCESS_NAMESPACE] : []),
    ];
    if (gpuPools.length > 0) platformNamespaces.push({ name: GPU_OPERATOR_NAMESPACE, podSecurity: "privileged" });
    if (gpuPools.some((pool) => (pool.minNodes ?? 0) > 0)) platformNamespaces.push({ name: GPU_CAPACITY_NAMESPACE });

    const base = new ClusterBase(`${name}-cluster`, { ...args.clusterBase, namespaces: platformNamespaces }, { parent: this });
    const teams = teamArgs.map(
      (team) =>
        new Team(
          `${name}-team-${team.name}`,
          {
            ...team,
            ingressNamespaces: [...(team.ingressNamespaces ?? []), ...teamIngress],
            serviceNamespaces: [...(team.serviceNamespaces ?? []), ...(gatewayEnabled ? [GATEWAY_NAMESPACE] : [])],
            ...(gatewayEnabled && args.gateway!.teams?.[team.name]?.monthlyBudgetUsd !== undefined
              ? { annotations: { ...team.annotations, [GATEWAY_BUDGET_ANNOTATION]: String(args.gateway!.teams[team.name]!.monthlyBudgetUsd) } }
              : {}),
            ...(trainingGpus ? { trainingGpus } : {}),
          },
          { parent: this },
        ),
    );

    const pools = gpuPools.map(
      (pool) =>
        new GpuNodePool(
          `${name}-gpu-${pool.name}`,
          {
            cloud: args.gpu!.cloud,
            pool,
            ...(args.gpu!.aws ? { aws: args.gpu!.aws } : {}),
            ...(args.gpu!.azure ? { azure: args.gpu!.azure } : {}),
            warmCapacityNamespace: GPU_CAPACITY_NAMESPACE,
            warmCapacityPriorityClass: `${priorityPrefix}-placeholder`,
          },
          { parent: this, dependsOn: [base] },
        ),
    );
    if (gpuPools.length > 0) {
      new GpuOperator(
        `${name}-gpu-operator`,
        {
          cloud: args.gpu!.cloud,
          namespace: GPU_OPERATOR_NAMESPACE,
          sharing: gpuPools.map((pool) => ({
            pool: pool.name,
            ...(pool.timeSlicingReplicas !== undefined ? { timeSlicingReplicas: pool.timeSlicingReplicas } : {}),
            ...(pool.migProfile !== undefined ? { migProfile: pool.migProfile } : {}),
          })),
          ...(args.gpu!.operatorVersion ? { version: args.gpu!.operatorVersion } : {}),
          ...(args.gpu!.serviceMonitor !== undefined ? { serviceMonitor: args.gpu!.serviceMonitor } : {}),
        },
        { parent: this, dependsOn: [base] },
      );
    }

    if (notebooksEnabled) {
      const { enabled: _enabled, access: _access, ...notebookArgs } = args.notebooks ?? {};
      new NotebookPlatform(
        `${name}-notebooks`,
        {
          ...notebookArgs,
          teams: teamArgs.map((team) => ({
            name: team.name,
            namespace: `team-${team.name}`,
            groups: [...team.owners, ...(team.members ?? [])],
            gpus: team.quota.gpus ?? 0,
          })),
          gpuPools: placedPools("notebooks").map(({ pool, placement }) => ({ name: pool.name, ...placement })),
          ...(gatewayContext ? { gateway: gatewayContext } : {}),
        },
        { parent: this, dependsOn: [base, ...teams] },
      );
      if (notebookAccess) {
        new NotebookAccess(
          `${name}-notebook-access`,
          {
            ...notebookAccess,
            namespace: NOTEBOOK_ACCESS_NAMESPACE,
            teams: teamArgs.map((team) => ({ namespace: `team-${team.name}`, groups: [...team.owners, ...(team.members ?? [])] })),
          },
          { parent: this, dependsOn: [base] },
        );
      }
    }

    if (trainingEnabled) {
      const { enabled: _enabled, ...trainingArgs } = args.training ?? {};
      new TrainingPlatform(
        `${name}-training`,
        {
          ...trainingArgs,
          kueueEnabled,
          priorityClassName: `${priorityPrefix}-training`,
          teams: teamArgs.map((team) => ({
            name: team.name,
            namespace: `team-${team.name}`,
            gpus: team.quota.gpus ?? 0,
            cpu: team.quota.cpu,
            memoryGiB: team.quota.memoryGiB,
          })),
          gpuPools: trainingPools.map(({ pool, placement }) => ({ name: pool.name, gpu: pool.gpu, maxGpus: pool.maxGpus, ...placement })),
        },
        { parent: this, dependsOn: [base, ...teams] },
      );
    }

    let gateway: AiGateway | undefined;
    if (gatewayEnabled) {
      const { enabled: _enabled, database: _database, adminUrl, teams: gatewayTeams, ...gatewayArgs } = args.gateway!;
      let databaseUrl: pulumi.Output<string> | undefined;
      const gatewayDependsOn: pulumi.Resource[] = [base];
      if (gatewayDatabase) {
        const operator = new CloudNativePgOperator(
          `${name}-cnpg`,
          { namespace: CNPG_NAMESPACE, barmanCloudPlugin: gatewayDatabase.backup !== undefined },
          { parent: this, dependsOn: [base] },
        );
        const database = new PostgresCluster(
          `${name}-gateway-db`,
          { ...gatewayDatabase, namespace: GATEWAY_NAMESPACE, clusterName: "gateway-db", database: "litellm", owner: "litellm" },
          { parent: this, dependsOn: [base, operator] },
        );
        databaseUrl = database.connectionUri;
        gatewayDependsOn.push(database);
      }
      gateway = new AiGateway(
        `${name}-gateway`,
        {
          ...gatewayArgs,
          namespace: GATEWAY_NAMESPACE,
          clientNamespaces: teamArgs.map((team) => `team-${team.name}`),
          ...(databaseUrl ? { databaseUrl } : {}),
        },
        { parent: this, dependsOn: gatewayDependsOn },
      );
      // Teams and keys are LiteLLM API objects: only with an admin URL Pulumi can reach, and a database.
      if (adminUrl && gatewayDatabase) {
        teams.forEach((team, index) => {
          const settings = gatewayTeams?.[teamArgs[index]!.name] ?? {};
          const gatewayTeam = new GatewayTeam(
            `${name}-gateway-team-${teamArgs[index]!.name}`,
            {
              adminUrl,
              masterKey: gateway!.masterKey,
              teamAlias: teamArgs[index]!.name,
              models: settings.models ?? args.gateway!.models.map((model) => model.name),
              ...(settings.monthlyBudgetUsd !== undefined ? { maxBudgetUsd: settings.monthlyBudgetUsd, budgetDuration: "30d" } : {}),
              ...(settings.tpmLimit !== undefined ? { tpmLimit: settings.tpmLimit } : {}),
              ...(settings.rpmLimit !== undefined ? { rpmLimit: settings.rpmLimit } : {}),
            },
            { parent: this, dependsOn: [gateway!] },
          );
          gatewayKeySecret(`${name}-${teamArgs[index]!.name}`, { namespace: team.namespace, apiKey: gatewayTeam.apiKey }, { parent: this, dependsOn: [team] });
        });
      }
    }

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
}
