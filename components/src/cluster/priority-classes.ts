/**
 * The platform's PriorityClasses. Values order what the scheduler protects when the cluster is full:
 * model serving answers users, notebooks hold a person waiting, training can be retried from checkpoints.
 */
export interface PriorityClassSpec {
  /** Object name, e.g. `mlp-serving`. */
  name: string;
  value: number;
  /**
   * `Never` means the pod waits for room instead of evicting lower-priority pods. Notebooks use it so
   * that opening a notebook never kills a running training job.
   */
  preemptionPolicy: "PreemptLowerPriority" | "Never";
  description: string;
}

/**
 * The workloads that get a PriorityClass of their own. `placeholder` is for pods that only hold capacity
 * (warm GPU nodes): its negative value lets any real pod, even one without a class, preempt them.
 */
export enum WorkloadClass {
  /** Model serving and the AI gateway. */
  Serving = "serving",
  /** Interactive notebooks. */
  Notebooks = "notebooks",
  /** Training jobs. */
  Training = "training",
  /** Pods that only keep GPU nodes warm. */
  Placeholder = "placeholder",
}
export const WORKLOAD_CLASSES: readonly WorkloadClass[] = Object.values(WorkloadClass);

/** The PriorityClass name of each workload (`<prefix>-<workload>`, e.g. `mlp-serving`). */
export interface PriorityClassNames {
  /** Model serving and the AI gateway. */
  serving: string;
  /** Interactive notebooks. */
  notebooks: string;
  /** Training jobs. */
  training: string;
  /** Placeholders that keep GPU nodes warm. */
  placeholder: string;
}

/** Default values; they stay far below `system-cluster-critical` (2000000000). */
export const DEFAULT_PRIORITY_VALUES: Readonly<Record<WorkloadClass, number>> = {
  serving: 100000,
  notebooks: 50000,
  training: 10000,
  placeholder: -100,
};

/** Smallest value the platform accepts for a PriorityClass (placeholders sit just below zero). */
export const MIN_USER_PRIORITY = -1_000_000;
/** Largest value a user-defined PriorityClass may have (Kubernetes reserves higher ones for the system). */
export const MAX_USER_PRIORITY = 1_000_000_000;

const DESCRIPTIONS: Readonly<Record<WorkloadClass, string>> = {
  serving: "Model serving and the AI gateway: user-facing, preempts notebooks and training.",
  notebooks: "Interactive notebooks: scheduled before training, never evicts running pods.",
  training: "Training jobs: preemptible by serving; resumes from checkpoints.",
  placeholder: "Placeholders that keep GPU nodes warm: preempted by any real pod, never preempt anything.",
};

/** The PriorityClass objects for the given values and name prefix, in `WORKLOAD_CLASSES` order. */
export function priorityClassSpecs(prefix: string, values: Readonly<Record<WorkloadClass, number>>): PriorityClassSpec[] {
  return WORKLOAD_CLASSES.map((workload) => ({
    name: `${prefix}-${workload}`,
    value: values[workload],
    preemptionPolicy: workload === WorkloadClass.Notebooks || workload === WorkloadClass.Placeholder ? "Never" : "PreemptLowerPriority",
    description: DESCRIPTIONS[workload],
  }));
}
