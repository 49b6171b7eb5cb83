import * as pulumi from "@pulumi/pulumi";
import { CatalogDatabase } from "../catalog/catalog-database.js";
import { DataCatalog } from "../catalog/data-catalog.js";
import { ClusterBase } from "../cluster/cluster-base.js";
import type { PriorityClassNames } from "../cluster/priority-classes.js";
import { typeToken } from "../common/component.js";
import { CloudNativePgOperator } from "../database/cnpg-operator.js";
import { PostgresCluster } from "../database/postgres-cluster.js";
import { AiGateway } from "../gateway/ai-gateway.js";
import { GatewayTeam } from "../gateway/gateway-team.js";
import { gatewayKeySecret } from "../gateway/gateway-team-secret.js";
import { GatewayTeamReconciler } from "../gateway/team-reconciler.js";
import { GpuNodePool } from "../gpu/gpu-node-pool.js";
import { GpuOperator } from "../gpu/gpu-operator.js";
import { ModelMonitor } from "../monitoring/model-monitor.js";
import { MonitoringStack } from "../monitoring/monitoring-stack.js";
import { NotebookAccess } from "../notebooks/notebook-access.js";
import { NotebookPlatform } from "../notebooks/notebook-platform.js";
import { Team } from "../tenancy/team.js";
import { TrainingPlatform } from "../training/training-platform.js";
import type { GpuPoolPlacement, MlPlatformArgs } from "./args.js";
import { planPlatform } from "./check.js";
import type { PlatformChildren } from "./children.js";

export { checkMlPlatformArgs } from "./check.js";

/** An ML platform on one Kubernetes cluster. */
export class MlPlatform extends pulumi.ComponentResource {
  /** Every namespace the platform created. */
  public readonly namespaces: pulumi.Output<string[]>;
  /** Namespace of cert-manager, when the platform installs it. */
  public readonly certManagerNamespace: pulumi.Output<string | undefined>;
  /** PriorityClass name per workload, for pods the platform and its users create. */
  public readonly priorityClassNames: pulumi.Output<PriorityClassNames>;
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
    // Monitors are created after the chart that brings their CRDs, when the platform installs it.
    const monitoring = children.monitoring ? new MonitoringStack(children.monitoring.name, children.monitoring.args, { parent: this, dependsOn: [base] }) : undefined;
    const monitorsAfter = monitoring && children.monitoring?.args.installPrometheusStack ? [monitoring] : [];
    for (const model of children.modelMonitors) new ModelMonitor(model.name, model.args, { parent: this, dependsOn: [base, ...monitorsAfter] });
    const pools = this.gpu(children, base, monitorsAfter);
    this.notebooks(children, base, teams, monitorsAfter);
    this.training(children, base, teams, monitorsAfter);
    // CloudNativePG once, before every database of the platform.
    const cnpg = children.cnpg ? [new CloudNativePgOperator(children.cnpg.name, children.cnpg.args, { parent: this, dependsOn: [base] })] : [];
    const catalogDatabase = this.catalog(children, base, cnpg, monitorsAfter);
    const { gateway, database: gatewayDatabase } = this.gateway(name, children, base, cnpg, teams, monitorsAfter);
    this.dataCatalog(children, base, catalogDatabase, gatewayDatabase);

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
  private gpu(children: PlatformChildren, base: ClusterBase, monitorsAfter: pulumi.Resource[]): GpuNodePool[] {
    const pools = children.gpuPools.map((pool) => new GpuNodePool(pool.name, pool.args, { parent: this, dependsOn: [base] }));
    const operator = children.gpuOperator;
    // The operator's chart carries the DCGM exporter's ServiceMonitor.
    if (operator) new GpuOperator(operator.name, operator.args, { parent: this, dependsOn: [base, ...monitorsAfter] });
    return pools;
  }

  private notebooks(children: PlatformChildren, base: ClusterBase, teams: Team[], monitorsAfter: pulumi.Resource[]): void {
    const { notebooks, notebookAccess: access } = children;
    if (notebooks) new NotebookPlatform(notebooks.name, notebooks.args, { parent: this, dependsOn: [base, ...teams, ...monitorsAfter] });
    if (access) new NotebookAccess(access.name, access.args, { parent: this, dependsOn: [base] });
  }

  private training(children: PlatformChildren, base: ClusterBase, teams: Team[], monitorsAfter: pulumi.Resource[]): void {
    const training = children.training;
    // Kueue's chart carries its ServiceMonitor when monitoring is on.
    if (training) new TrainingPlatform(training.name, training.args, { parent: this, dependsOn: [base, ...teams, ...monitorsAfter] });
  }

  /** The data catalog's database. */
  private catalog(children: PlatformChildren, base: ClusterBase, cnpg: pulumi.Resource[], monitorsAfter: pulumi.Resource[]): CatalogDatabase | undefined {
    const spec = children.catalogDatabase;
    return spec ? new CatalogDatabase(spec.name, spec.args, { parent: this, dependsOn: [base, ...cnpg, ...monitorsAfter] }) : undefined;
  }

  /**
   * The catalog service on its database, after both databases it ingests, with their passwords: the
   * platform's teams become its teams, in the cluster, once it is up.
   */
  private dataCatalog(children: PlatformChildren, base: ClusterBase, catalogDatabase: CatalogDatabase | undefined, gatewayDatabase: PostgresCluster | undefined): void {
    const spec = children.dataCatalog;
    if (spec === undefined || catalogDatabase === undefined) return;
    const passwords: Record<string, pulumi.Output<string> | undefined> = { catalog_db: catalogDatabase.password, gateway_db: gatewayDatabase?.password };
    const sources = (spec.args.sources ?? []).flatMap((source) => {
      const password = passwords[source.name];
      return password ? [{ ...source, password }] : [];
    });
    new DataCatalog(spec.name, { ...spec.args, sources }, { parent: this, dependsOn: [base, catalogDatabase, ...(gatewayDatabase ? [gatewayDatabase] : [])] });
  }

  /** The gateway, its database, and team keys. */
  private gateway(
    name: string,
    children: PlatformChildren,
    base: ClusterBase,
    cnpg: pulumi.Resource[],
    teams: Team[],
    monitorsAfter: pulumi.Resource[],
  ): { gateway?: AiGateway; database?: PostgresCluster } {
    if (children.gateway === undefined) return {};
    const gatewayDependsOn: pulumi.Resource[] = [base, ...monitorsAfter];
    let databaseUrl: pulumi.Output<string> | undefined;
    let database: PostgresCluster | undefined;
    if (children.gatewayDatabase) {
      database = new PostgresCluster(children.gatewayDatabase.name, children.gatewayDatabase.args, {
        parent: this,
        dependsOn: [base, ...cnpg, ...monitorsAfter],
      });
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
    // Or every team at once, from inside the cluster: after the gateway is up and the teams' namespaces exist.
    const reconciler = children.gatewayTeamReconciler;
    if (reconciler) new GatewayTeamReconciler(reconciler.name, reconciler.args, { parent: this, dependsOn: [gateway, ...teams] });
    return { gateway, ...(database ? { database } : {}) };
  }
}
