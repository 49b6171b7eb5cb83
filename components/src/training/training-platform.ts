import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { argumentProblems, typeToken } from "../common/component.js";
import { isExactChartVersion } from "../common/helm.js";
import { isDnsLabel, isDnsSubdomain, platformLabels, TAINT_EFFECTS, TOLERATION_OPERATORS } from "../common/kubernetes.js";
import { GPU_TYPES, isGpuType, type GpuType } from "../gpu/catalog.js";
import type { GpuToleration } from "../gpu/node-pool-spec.js";
import { defaultFlavor, DEFAULT_LOCAL_QUEUE, gpuFlavor, teamClusterQueue, teamClusterQueueName, teamLocalQueue, unassignedGpusQueue } from "./kueue.js";
import {
  chartReference,
  KUEUE_CHART,
  KUEUE_NAMESPACE,
  KUEUE_RELEASE_NAME,
  kueueValues,
  TRAINER_CHART,
  TRAINER_NAMESPACE,
  TRAINER_RELEASE_NAME,
  trainerValues,
} from "./operators.js";
import { CPU_RUNTIME_NAME, cpuTorchRuntime, gpuRuntimeName, gpuTorchRuntime } from "./runtimes.js";
import type { Toleration } from "./types.js";

/**
 * A toleration of a GPU pool's taint.
 * @deprecated Use `GpuToleration`, what GPU pools, notebooks and training share.
 */
export type TrainingTolerationArgs = GpuToleration;

/** A GPU pool training may use: what `MlPlatform.gpuPools` reports for each pool. */
export interface TrainingGpuPoolArgs {
  /** Pool name; its runtime is `torch-distributed-gpu-<name>`. */
  name: string;
  /** GPU type, e.g. `nvidia-l4`. */
  gpu: GpuType;
  /** Most GPUs the pool runs at once. With Kueue, the GPUs the cohort shares in this pool. */
  maxGpus: number;
  /** Node selector that lands a pod on the pool's nodes. */
  nodeSelector: Record<string, string>;
  /** Tolerations of the pool's GPU taint. */
  tolerations: GpuToleration[];
}

/** A team's training budget (its quota from the team config). */
export interface TrainingTeamArgs {
  /** Team name; with Kueue its ClusterQueue is `team-<name>`. */
  name: string;
  /** The team's namespace, where its LocalQueue `default` is created. */
  namespace: string;
  /** GPUs guaranteed to the team in each GPU pool (Kueue nominal quota). */
  gpus: number;
  /** CPU cores guaranteed to the team's training (Kueue nominal quota). */
  cpu: number;
  /** Memory guaranteed to the team's training, GiB (Kueue nominal quota). */
  memoryGiB: number;
}

export interface TrainingPlatformArgs {
  /**
   * Exact Kubeflow Trainer chart version (no `v`).
   * @default "2.3.0"
   */
  trainerVersion?: string;
  /**
   * Queue TrainJobs with Kueue: per-team GPU quotas, borrowing of idle GPUs, reclaim on demand.
   * @default false
   */
  kueueEnabled?: boolean;
  /**
   * Exact Kueue chart version (no `v`); the platform writes `kueue.x-k8s.io/v1beta2` objects.
   * @default "0.19.2"
   */
  kueueVersion?: string;
  /**
   * Install Kubeflow Trainer (with JobSet). Off when the cluster already runs it: the platform then only
   * adds its runtimes (and queues).
   * @default true
   */
  installTrainer?: boolean;
  /**
   * Install Kueue when `kueueEnabled`. Off when the cluster already runs it: the platform then only adds
   * its flavors and queues.
   * @default true
   */
  installKueue?: boolean;
  /**
   * The namespace of the Prometheus that scrapes the Kueue the platform installs: its chart then creates a
   * ServiceMonitor for Kueue's metrics (needs the Prometheus Operator's CRDs). Kueue serves them over HTTPS
   * behind Kubernetes authorization; the scraper's own service account token must be allowed `get` on
   * `/metrics` (kube-prometheus-stack's Prometheus is).
   * @default none: Kueue's metrics are not scraped
   */
  kueueMetricsNamespace?: string;
  /** PriorityClass of training pods (ClusterBase's `training` class). */
  priorityClassName: string;
  /** GPU pools offered for training: one GPU runtime each (and one Kueue flavor each with Kueue). */
  gpuPools: TrainingGpuPoolArgs[];
  /** Teams that train; with Kueue each gets a ClusterQueue and a LocalQueue. */
  teams: TrainingTeamArgs[];
}

const COMPONENT = "TrainingPlatform";

/**
 * Distributed training: Kubeflow Trainer (with JobSet) in `kubeflow-system`, the platform's
 * ClusterTrainingRuntimes (PyTorch on CPU, and per GPU pool with its placement and the training
 * PriorityClass), and optionally Kueue in `kueue-system` sharing GPUs fairly between teams.
 *
 * The operator namespaces are not created here: the caller creates `kubeflow-system` (and `kueue-system`)
 * and the teams' namespaces, and passes them in `dependsOn`.
 */
export class TrainingPlatform extends pulumi.ComponentResource {
  /** Namespace of the Trainer controller. */
  public readonly trainerNamespace: pulumi.Output<string>;
  /** Runtime for CPU-only jobs. */
  public readonly cpuRuntimeName: pulumi.Output<string>;
  /** GPU runtime of each pool, keyed by pool name. */
  public readonly gpuRuntimeNames: pulumi.Output<Record<string, string>>;
  /** Every runtime the platform ships. */
  public readonly runtimeNames: pulumi.Output<string[]>;
  /** Whether TrainJobs are queued by Kueue (then they need the queue label). */
  public readonly kueueEnabled: pulumi.Output<boolean>;
  /** LocalQueue a team's TrainJobs name in `kueue.x-k8s.io/queue-name`, keyed by team; empty without Kueue. */
  public readonly queueNames: pulumi.Output<Record<string, string>>;
  /** ClusterQueue holding each team's quota, keyed by team; empty without Kueue. */
  public readonly clusterQueueNames: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: TrainingPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken(COMPONENT), name, {}, opts);
    const plan = planTrainingPlatform(name, args);
    const labels = platformLabels("training");

    // A Release, not a Chart: Trainer's chart applies its built-in runtimes from a post-install hook, and
    // keeping the Release means turning those on later never replaces the operator. It also installs the
    // CRDs, so every runtime below depends on it.
    const trainer = plan.installTrainer
      ? new k8s.helm.v3.Release(
          `${name}-trainer`,
          {
            name: TRAINER_RELEASE_NAME,
            chart: chartReference(TRAINER_CHART),
            version: plan.trainerVersion,
            namespace: TRAINER_NAMESPACE,
            values: trainerValues(plan.trainerVersion),
            // A failed upgrade rolls back instead of leaving a half-upgraded webhook that rejects every TrainJob.
            atomic: true,
          },
          { parent: this },
        )
      : undefined;
    const afterTrainer = { parent: this, dependsOn: trainer ? [trainer] : [] };
    new k8s.apiextensions.CustomResource(`${name}-runtime-cpu`, cpuTorchRuntime(plan.priorityClassName), afterTrainer);
    for (const pool of plan.gpuPools) {
      new k8s.apiextensions.CustomResource(`${name}-runtime-gpu-${pool.name}`, gpuTorchRuntime(pool, plan.priorityClassName), afterTrainer);
    }

    const queueNames: Record<string, string> = {};
    const clusterQueueNames: Record<string, string> = {};
    if (plan.kueueEnabled) {
      // After Trainer: Kueue sets up its TrainJob integration at start-up, when the TrainJob CRD must exist.
      const kueue = plan.installKueue
        ? new k8s.helm.v4.Chart(
            `${name}-kueue`,
            {
              name: KUEUE_RELEASE_NAME,
              chart: chartReference(KUEUE_CHART),
              version: plan.kueueVersion,
              namespace: KUEUE_NAMESPACE,
              values: kueueValues(plan.kueueVersion, plan.kueueMetricsNamespace),
            },
            afterTrainer,
          )
        : undefined;
      const afterKueue = { parent: this, dependsOn: kueue ? [kueue] : [] };
      const flavors = [
        new k8s.apiextensions.CustomResource(`${name}-flavor-default`, defaultFlavor(labels), afterKueue),
        ...plan.gpuPools.map((pool) => new k8s.apiextensions.CustomResource(`${name}-flavor-gpu-${pool.name}`, gpuFlavor(pool, labels), afterKueue)),
      ];
      const afterFlavors = { parent: this, dependsOn: [...afterKueue.dependsOn, ...flavors] };
      for (const team of plan.teams) {
        const clusterQueue = new k8s.apiextensions.CustomResource(`${name}-queue-${team.name}`, teamClusterQueue(team, plan.gpuPools, labels), afterFlavors);
        new k8s.apiextensions.CustomResource(`${name}-local-queue-${team.name}`, teamLocalQueue(team, labels), { parent: this, dependsOn: [clusterQueue] });
        queueNames[team.name] = DEFAULT_LOCAL_QUEUE;
        clusterQueueNames[team.name] = teamClusterQueueName(team.name);
      }
      const lender = unassignedGpusQueue(plan.teams, plan.gpuPools, labels);
      if (lender !== undefined) new k8s.apiextensions.CustomResource(`${name}-queue-unassigned-gpus`, lender, afterFlavors);
    }

    const gpuRuntimeNames = Object.fromEntries(plan.gpuPools.map((pool) => [pool.name, gpuRuntimeName(pool.name)]));
    this.trainerNamespace = pulumi.output(TRAINER_NAMESPACE);
    this.cpuRuntimeName = pulumi.output(CPU_RUNTIME_NAME);
    this.gpuRuntimeNames = pulumi.output(gpuRuntimeNames);
    this.runtimeNames = pulumi.output([CPU_RUNTIME_NAME, ...Object.values(gpuRuntimeNames)]);
    this.kueueEnabled = pulumi.output(plan.kueueEnabled);
    this.queueNames = pulumi.output(queueNames);
    this.clusterQueueNames = pulumi.output(clusterQueueNames);
    this.registerOutputs({
      trainerNamespace: this.trainerNamespace,
      cpuRuntimeName: this.cpuRuntimeName,
      gpuRuntimeNames: this.gpuRuntimeNames,
      runtimeNames: this.runtimeNames,
      kueueEnabled: this.kueueEnabled,
      queueNames: this.queueNames,
      clusterQueueNames: this.clusterQueueNames,
    });
  }
}

/** A GPU pool with its tolerations checked. */
export interface TrainingPoolPlan {
  name: string;
  gpu: string;
  maxGpus: number;
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
}

/** TrainingPlatform args with every default applied and every value checked. */
export interface TrainingPlatformPlan {
  trainerVersion: string;
  kueueEnabled: boolean;
  kueueVersion: string;
  installTrainer: boolean;
  installKueue: boolean;
  kueueMetricsNamespace?: string;
  priorityClassName: string;
  gpuPools: TrainingPoolPlan[];
  teams: TrainingTeamArgs[];
}


/**
 * Validates TrainingPlatform args and applies defaults; throws `InputPropertyError` (`InputPropertiesError`
 * for several) naming each property and the fix.
 */
export function planTrainingPlatform(name: string, args: TrainingPlatformArgs): TrainingPlatformPlan {
  const problems = argumentProblems(COMPONENT, name);
  const chartVersion = (property: string, value: string, example: string): string => {
    if (!(isExactChartVersion(value) && !value.startsWith("v"))) problems.add(property, value, `use an exact chart version without "v", such as "${example}"`);
    return value;
  };
  const trainerVersion = chartVersion("trainerVersion", args.trainerVersion ?? TRAINER_CHART.version, TRAINER_CHART.version);
  const kueueVersion = chartVersion("kueueVersion", args.kueueVersion ?? KUEUE_CHART.version, KUEUE_CHART.version);
  const kueueEnabled = args.kueueEnabled ?? false;
  if (typeof args.priorityClassName !== "string" || !isDnsSubdomain(args.priorityClassName)) {
    problems.add("priorityClassName", args.priorityClassName, 'name the training PriorityClass, e.g. "mlp-training"');
  }

  const poolNames = new Set<string>();
  const gpuPools = args.gpuPools.map((pool, i): TrainingPoolPlan => {
    const at = `gpuPools[${i}]`;
    if (!isDnsLabel(pool.name) || !isDnsLabel(gpuRuntimeName(pool.name))) {
      problems.add(`${at}.name`, pool.name, `use a DNS label of at most ${63 - gpuRuntimeName("").length} characters (the runtime is ${gpuRuntimeName("<name>")})`);
    } else if (poolNames.has(pool.name)) {
      problems.add(`${at}.name`, pool.name, "list every pool once");
    }
    poolNames.add(pool.name);
    if (!isGpuType(pool.gpu)) problems.add(`${at}.gpu`, pool.gpu, `use one of ${GPU_TYPES.join(", ")}`);
    if (!Number.isInteger(pool.maxGpus) || pool.maxGpus < 1) problems.add(`${at}.maxGpus`, pool.maxGpus, "use a whole number of at least 1");
    if (Object.keys(pool.nodeSelector).length === 0) {
      problems.add(`${at}.nodeSelector`, pool.nodeSelector, "select the pool's nodes (GpuNodePool.nodeSelector): without it GPU jobs could land on any node");
    }
    pool.tolerations.forEach((toleration, t) => {
      if (typeof toleration.key !== "string" || toleration.key === "") problems.add(`${at}.tolerations[${t}].key`, toleration.key, "name the taint key, e.g. nvidia.com/gpu");
      if (!TOLERATION_OPERATORS.includes(toleration.operator)) problems.add(`${at}.tolerations[${t}].operator`, toleration.operator, `use one of ${TOLERATION_OPERATORS.join(", ")}`);
      if (!TAINT_EFFECTS.includes(toleration.effect)) problems.add(`${at}.tolerations[${t}].effect`, toleration.effect, `use one of ${TAINT_EFFECTS.join(", ")}`);
    });
    return {
      name: pool.name,
      gpu: pool.gpu,
      maxGpus: pool.maxGpus,
      nodeSelector: { ...pool.nodeSelector },
      tolerations: pool.tolerations.map((t): Toleration => ({ key: t.key, operator: t.operator, effect: t.effect })),
    };
  });

  const teamNames = new Set<string>();
  const namespaces = new Set<string>();
  const teams = args.teams.map((team, i): TrainingTeamArgs => {
    const at = `teams[${i}]`;
    const listedTwice = teamNames.has(team.name);
    if (!isDnsLabel(team.name) || !isDnsLabel(teamClusterQueueName(team.name))) {
      problems.add(`${at}.name`, team.name, "use a DNS label of at most 58 characters (its ClusterQueue is team-<name>)");
    } else if (listedTwice) {
      problems.add(`${at}.name`, team.name, "list every team once");
    }
    teamNames.add(team.name);
    if (!isDnsLabel(team.namespace)) problems.add(`${at}.namespace`, team.namespace, "use the team's namespace name (a DNS label)");
    // A team listed twice shares its namespace with itself: "list every team once" says it already.
    else if (namespaces.has(team.namespace) && !listedTwice) problems.add(`${at}.namespace`, team.namespace, "give every team its own namespace");
    namespaces.add(team.namespace);
    if (!Number.isInteger(team.gpus) || team.gpus < 0) problems.add(`${at}.gpus`, team.gpus, "use a whole number, 0 or more");
    for (const key of ["cpu", "memoryGiB"] as const) {
      if (!(Number.isFinite(team[key]) && team[key] > 0)) problems.add(`${at}.${key}`, team[key], "use a positive number");
    }
    return { ...team };
  });

  // Only with whole GPU counts: otherwise their own problems say enough.
  const wholeGpus = teams.every((team) => Number.isInteger(team.gpus) && team.gpus >= 0);
  if (kueueEnabled && wholeGpus) {
    // Every team is guaranteed its gpus in every pool; a pool that cannot hold all guarantees at once would
    // make them promises Kueue admits but the pool cannot schedule.
    const guaranteed = teams.reduce((sum, team) => sum + team.gpus, 0);
    gpuPools.forEach((pool, i) => {
      if (Number.isInteger(pool.maxGpus) && pool.maxGpus >= 1 && pool.maxGpus < guaranteed) {
        problems.add(
          `gpuPools[${i}].maxGpus`,
          pool.maxGpus,
          `the teams are guaranteed ${guaranteed} GPUs in each training pool (the sum of teams[].gpus): raise maxGpus of "${pool.name}" to at least ${guaranteed}, lower the teams' gpus, or leave this pool out of gpuPools`,
        );
      }
    });
  }
  problems.throwIfAny();
  return {
    trainerVersion,
    kueueEnabled,
    kueueVersion,
    installTrainer: args.installTrainer ?? true,
    installKueue: args.installKueue ?? true,
    ...(args.kueueMetricsNamespace !== undefined ? { kueueMetricsNamespace: args.kueueMetricsNamespace } : {}),
    priorityClassName: args.priorityClassName,
    gpuPools,
    teams,
  };
}
