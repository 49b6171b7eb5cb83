import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { argumentProblems, typeToken } from "../common/component.js";
import { CIDR_RULE, isCidr, isDnsLabel, platformLabels, PodSecurityLevel, podSecurityLabels } from "../common/kubernetes.js";
import {
  groupSubjects,
  teamLimitRange,
  teamNamespace,
  teamNamespaceLabels,
  teamNetworkPolicies,
  teamQuotaHard,
  teamGpuQuotas,
  type TeamQuotaInput,
  type TrainingGpuInput,
} from "./team-spec.js";

/** A team's resource budget. */
export interface TeamQuotaArgs {
  /** CPU cores the team's pods may request in total (limits may burst to twice this). */
  cpu: number;
  /** Memory the team's pods may request and be limited to in total, GiB. */
  memoryGiB: number;
  /**
   * NVIDIA GPUs the team's pods may request in total. 0 forbids GPU pods in the team's namespace.
   * @default 0
   */
  gpus?: number;
  /** Persistent volume storage the team's claims may request in total, GiB. */
  storageGiB: number;
}

export interface TeamArgs {
  /** Team name, a DNS label of at most 58 characters; the namespace is `team-<name>`. */
  name: string;
  /** Identity-provider groups bound to the `admin` ClusterRole in the team's namespace (only there). */
  owners: string[];
  /**
   * Identity-provider groups bound to the `edit` ClusterRole in the team's namespace.
   * @default []
   */
  members?: string[];
  /** The team's resource budget. */
  quota: TeamQuotaArgs;
  /**
   * Namespaces of platform services the team's pods may call (the AI gateway's, ...).
   * @default []
   */
  serviceNamespaces?: string[];
  /**
   * Platform namespaces allowed to reach the team's pods: monitoring (metrics scrapes) and the notebook
   * controller (idle culling probes Jupyter's kernels API).
   * @default []
   */
  ingressNamespaces?: string[];
  /**
   * CIDRs the team's pods may reach outside the cluster, e.g. a package mirror. Nothing by default.
   * @default []
   */
  egressCidrs?: string[];
  /**
   * Extra labels on the team's namespace.
   * @default {}
   */
  labels?: Record<string, string>;
  /**
   * Annotations on the team's namespace (e.g. the team's gateway budget, read by the policy pack).
   * @default {}
   */
  annotations?: Record<string, string>;
  /**
   * When a queue (Kueue) governs training GPUs: the training PriorityClass and the training pools' GPU cap.
   * The team's GPU quota then applies to everything but training pods, which may use up to `maxGpus`.
   * @default none (one GPU quota for every pod)
   */
  trainingGpus?: TrainingGpuInput;
}

const COMPONENT = "Team";

/**
 * One team on the platform: its namespace (Pod Security `restricted`, Kubeflow profile label), a
 * ResourceQuota and LimitRange, group-based RBAC confined to the namespace, and NetworkPolicies that deny
 * everything but DNS, the team's own pods and the platform services it uses.
 *
 * Other capabilities attach to a team through its outputs (`namespace`, `labels`) and `dependsOn` it;
 * they never reach into this component.
 */
export class Team extends pulumi.ComponentResource {
  /** The team's name. */
  public readonly teamName: pulumi.Output<string>;
  /** The team's namespace, `team-<name>`. */
  public readonly namespace: pulumi.Output<string>;
  /** Labels of the team's namespace (select it in NetworkPolicies and PodDefaults). */
  public readonly labels: pulumi.Output<Record<string, string>>;
  /** GPUs the team may request in total. */
  public readonly gpuQuota: pulumi.Output<number>;

  constructor(name: string, args: TeamArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken(COMPONENT), name, {}, opts);
    const team = planTeam(name, args);
    const namespaceName = teamNamespace(team.name);
    const componentLabels = platformLabels("tenancy");
    const namespaceLabels = { ...componentLabels, ...podSecurityLabels(PodSecurityLevel.Restricted), ...teamNamespaceLabels(team.name), ...team.labels };

    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: namespaceName, labels: namespaceLabels, ...(args.annotations ? { annotations: args.annotations } : {}) } },
      { parent: this },
    );
    const inNamespace = { parent: this, dependsOn: [namespace] };
    const metadata = (objectName: string) => ({ name: objectName, namespace: namespaceName, labels: componentLabels });

    new k8s.core.v1.ResourceQuota(
      `${name}-quota`,
      { metadata: metadata("team-quota"), spec: { hard: teamQuotaHard(team.quota, args.trainingGpus) } },
      inNamespace,
    );
    if (args.trainingGpus) {
      for (const [quotaName, spec] of Object.entries(teamGpuQuotas(team.quota, args.trainingGpus))) {
        new k8s.core.v1.ResourceQuota(`${name}-${quotaName}`, { metadata: metadata(quotaName), spec }, inNamespace);
      }
    }
    new k8s.core.v1.LimitRange(
      `${name}-limits`,
      { metadata: metadata("team-defaults"), spec: { limits: teamLimitRange(team.quota) } },
      inNamespace,
    );

    const roleBindings: Array<[string, string, string[]]> = [
      ["owners", "admin", team.owners],
      ["members", "edit", team.members],
    ];
    for (const [role, clusterRole, groups] of roleBindings) {
      if (groups.length === 0) continue;
      // RoleBindings to the built-in aggregated ClusterRoles: the rights apply in this namespace only.
      new k8s.rbac.v1.RoleBinding(
        `${name}-${role}`,
        {
          metadata: metadata(`team-${role}`),
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole },
          subjects: groupSubjects(groups),
        },
        inNamespace,
      );
    }

    const policies = teamNetworkPolicies({
      serviceNamespaces: team.serviceNamespaces,
      ingressNamespaces: team.ingressNamespaces,
      egressCidrs: team.egressCidrs,
    });
    for (const [policyName, spec] of Object.entries(policies)) {
      new k8s.networking.v1.NetworkPolicy(`${name}-${policyName}`, { metadata: metadata(policyName), spec }, inNamespace);
    }

    this.teamName = pulumi.output(team.name);
    this.namespace = namespace.metadata.name;
    this.labels = pulumi.output(namespaceLabels);
    this.gpuQuota = pulumi.output(team.quota.gpus);
    this.registerOutputs({ teamName: this.teamName, namespace: this.namespace, labels: this.labels, gpuQuota: this.gpuQuota });
  }
}

/** Team args with every default applied. */
export interface TeamPlan {
  name: string;
  owners: string[];
  members: string[];
  quota: TeamQuotaInput;
  serviceNamespaces: string[];
  ingressNamespaces: string[];
  egressCidrs: string[];
  labels: Record<string, string>;
}

/**
 * Validates Team args and applies defaults; throws `InputPropertyError` (or, for several problems,
 * `InputPropertiesError`) naming each property, its value and the fix.
 */
export function planTeam(name: string, args: TeamArgs): TeamPlan {
  const problems = argumentProblems(COMPONENT, name);
  if (!isDnsLabel(args.name) || args.name.length > 58) {
    problems.add("name", args.name, "use a DNS label of at most 58 characters (the namespace is team-<name>)");
  }
  if (args.owners.length === 0) problems.add("owners", args.owners, "name at least one identity-provider group");
  const groups = [...args.owners.map((g, i) => [`owners[${i}]`, g]), ...(args.members ?? []).map((g, i) => [`members[${i}]`, g])];
  for (const [property, group] of groups) {
    if (typeof group !== "string" || group.trim() === "") problems.add(property!, group, "use a non-empty group name");
  }
  const quota: TeamQuotaInput = { ...args.quota, gpus: args.quota.gpus ?? 0 };
  for (const key of ["cpu", "memoryGiB", "storageGiB"] as const) {
    if (!(Number.isFinite(quota[key]) && quota[key] > 0)) problems.add(`quota.${key}`, quota[key], "use a positive number");
  }
  if (!Number.isInteger(quota.gpus) || quota.gpus < 0) problems.add("quota.gpus", quota.gpus, "use a whole number, 0 or more");
  for (const property of ["serviceNamespaces", "ingressNamespaces"] as const) {
    (args[property] ?? []).forEach((ns, i) => {
      if (!isDnsLabel(ns)) problems.add(`${property}[${i}]`, ns, "use a namespace name (a DNS label)");
    });
  }
  (args.egressCidrs ?? []).forEach((cidr, i) => {
    if (!isCidr(cidr)) problems.add(`egressCidrs[${i}]`, cidr, `use ${CIDR_RULE}`);
  });
  problems.throwIfAny();
  return {
    name: args.name,
    owners: [...args.owners],
    members: [...(args.members ?? [])],
    quota,
    serviceNamespaces: [...(args.serviceNamespaces ?? [])],
    ingressNamespaces: [...(args.ingressNamespaces ?? [])],
    egressCidrs: [...(args.egressCidrs ?? [])],
    labels: { ...(args.labels ?? {}) },
  };
}
