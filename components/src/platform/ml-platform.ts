import * as pulumi from "@pulumi/pulumi";
import { ClusterBase, type ClusterBaseArgs } from "../cluster/cluster-base.js";
import type { ClusterOperator } from "../cluster/operators.js";
import type { WorkloadClass } from "../cluster/priority-classes.js";
import { typeToken } from "../common/component.js";
import { CloudNativePgOperator } from "../database/cnpg-operator.js";
import { PostgresCluster, type PostgresClusterArgs } from "../database/postgres-cluster.js";
import { AiGateway, type AiGatewayArgs } from "../gateway/ai-gateway.js";
import { GatewayTeam } from "../gateway/gateway-team.js";
import { gatewayKeySecret } from "../gateway/gateway-team-secret.js";
import { GpuNodePool, type AwsGpuNodeArgs, type AzureGpuNodeArgs, type GpuPoolArgs } from "../gpu/gpu-node-pool.js";
import { GpuOperator } from "../gpu/gpu-operator.js";
import { NotebookAccess, type NotebookAccessArgs } from "../notebooks/notebook-access.js";
import { NotebookPlatform, type NotebookPlatformArgs } from "../notebooks/notebook-platform.js";
import { Team, type TeamArgs } from "../tenancy/team.js";
import { TrainingPlatform, type TrainingPlatformArgs } from "../training/training-platform.js";
import { planPlatform } from "./check.js";
import type { PlatformChildren } from "./children.js";

export { checkMlPlatformArgs } from "./check.js";

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
    // Every problem, the children's included, in MlPlatform's terms and before anything is created.
    const { children, problems } = planPlatform(name, args);
    problems.throwIfAny();

    const base = new ClusterBase(children.clusterBase.name, children.clusterBase.args, { parent: this });
    const teams = children.teams.map((team) => new Team(team.name, team.args, { parent: this }));
    const pools = this.gpu(children, base);
    this.notebooks(children, base, teams);
    this.training(children, base, teams);
    const gateway = this.gateway(name, children, base, teams);

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

  /** GPU node pools, and the GPU Operator for them unless the cluster runs one. */
  private gpu(children: PlatformChildren, base: ClusterBase): GpuNodePool[] {
    const pools = children.gpuPools.map((pool) => new GpuNodePool(pool.name, pool.args, { parent: this, dependsOn: [base] }));
    const operator = children.gpuOperator;
    if (operator) new GpuOperator(operator.name, operator.args, { parent: this, dependsOn: [base] });
    return pools;
  }

  private notebooks(children: PlatformChildren, base: ClusterBase, teams: Team[]): void {
    const { notebooks, notebookAccess: access } = children;
    if (notebooks) new NotebookPlatform(notebooks.name, notebooks.args, { parent: this, dependsOn: [base, ...teams] });
    if (access) new NotebookAccess(access.name, access.args, { parent: this, dependsOn: [base] });
  }

  private training(children: PlatformChildren, base: ClusterBase, teams: Team[]): void {
    const training = children.training;
    if (training) new TrainingPlatform(training.name, training.args, { parent: this, dependsOn: [base, ...teams] });
  }

  /** The gateway, its database (and CloudNativePG unless the cluster runs it), and team keys. */
  private gateway(name: string, children: PlatformChildren, base: ClusterBase, teams: Team[]): AiGateway | undefined {
    if (children.gateway === undefined) return undefined;
    const gatewayDependsOn: pulumi.Resource[] = [base];
    let databaseUrl: pulumi.Output<string> | undefined;
    if (children.gatewayDatabase) {
      const cnpg = children.cnpg;
      const operator = cnpg ? [new CloudNativePgOperator(cnpg.name, cnpg.args, { parent: this, dependsOn: [base] })] : [];
      const database = new PostgresCluster(children.gatewayDatabase.name, children.gatewayDatabase.args, { parent: this, dependsOn: [base, ...operator] });
      databaseUrl = database.connectionUri;
      gatewayDependsOn.push(database);
    }
    const gateway = new AiGateway(
      children.gateway.name,
      { ...children.gateway.args, ...(databaseUrl ? { databaseUrl } : {}) },
      { parent: this, dependsOn: gatewayDependsOn },
    );
    // One GatewayTeam per team, in the teams' order.
    children.gatewayTeams.forEach((spec, index) => {
      const gatewayTeam = new GatewayTeam(spec.name, { ...spec.args, masterKey: gateway.masterKey }, { parent: this, dependsOn: [gateway] });
      const team = teams[index]!;
      gatewayKeySecret(`${name}-${children.teams[index]!.args.name}`, { namespace: team.namespace, apiKey: gatewayTeam.apiKey }, { parent: this, dependsOn: [team] });
    });
    return gateway;
  }
}
