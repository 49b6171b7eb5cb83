/**
 * Fair sharing of GPUs between teams with Kueue, as pure functions of the teams and GPU pools.
 *
 * Layout: one ClusterQueue per team, all in one cohort. Kueue keeps quota on ClusterQueues (a LocalQueue
 * is only a namespaced pointer to one), so a per-team queue is the only way to give each team a nominal
 * quota of its own: `gpus` from its team config in every GPU pool's flavor, and its `cpu`/`memoryGiB` on
 * the default flavor. Quota a team leaves idle is lent to the cohort, so others borrow it, and
 * `reclaimWithinCohort: Any` lets the owner preempt borrowers to get its share back at once: a guaranteed
 * share that is never wasted. (A ClusterQueue per pool, shared by all teams, would pool the GPUs but give
 * no team a quota.)
 *
 * Resource groups: cpu and memory come from one `default-flavor` with no node labels, GPUs from one flavor
 * per pool (node labels = the pool's node selector, tolerations = its GPU toleration). Kueue picks a
 * flavor per group, so a GPU pod takes its GPUs from its pool's flavor (the only one its node selector
 * matches) and CPU pods never get a GPU flavor's labels and tolerations injected.
 *
 * GPUs of a pool that no team is guaranteed sit in a lender queue (`unassigned-gpus`) that admits nothing
 * itself, so every GPU of the pool is reachable through the cohort.
 *
 * Each team namespace gets a LocalQueue `default`; jobs name it in the label `kueue.x-k8s.io/queue-name`.
 * The name matters: for its built-in integrations (TrainJob among them) Kueue gives a job without the
 * label the LocalQueue `default` of its namespace, so leaving the label out does not bypass the quota.
 *
 * Kueue only accounts: the team namespace's own ResourceQuota still caps what its pods may request, so it
 * must leave room for borrowed GPUs, or a job Kueue admits on borrowed quota is refused its pods.
 */
import { poolObjectName } from "../gpu/node-pool-spec.js";
import { formatCpu, formatGiB } from "../tenancy/team-spec.js";
import { GPU_RESOURCE } from "./runtimes.js";
import { KUEUE_API_VERSION, type ClusterQueue, type LocalQueue, type ResourceFlavor, type ResourceGroup, type Toleration } from "./types.js";

/** The cohort every training ClusterQueue joins: they lend each other idle quota. */
export const TRAINING_COHORT = "mlp-training";
/** The flavor of cpu and memory: no node labels, any node. */
export const DEFAULT_FLAVOR = "default-flavor";
/** ClusterQueue holding the GPUs no team is guaranteed; it admits nothing, only lends. */
export const UNASSIGNED_GPUS_QUEUE = "unassigned-gpus";
/** The LocalQueue in every team namespace. */
export const DEFAULT_LOCAL_QUEUE = "default";

/** A team as queueing sees it. */
export interface QueueTeam {
  name: string;
  namespace: string;
  /** GPUs guaranteed in each GPU pool. */
  gpus: number;
  /** CPU cores guaranteed. */
  cpu: number;
  memoryGiB: number;
}

/** A GPU pool as queueing sees it. */
export interface QueuePool {
  name: string;
  maxGpus: number;
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
}

/** Name of a pool's ResourceFlavor: the same as its NodePool / ComputeClass (`gpu-<pool>`). */
export function gpuFlavorName(pool: string): string {
  return poolObjectName({ name: pool });
}

/** Name of a team's ClusterQueue: the same as its namespace convention (`team-<name>`). */
export function teamClusterQueueName(team: string): string {
  return `team-${team}`;
}

export function defaultFlavor(labels: Record<string, string>): ResourceFlavor {
  return { apiVersion: KUEUE_API_VERSION, kind: "ResourceFlavor", metadata: { name: DEFAULT_FLAVOR, labels }, spec: {} };
}

/** A pool's flavor: Kueue adds these node labels and tolerations to the pods it admits on the flavor. */
export function gpuFlavor(pool: QueuePool, labels: Record<string, string>): ResourceFlavor {
  return {
    apiVersion: KUEUE_API_VERSION,
    kind: "ResourceFlavor",
    metadata: { name: gpuFlavorName(pool.name), labels },
    spec: { nodeLabels: { ...pool.nodeSelector }, tolerations: pool.tolerations.map((t) => ({ ...t })) },
  };
}

function gpuGroup(pools: readonly QueuePool[], quota: (pool: QueuePool) => number): ResourceGroup {
  return {
    coveredResources: [GPU_RESOURCE],
    flavors: pools.map((pool) => ({ name: gpuFlavorName(pool.name), resources: [{ name: GPU_RESOURCE, nominalQuota: String(quota(pool)) }] })),
  };
}

/**
 * A team's ClusterQueue: its nominal quota, borrowing from the cohort without limit, lending all it does
 * not use, and admitting only jobs from the team's own namespace (so no one can point a LocalQueue at
 * another team's quota).
 */
export function teamClusterQueue(team: QueueTeam, pools: readonly QueuePool[], labels: Record<string, string>): ClusterQueue {
  const resourceGroups: ResourceGroup[] = [
    {
      coveredResources: ["cpu", "memory"],
      flavors: [
        {
          name: DEFAULT_FLAVOR,
          resources: [
            { name: "cpu", nominalQuota: formatCpu(team.cpu) },
            { name: "memory", nominalQuota: formatGiB(team.memoryGiB) },
          ],
        },
      ],
    },
  ];
  if (pools.length > 0) resourceGroups.push(gpuGroup(pools, () => team.gpus));
  return {
    apiVersion: KUEUE_API_VERSION,
    kind: "ClusterQueue",
    metadata: { name: teamClusterQueueName(team.name), labels },
    spec: {
      cohortName: TRAINING_COHORT,
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": team.namespace } },
      // A large job waiting for room does not hold back smaller ones that fit now.
      queueingStrategy: "BestEffortFIFO",
      resourceGroups,
      preemption: {
        // The owner of lent quota takes it back from borrowers whatever their priority: the guarantee.
        reclaimWithinCohort: "Any",
        // Within a team, a job of higher priority (WorkloadPriorityClass or PriorityClass) goes first.
        withinClusterQueue: "LowerPriority",
      },
    },
  };
}

/** GPUs of each pool that no team is guaranteed (a pool's maxGpus minus the sum of the teams' gpus). */
export function unassignedGpus(teams: readonly QueueTeam[], pools: readonly QueuePool[]): Map<string, number> {
  const guaranteed = teams.reduce((sum, team) => sum + team.gpus, 0);
  return new Map(pools.map((pool) => [pool.name, Math.max(0, pool.maxGpus - guaranteed)]));
}

/**
 * The lender queue of unassigned GPUs, or undefined when the teams' guarantees take every GPU. Without a
 * namespaceSelector it admits no workload; it only gives its quota to the cohort.
 */
export function unassignedGpusQueue(teams: readonly QueueTeam[], pools: readonly QueuePool[], labels: Record<string, string>): ClusterQueue | undefined {
  const spare = unassignedGpus(teams, pools);
  const lending = pools.filter((pool) => (spare.get(pool.name) ?? 0) > 0);
  if (lending.length === 0) return undefined;
  return {
    apiVersion: KUEUE_API_VERSION,
    kind: "ClusterQueue",
    metadata: { name: UNASSIGNED_GPUS_QUEUE, labels },
    spec: { cohortName: TRAINING_COHORT, resourceGroups: [gpuGroup(lending, (pool) => spare.get(pool.name) ?? 0)] },
  };
}

/** The LocalQueue `default` of a team, pointing at its ClusterQueue. */
export function teamLocalQueue(team: Pick<QueueTeam, "name" | "namespace">, labels: Record<string, string>): LocalQueue {
  return {
    apiVersion: KUEUE_API_VERSION,
    kind: "LocalQueue",
    metadata: { name: DEFAULT_LOCAL_QUEUE, namespace: team.namespace, labels },
    spec: { clusterQueue: teamClusterQueueName(team.name) },
  };
}
