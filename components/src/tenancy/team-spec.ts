/**
 * What a team's namespace holds, as pure functions of the team's settings: quota, default container
 * resources, RBAC subjects and network policies. The Team component only turns these into resources.
 */
import type * as k8s from "@pulumi/kubernetes";
import { PART_OF_LABEL } from "../common/kubernetes.js";

type LimitRangeItem = k8s.types.input.core.v1.LimitRangeItem;
type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;
type NetworkPolicyPeer = k8s.types.input.networking.v1.NetworkPolicyPeer;

/** The label Kubeflow's PodDefault webhook selects namespaces by. */
export const KUBEFLOW_PROFILE_LABEL_VALUE = "kubeflow-profile";
/** Label carrying the team name on the team's namespace; policies and NetworkPolicies select by it. */
export const TEAM_LABEL = "mlops-platform.io/team";
/** Label on every team namespace, so platform services can admit "any team" with one selector. */
export const TENANT_LABEL = "mlops-platform.io/tenant";

/** Namespace name of a team. */
export function teamNamespace(team: string): string {
  return `team-${team}`;
}

/** Labels of a team's namespace (besides Pod Security labels). */
export function teamNamespaceLabels(team: string): Record<string, string> {
  return {
    [TEAM_LABEL]: team,
    [TENANT_LABEL]: "true",
    // Kubeflow's PodDefault webhook only mutates pods in namespaces carrying this label.
    [PART_OF_LABEL]: KUBEFLOW_PROFILE_LABEL_VALUE,
  };
}

/** A team's resource budget. */
export interface TeamQuotaInput {
  /** CPU cores the team's pods may request in total. */
  cpu: number;
  /** Memory the team's pods may request (and be limited to) in total, GiB. */
  memoryGiB: number;
  /** NVIDIA GPUs the team's pods may request; 0 forbids GPU pods in the namespace. */
  gpus: number;
  /** Persistent volume storage the team's claims may request in total, GiB. */
  storageGiB: number;
}

/**
 * CPU limits may add up to this multiple of the CPU quota: CPU is compressible, so letting pods burst into
 * idle cores costs nobody anything, while memory limits stay at the quota (memory overcommit means OOM kills).
 */
export const CPU_LIMIT_BURST_FACTOR = 2;

/** Object counts per team namespace: generous for real work, small enough to stop a runaway loop. */
export const TEAM_OBJECT_COUNTS = {
  pods: 200,
  persistentvolumeclaims: 50,
  services: 50,
  secrets: 200,
  configmaps: 200,
} as const;

/**
 * Training GPUs governed by a queue (Kueue) instead of the namespace quota: the queue admits a team's
 * training beyond its guarantee when other teams' GPUs are idle, so the namespace must not refuse the pods.
 */
export interface TrainingGpuInput {
  /** PriorityClass of training pods (set by the platform's training runtimes). */
  priorityClassName: string;
  /** Most GPUs training pods may hold at once: the training pools' combined cap. */
  maxGpus: number;
}

/**
 * `spec.hard` of the team's ResourceQuota. Without `training`, it also caps GPUs at the team's quota;
 * with it, GPUs are capped by `teamGpuQuotas` instead.
 */
export function teamQuotaHard(quota: TeamQuotaInput, training?: TrainingGpuInput): Record<string, string> {
  return {
    "requests.cpu": formatCpu(quota.cpu),
    "limits.cpu": formatCpu(quota.cpu * CPU_LIMIT_BURST_FACTOR),
    "requests.memory": formatGiB(quota.memoryGiB),
    "limits.memory": formatGiB(quota.memoryGiB),
    ...(training ? {} : { "requests.nvidia.com/gpu": String(quota.gpus) }),
    "requests.storage": formatGiB(quota.storageGiB),
    pods: String(TEAM_OBJECT_COUNTS.pods),
    persistentvolumeclaims: String(TEAM_OBJECT_COUNTS.persistentvolumeclaims),
    services: String(TEAM_OBJECT_COUNTS.services),
    // Teams never expose services outside the cluster on their own (the policy pack says the same).
    "services.loadbalancers": "0",
    "services.nodeports": "0",
    secrets: String(TEAM_OBJECT_COUNTS.secrets),
    configmaps: String(TEAM_OBJECT_COUNTS.configmaps),
  };
}

/**
 * GPU ResourceQuotas scoped by PriorityClass, when a queue governs training: everything but training keeps
 * the team's own GPU quota; training pods may use up to the training pools' cap, and the queue decides
 * how much of that a team gets (its guarantee, plus what it borrows).
 */
export function teamGpuQuotas(quota: TeamQuotaInput, training: TrainingGpuInput): Record<string, { hard: Record<string, string>; scopeSelector: object }> {
  const scope = (operator: "In" | "NotIn") => ({
    matchExpressions: [{ scopeName: "PriorityClass", operator, values: [training.priorityClassName] }],
  });
  return {
    "team-gpu-quota": { hard: { "requests.nvidia.com/gpu": String(quota.gpus) }, scopeSelector: scope("NotIn") },
    "team-training-gpu-quota": { hard: { "requests.nvidia.com/gpu": String(training.maxGpus) }, scopeSelector: scope("In") },
  };
}

/**
 * `spec.limits` of the team's LimitRange. With a ResourceQuota on requests and limits, a pod that sets
 * neither is rejected; these defaults let such pods schedule with a modest footprint. Defaults are capped
 * by the quota so a tiny team's defaults never exceed its whole budget.
 */
export function teamLimitRange(quota: TeamQuotaInput): LimitRangeItem[] {
  const defaultRequestCpu = Math.min(0.1, quota.cpu);
  const defaultLimitCpu = Math.min(1, quota.cpu * CPU_LIMIT_BURST_FACTOR);
  const defaultRequestMemoryGiB = Math.min(0.25, quota.memoryGiB);
  const defaultLimitMemoryGiB = Math.min(1, quota.memoryGiB);
  return [
    {
      type: "Container",
      defaultRequest: { cpu: formatCpu(defaultRequestCpu), memory: formatGiB(defaultRequestMemoryGiB) },
      default: { cpu: formatCpu(defaultLimitCpu), memory: formatGiB(defaultLimitMemoryGiB) },
    },
    {
      type: "PersistentVolumeClaim",
      // One claim may not take more than the whole storage budget; 1Gi minimum avoids useless tiny volumes.
      min: { storage: formatGiB(Math.min(1, quota.storageGiB)) },
      max: { storage: formatGiB(quota.storageGiB) },
    },
  ];
}

/** CPU cores as a Kubernetes quantity: whole cores as "4", fractions in millicores ("250m"). */
export function formatCpu(cores: number): string {
  const millis = Math.round(cores * 1000);
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** GiB as a Kubernetes quantity: whole GiB as "8Gi", fractions in MiB ("256Mi"). */
export function formatGiB(gib: number): string {
  const mib = Math.round(gib * 1024);
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}

/** RBAC subjects for identity-provider groups. */
export function groupSubjects(groups: readonly string[]): Array<{ kind: string; apiGroup: string; name: string }> {
  return groups.map((name) => ({ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name }));
}

/** Where a team's pods may talk to, besides their own namespace and DNS. */
export interface TeamNetworkInput {
  /** Namespaces of platform services the team's pods call (AI gateway, ...). */
  serviceNamespaces: readonly string[];
  /** Namespaces allowed to reach the team's pods: monitoring scrapes, the notebook culler's kernel probes. */
  ingressNamespaces: readonly string[];
  /** CIDRs the team's pods may reach outside the cluster (package mirrors, object storage). */
  egressCidrs: readonly string[];
}

const byNamespaceName = (namespace: string): NetworkPolicyPeer => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } },
});

/** NetworkPolicy specs of a team namespace, keyed by object name. Default deny first; each allow is narrow. */
export function teamNetworkPolicies(input: TeamNetworkInput): Record<string, NetworkPolicySpec> {
  const policies: Record<string, NetworkPolicySpec> = {
    // Selects every pod and allows nothing: all traffic not allowed below is dropped, in and out.
    "default-deny": { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    "allow-dns": {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: [{ ...byNamespaceName("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    },
    // Pods of one team talk freely to each other: distributed training needs it, and a notebook calls its
    // own services. Other teams' namespaces stay unreachable.
    "allow-same-namespace": {
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    },
  };
  if (input.serviceNamespaces.length > 0) {
    policies["allow-platform-services"] = {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: input.serviceNamespaces.map(byNamespaceName) }],
    };
  }
  if (input.ingressNamespaces.length > 0) {
    policies["allow-platform-ingress"] = {
      podSelector: {},
      policyTypes: ["Ingress"],
      ingress: [{ from: input.ingressNamespaces.map(byNamespaceName) }],
    };
  }
  if (input.egressCidrs.length > 0) {
    policies["allow-external-egress"] = {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: input.egressCidrs.map((cidr) => ({ ipBlock: { cidr } })) }],
    };
  }
  return policies;
}
