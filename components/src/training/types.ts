/**
 * Typed shapes of the custom resources the training capability writes or documents, from the upstream CRDs:
 * Kubeflow Trainer v2.3.0 (`trainer.kubeflow.org/v1alpha1`: TrainJob, ClusterTrainingRuntime) and Kueue
 * v0.19.2 (`kueue.x-k8s.io/v1beta2`, the storage version: ResourceFlavor, ClusterQueue, LocalQueue).
 * Only the fields the platform and its users need are typed, with the CRDs' names and types, so a
 * misspelled field or a string where an integer belongs fails to compile. Only constants and types live here.
 */
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";

export const TRAINER_API_VERSION = "trainer.kubeflow.org/v1alpha1";
export const KUEUE_API_VERSION = "kueue.x-k8s.io/v1beta2";
/** The label Trainer uses to find the JobSet step that runs the trainer. */
export const TRAINJOB_ANCESTOR_LABEL = "trainer.kubeflow.org/trainjob-ancestor-step";
/** The replicated job and container of a runtime that a TrainJob's `spec.trainer` is merged into. */
export const TRAINER_NODE_NAME = "node";
/** The label that puts a job in a Kueue LocalQueue of its namespace. */
export const KUEUE_QUEUE_LABEL = "kueue.x-k8s.io/queue-name";

/** A Kubernetes quantity: `"4"`, `"500m"`, `"16Gi"`, or a whole number. */
export type Quantity = string | number;

/** The metadata fields the platform sets. */
export interface ObjectMeta {
  name: string;
  /** Namespaced kinds only (TrainJob, LocalQueue). */
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Metadata of a template inside a resource (JobSet, Job and pod templates): no name needed. */
export interface TemplateMeta {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface ResourceRequirements {
  requests?: Record<string, Quantity>;
  limits?: Record<string, Quantity>;
}

export interface EnvVar {
  name: string;
  value?: string;
}

export interface Toleration {
  key?: string;
  operator?: "Exists" | "Equal";
  value?: string;
  effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

// ---------------------------------------------------------------------------------------------------
// Kubeflow Trainer

/** `spec.runtimeRef` of a TrainJob: which (Cluster)TrainingRuntime the job is built from. */
export interface RuntimeRef {
  name: string;
  /** @default "trainer.kubeflow.org" */
  apiGroup?: "trainer.kubeflow.org";
  /** @default "ClusterTrainingRuntime" */
  kind?: "ClusterTrainingRuntime" | "TrainingRuntime";
}

/** `spec.trainer` of a TrainJob: what a team sets; everything else comes from the runtime. */
export interface TrainJobTrainer {
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  /** Nodes (pods) of the distributed job. */
  numNodes?: number;
  /**
   * Processes per node (torchrun `--nproc-per-node`). An integer since Trainer v2.2: the string "auto" of
   * earlier releases is rejected by the API server.
   */
  numProcPerNode?: number;
  resourcesPerNode?: ResourceRequirements;
}

export interface TrainJobSpec {
  runtimeRef: RuntimeRef;
  trainer?: TrainJobTrainer;
  /** Kueue sets this while the job waits for quota. */
  suspend?: boolean;
  activeDeadlineSeconds?: number;
  /** @default "trainer.kubeflow.org/trainjob-controller" */
  managedBy?: "trainer.kubeflow.org/trainjob-controller" | "kueue.x-k8s.io/multikueue";
}

/** `TrainJob` (trainer.kubeflow.org/v1alpha1): one distributed training run of a team. */
export interface TrainJob {
  apiVersion: typeof TRAINER_API_VERSION;
  kind: "TrainJob";
  metadata: ObjectMeta & { namespace: string };
  spec: TrainJobSpec;
}

/** `spec.mlPolicy` of a runtime: the framework (exactly one of torch, mpi, jax, ...) and default node count. */
export interface MLPolicy {
  numNodes?: number;
  torch?: Record<string, never>;
}

/** One Job of the runtime's JobSet; the trainer's is named `node` and labelled as the trainer step. */
export interface ReplicatedJob {
  name: string;
  replicas?: number;
  template: {
    metadata?: TemplateMeta;
    spec: {
      template: {
        metadata?: TemplateMeta;
        spec: IPodSpec;
      };
    };
  };
}

export interface JobSetFailurePolicy {
  /** Restarts of the whole JobSet before the TrainJob fails. */
  maxRestarts?: number;
}

export interface ClusterTrainingRuntimeSpec {
  mlPolicy: MLPolicy;
  template: {
    metadata?: TemplateMeta;
    spec: {
      replicatedJobs: ReplicatedJob[];
      failurePolicy?: JobSetFailurePolicy;
    };
  };
}

/** `ClusterTrainingRuntime` (trainer.kubeflow.org/v1alpha1): a cluster-wide blueprint TrainJobs refer to. */
export interface ClusterTrainingRuntime {
  apiVersion: typeof TRAINER_API_VERSION;
  kind: "ClusterTrainingRuntime";
  metadata: ObjectMeta;
  spec: ClusterTrainingRuntimeSpec;
}

// ---------------------------------------------------------------------------------------------------
// Kueue

/** `ResourceFlavor` (kueue.x-k8s.io/v1beta2): a kind of node; admitted pods get its labels and tolerations. */
export interface ResourceFlavor {
  apiVersion: typeof KUEUE_API_VERSION;
  kind: "ResourceFlavor";
  metadata: ObjectMeta;
  spec: {
    nodeLabels?: Record<string, string>;
    tolerations?: Toleration[];
  };
}

export interface FlavorQuota {
  /** Resource name, e.g. `nvidia.com/gpu`; the list repeats the group's coveredResources in order. */
  name: string;
  /** Guaranteed to this queue; lent to its cohort while idle. */
  nominalQuota: Quantity;
  /** Most this queue may borrow from its cohort (needs a cohort). @default no limit */
  borrowingLimit?: Quantity;
  /** Most of the nominal quota this queue lends to its cohort. @default all of it */
  lendingLimit?: Quantity;
}

export interface ResourceGroup {
  coveredResources: string[];
  flavors: Array<{ name: string; resources: FlavorQuota[] }>;
}

export interface ClusterQueuePreemption {
  /** Whether a queue may preempt workloads that borrowed its nominal quota. @default "Never" */
  reclaimWithinCohort?: "Never" | "LowerPriority" | "Any";
  /** @default "Never" */
  withinClusterQueue?: "Never" | "LowerPriority" | "LowerOrNewerEqualPriority";
  borrowWithinCohort?: { policy?: "Never" | "LowerPriority"; maxPriorityThreshold?: number };
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
}

/** `ClusterQueue` (kueue.x-k8s.io/v1beta2): a quota that workloads are admitted against. */
export interface ClusterQueue {
  apiVersion: typeof KUEUE_API_VERSION;
  kind: "ClusterQueue";
  metadata: ObjectMeta;
  spec: {
    /** Queues in one cohort lend each other their idle quota. */
    cohortName?: string;
    /** Namespaces whose workloads this queue admits; absent admits none, `{}` admits all. */
    namespaceSelector?: LabelSelector;
    queueingStrategy?: "StrictFIFO" | "BestEffortFIFO";
    resourceGroups?: ResourceGroup[];
    preemption?: ClusterQueuePreemption;
  };
}

/** `LocalQueue` (kueue.x-k8s.io/v1beta2): the namespaced entry point a job names in its queue label. */
export interface LocalQueue {
  apiVersion: typeof KUEUE_API_VERSION;
  kind: "LocalQueue";
  metadata: ObjectMeta & { namespace: string };
  spec: { clusterQueue: string };
}
