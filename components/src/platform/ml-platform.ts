import * as pulumi from "@pulumi/pulumi";
import { ClusterBase, type ClusterBaseArgs } from "../cluster/cluster-base.js";
import type { WorkloadClass } from "../cluster/priority-classes.js";
import { invalidArgument, typeToken } from "../common/component.js";
import { Team, type TeamArgs } from "../tenancy/team.js";

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
}

/** An ML platform on one Kubernetes cluster. */
export class MlPlatform extends pulumi.ComponentResource {
  /** Every namespace the platform created. */
  public readonly namespaces: pulumi.Output<string[]>;
  /** Namespace of cert-manager, when the platform installs it. */
  public readonly certManagerNamespace: pulumi.Output<string | undefined>;
  /** PriorityClass name per workload, for pods the platform and its users create. */
  public readonly priorityClassNames: pulumi.Output<Record<WorkloadClass, string>>;
  /** Namespace of each team, keyed by team name. */
  public readonly teamNamespaces: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: MlPlatformArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("MlPlatform"), name, {}, opts);

    const teamArgs = args.teams ?? [];
    const seen = new Set<string>();
    teamArgs.forEach((team, index) => {
      if (seen.has(team.name)) invalidArgument("MlPlatform", name, `teams[${index}].name`, team.name, "give every team a unique name");
      seen.add(team.name);
    });

    const base = new ClusterBase(`${name}-cluster`, args.clusterBase ?? {}, { parent: this });
    const teams = teamArgs.map((team) => new Team(`${name}-team-${team.name}`, team, { parent: this }));

    this.namespaces = base.namespaces;
    this.certManagerNamespace = base.certManagerNamespace;
    this.priorityClassNames = base.priorityClassNames;
    this.teamNamespaces = pulumi
      .all(teams.map((team) => pulumi.all([team.teamName, team.namespace])))
      .apply((pairs) => Object.fromEntries(pairs));
    this.registerOutputs({
      teamNamespaces: this.teamNamespaces,
      namespaces: this.namespaces,
      certManagerNamespace: this.certManagerNamespace,
      priorityClassNames: this.priorityClassNames,
    });
  }
}
