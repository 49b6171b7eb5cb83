/**
 * Validators for the training kinds, written from the upstream CRDs (Kubeflow Trainer v2.3.0, Kueue
 * v0.19.2): required fields, types, enums and unknown fields at every level the platform or a team writes,
 * plus the rules the CRDs express as CEL or the operators' webhooks enforce that a render can check
 * offline (TrainJob name format, one ML framework per runtime, Kueue flavor resources in coveredResources
 * order, no borrowing limit without a cohort). Pod templates are also checked against the core PodSpec
 * schema from `kubernetes-models`.
 *
 * Imports nothing from `testing/` but the validator type, so the render kit can register these without an
 * import cycle.
 */
import { PodSpec } from "kubernetes-models/v1/PodSpec";
import type { ManifestValidator } from "../testing/validate.js";
import { checkSchema, s, type FieldSchema } from "../common/crd-schema.js";
import { KUEUE_API_VERSION, TRAINER_API_VERSION, TRAINER_NODE_NAME, TRAINJOB_ANCESTOR_LABEL } from "./types.js";

/** A validator that answers synchronously (what every training validator does). */
export type SyncManifestValidator = (object: Record<string, unknown>) => string[];

// ObjectMeta fields other than the four the platform sets: accepted as they are.
const OTHER_METADATA_FIELDS = [
  "generateName",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "ownerReferences",
  "finalizers",
  "managedFields",
  "selfLink",
];
const DNS_LABEL: FieldSchema = { type: "string", pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, patternHint: "a DNS label", maxLength: 63 };
const labelMap = s.mapOf(s.string);

const metadataWith = (name: FieldSchema): FieldSchema =>
  s.known(OTHER_METADATA_FIELDS, { name, namespace: DNS_LABEL, labels: labelMap, annotations: labelMap }, ["name"]);
const METADATA = metadataWith(s.name);
/** TrainJob names become Service and pod host names: the CRD's CEL rule asks for an RFC 1035 label. */
const TRAINJOB_METADATA = metadataWith({
  type: "string",
  pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
  patternHint: "an RFC 1035 label (starts with a letter; lowercase letters, digits and '-')",
  maxLength: 63,
});
const TEMPLATE_METADATA = s.known(["finalizers", "name", "namespace"], { labels: labelMap, annotations: labelMap });

const ENV_VAR = s.object({ name: s.string, value: s.string, valueFrom: s.any }, ["name"]);
const RESOURCES = s.object({ requests: s.mapOf(s.quantity), limits: s.mapOf(s.quantity), claims: s.any });
const TOLERATION = s.object({
  key: s.string,
  operator: s.enumOf("Exists", "Equal"),
  value: s.string,
  effect: s.enumOf("NoSchedule", "PreferNoSchedule", "NoExecute"),
  tolerationSeconds: s.integer(),
});

// Fields of the core Container and PodSpec as the Trainer CRD embeds them (Kubernetes 1.35 types).
const CONTAINER_FIELDS = [
  "envFrom",
  "imagePullPolicy",
  "lifecycle",
  "livenessProbe",
  "ports",
  "readinessProbe",
  "resizePolicy",
  "restartPolicy",
  "restartPolicyRules",
  "securityContext",
  "startupProbe",
  "stdin",
  "stdinOnce",
  "terminationMessagePath",
  "terminationMessagePolicy",
  "tty",
  "volumeDevices",
  "workingDir",
];
const POD_SPEC_FIELDS = [
  "activeDeadlineSeconds",
  "affinity",
  "automountServiceAccountToken",
  "dnsConfig",
  "dnsPolicy",
  "enableServiceLinks",
  "ephemeralContainers",
  "hostAliases",
  "hostIPC",
  "hostNetwork",
  "hostPID",
  "hostUsers",
  "hostname",
  "hostnameOverride",
  "imagePullSecrets",
  "initContainers",
  "nodeName",
  "os",
  "overhead",
  "preemptionPolicy",
  "priority",
  "readinessGates",
  "resourceClaims",
  "resources",
  "restartPolicy",
  "runtimeClassName",
  "schedulerName",
  "schedulingGates",
  "schedulingGroup",
  "securityContext",
  "serviceAccount",
  "serviceAccountName",
  "setHostnameAsFQDN",
  "shareProcessNamespace",
  "subdomain",
  "terminationGracePeriodSeconds",
  "topologySpreadConstraints",
  "volumes",
];
const JOB_SPEC_FIELDS = [
  "activeDeadlineSeconds",
  "backoffLimit",
  "backoffLimitPerIndex",
  "completionMode",
  "completions",
  "managedBy",
  "manualSelector",
  "maxFailedIndexes",
  "parallelism",
  "podFailurePolicy",
  "podReplacementPolicy",
  "selector",
  "successPolicy",
  "suspend",
  "ttlSecondsAfterFinished",
];

const CONTAINER = s.known(
  CONTAINER_FIELDS,
  {
    name: DNS_LABEL,
    image: s.string,
    command: s.listOf(s.string),
    args: s.listOf(s.string),
    env: s.listOf(ENV_VAR),
    resources: RESOURCES,
    volumeMounts: s.listOf(
      s.known(["mountPropagation", "readOnly", "recursiveReadOnly", "subPath", "subPathExpr"], { name: s.string, mountPath: s.string }, ["name", "mountPath"]),
    ),
  },
  ["name"],
);
const POD_SPEC = s.known(
  POD_SPEC_FIELDS,
  { containers: s.listOf(CONTAINER, { minItems: 1 }), nodeSelector: labelMap, tolerations: s.listOf(TOLERATION), priorityClassName: s.name },
  ["containers"],
);
const REPLICATED_JOB = s.known(
  ["dependsOn", "groupName"],
  {
    name: DNS_LABEL,
    replicas: s.integer(0),
    template: s.object(
      {
        metadata: TEMPLATE_METADATA,
        spec: s.known(JOB_SPEC_FIELDS, { template: s.object({ metadata: TEMPLATE_METADATA, spec: POD_SPEC }, ["spec"]) }, ["template"]),
      },
      ["spec"],
    ),
  },
  ["name", "template"],
);
const JOBSET_SPEC = s.known(
  ["coordinator", "managedBy", "network", "startupPolicy", "successPolicy", "suspend", "ttlSecondsAfterFinished", "volumeClaimPolicies"],
  {
    replicatedJobs: s.listOf(REPLICATED_JOB, { minItems: 1 }),
    failurePolicy: s.known(["rules"], { maxRestarts: s.integer(0), restartStrategy: s.enumOf("Recreate", "BlockingRecreate", "InPlaceRestart") }),
  },
  ["replicatedJobs"],
);
const ML_FRAMEWORKS = ["torch", "mpi", "jax", "xgboost", "flux"] as const;

const CLUSTER_TRAINING_RUNTIME_SPEC = s.object(
  {
    mlPolicy: s.known(["mpi", "jax", "xgboost", "flux"], { numNodes: s.integer(1), torch: s.object({ envInjection: s.any }) }),
    podGroupPolicy: s.any,
    template: s.object({ metadata: TEMPLATE_METADATA, spec: JOBSET_SPEC }, ["spec"]),
  },
  ["mlPolicy", "template"],
);

const TRAINJOB_SPEC = s.object(
  {
    runtimeRef: s.object(
      { name: s.name, apiGroup: s.enumOf("trainer.kubeflow.org"), kind: s.enumOf("ClusterTrainingRuntime", "TrainingRuntime") },
      ["name"],
    ),
    trainer: s.object({
      image: { type: "string", maxLength: 500 },
      command: s.listOf(s.string),
      args: s.listOf(s.string),
      env: s.listOf(ENV_VAR),
      numNodes: s.integer(1),
      // An integer since Trainer v2.2; "auto" was removed.
      numProcPerNode: s.integer(1),
      resourcesPerNode: RESOURCES,
    }),
    initializer: s.any,
    runtimePatches: s.any,
    managedBy: s.enumOf("trainer.kubeflow.org/trainjob-controller", "kueue.x-k8s.io/multikueue"),
    suspend: s.boolean,
    activeDeadlineSeconds: s.integer(1),
  },
  ["runtimeRef"],
);

const KUEUE_QUOTA = s.nonNegativeQuantity;
const RESOURCE_GROUP = s.object(
  {
    coveredResources: s.listOf(s.string, { minItems: 1, maxItems: 64 }),
    flavors: s.listOf(
      s.object(
        {
          name: s.name,
          resources: s.listOf(
            s.object({ name: s.string, nominalQuota: KUEUE_QUOTA, borrowingLimit: KUEUE_QUOTA, lendingLimit: KUEUE_QUOTA }, ["name", "nominalQuota"]),
            { minItems: 1, maxItems: 64 },
          ),
        },
        ["name", "resources"],
      ),
      { minItems: 1, maxItems: 64 },
    ),
  },
  ["coveredResources", "flavors"],
);
const CLUSTER_QUEUE_SPEC = s.known(["admissionChecksStrategy", "admissionScope", "concurrentAdmissionPolicy", "fairSharing", "flavorFungibility"], {
  cohortName: s.name,
  namespaceSelector: s.object({ matchLabels: labelMap, matchExpressions: s.any }),
  queueingStrategy: s.enumOf("StrictFIFO", "BestEffortFIFO"),
  resourceGroups: s.listOf(RESOURCE_GROUP, { maxItems: 16 }),
  preemption: s.object({
    reclaimWithinCohort: s.enumOf("Never", "LowerPriority", "Any"),
    withinClusterQueue: s.enumOf("Never", "LowerPriority", "LowerOrNewerEqualPriority"),
    borrowWithinCohort: s.object({ policy: s.enumOf("Never", "LowerPriority"), maxPriorityThreshold: s.integer() }),
  }),
  stopPolicy: s.enumOf("None", "Hold", "HoldAndDrain"),
});
const RESOURCE_FLAVOR_SPEC = s.known(["nodeTaints", "topologyName"], { nodeLabels: labelMap, tolerations: s.listOf(TOLERATION, { maxItems: 8 }) });
// Kueue's webhook rejects a LocalQueue without a valid ClusterQueue name, though the CRD leaves it optional.
const LOCAL_QUEUE_SPEC = s.object({ clusterQueue: s.name, stopPolicy: s.enumOf("None", "Hold", "HoldAndDrain"), fairSharing: s.any }, ["clusterQueue"]);

type Json = Record<string, unknown>;
const field = (value: unknown, key: string): unknown => (value as Json | undefined)?.[key];
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * A validator for one kind: the structural schema first; the cross-field rules only on a structurally
 * valid object, so one mistake is not reported three times.
 */
function kindValidator(apiVersion: string, kind: string, spec: FieldSchema, rules: (object: Json) => string[], metadata = METADATA): SyncManifestValidator {
  const schema = s.object({ apiVersion: s.enumOf(apiVersion), kind: s.enumOf(kind), metadata, spec, status: s.any }, ["apiVersion", "kind", "metadata", "spec"]);
  return (object) => {
    const problems = checkSchema(object, schema, "", kind);
    return problems.length > 0 ? problems : rules(object);
  };
}

/** Tolerations as the API server (and Kueue's CEL rules) accept them. */
function tolerationProblems(tolerations: unknown, path: string): string[] {
  return list(tolerations).flatMap((toleration, index) => {
    const operator = field(toleration, "operator") ?? "Equal";
    const where = `${path}[${index}]`;
    if (field(toleration, "key") === undefined && operator !== "Exists") return [`${where}: a toleration without a key needs operator Exists`];
    if (operator === "Exists" && field(toleration, "value") !== undefined) return [`${where}: operator Exists takes no value`];
    if (field(toleration, "tolerationSeconds") !== undefined && field(toleration, "effect") !== "NoExecute") {
      return [`${where}: tolerationSeconds needs effect NoExecute`];
    }
    return [];
  });
}

function corePodSpecProblems(podSpec: unknown, path: string): string[] {
  try {
    new PodSpec(podSpec as never).validate();
    return [];
  } catch (err) {
    // kubernetes-models reports `data/containers/0/x`; read it as an object path.
    const message = (err instanceof Error ? err.message : String(err)).replace(/\bdata\//g, "").replace(/(\w)\/(?=\w)/g, "$1.");
    return [`${path}: ${message}`];
  }
}

function clusterTrainingRuntimeRules(object: Json): string[] {
  const spec = field(object, "spec");
  const problems: string[] = [];
  const frameworks = ML_FRAMEWORKS.filter((framework) => field(field(spec, "mlPolicy"), framework) !== undefined);
  if (frameworks.length !== 1) {
    problems.push(`spec.mlPolicy must configure exactly one of ${ML_FRAMEWORKS.join(", ")} (got ${frameworks.length === 0 ? "none" : frameworks.join(", ")})`);
  }
  const jobs = list(field(field(field(spec, "template"), "spec"), "replicatedJobs"));
  jobs.forEach((job, index) => {
    const path = `spec.template.spec.replicatedJobs[${index}].template.spec.template.spec`;
    const podSpec = field(field(field(field(job, "template"), "spec"), "template"), "spec");
    problems.push(...tolerationProblems(field(podSpec, "tolerations"), `${path}.tolerations`), ...corePodSpecProblems(podSpec, path));
  });
  // Trainer merges a TrainJob's `spec.trainer` into the container "node" of the job labelled as the trainer
  // step; without both, a team's image, command and resources would be silently ignored.
  const trainerJob = jobs.find((job) => field(field(field(field(job, "template"), "metadata"), "labels"), TRAINJOB_ANCESTOR_LABEL) === "trainer");
  if (trainerJob === undefined) {
    problems.push(`spec.template.spec.replicatedJobs needs a job labelled ${TRAINJOB_ANCESTOR_LABEL}: trainer (template.metadata.labels)`);
  } else {
    const containers = list(field(field(field(field(field(trainerJob, "template"), "spec"), "template"), "spec"), "containers"));
    if (!containers.some((container) => field(container, "name") === TRAINER_NODE_NAME)) {
      problems.push(`the trainer job "${String(field(trainerJob, "name"))}" needs a container named "${TRAINER_NODE_NAME}"`);
    }
  }
  return problems;
}

function clusterQueueRules(object: Json): string[] {
  const spec = field(object, "spec");
  const problems: string[] = [];
  const hasCohort = field(spec, "cohortName") !== undefined;
  const seenFlavors = new Map<string, number>();
  const seenResources = new Map<string, number>();
  list(field(spec, "resourceGroups")).forEach((group, g) => {
    const covered = list(field(group, "coveredResources")) as string[];
    for (const resource of covered) {
      if (seenResources.has(resource)) problems.push(`spec.resourceGroups[${g}]: ${resource} is already covered by resourceGroups[${seenResources.get(resource)}]`);
      seenResources.set(resource, g);
    }
    list(field(group, "flavors")).forEach((flavor, f) => {
      const path = `spec.resourceGroups[${g}].flavors[${f}]`;
      const name = field(flavor, "name") as string;
      if (seenFlavors.has(name)) problems.push(`${path}: flavor ${name} already appears in resourceGroups[${seenFlavors.get(name)}]`);
      seenFlavors.set(name, g);
      const resources = list(field(flavor, "resources"));
      const names = resources.map((resource) => field(resource, "name"));
      // Kueue's webhook: each flavor lists exactly the covered resources, in the same order.
      if (names.join("\u0000") !== covered.join("\u0000")) {
        problems.push(`${path}.resources must list ${covered.join(", ")} in that order (got ${names.join(", ")})`);
      }
      resources.forEach((resource, r) => {
        if (!hasCohort && field(resource, "borrowingLimit") !== undefined) {
          problems.push(`${path}.resources[${r}].borrowingLimit needs spec.cohortName: a queue without a cohort cannot borrow`);
        }
      });
    });
  });
  const preemption = field(spec, "preemption");
  const borrowPolicy = field(field(preemption, "borrowWithinCohort"), "policy");
  if ((field(preemption, "reclaimWithinCohort") ?? "Never") === "Never" && borrowPolicy !== undefined && borrowPolicy !== "Never") {
    problems.push("spec.preemption.borrowWithinCohort.policy needs reclaimWithinCohort other than Never");
  }
  return problems;
}

export const validateTrainJob: SyncManifestValidator = kindValidator(TRAINER_API_VERSION, "TrainJob", TRAINJOB_SPEC, () => [], TRAINJOB_METADATA);
export const validateClusterTrainingRuntime: SyncManifestValidator = kindValidator(
  TRAINER_API_VERSION,
  "ClusterTrainingRuntime",
  CLUSTER_TRAINING_RUNTIME_SPEC,
  clusterTrainingRuntimeRules,
);
export const validateResourceFlavor: SyncManifestValidator = kindValidator(KUEUE_API_VERSION, "ResourceFlavor", RESOURCE_FLAVOR_SPEC, (object) =>
  tolerationProblems(field(field(object, "spec"), "tolerations"), "spec.tolerations"),
);
export const validateClusterQueue: SyncManifestValidator = kindValidator(KUEUE_API_VERSION, "ClusterQueue", CLUSTER_QUEUE_SPEC, clusterQueueRules);
export const validateLocalQueue: SyncManifestValidator = kindValidator(KUEUE_API_VERSION, "LocalQueue", LOCAL_QUEUE_SPEC, () => []);

/** Keys of `TRAINING_VALIDATORS`: `<apiVersion>/<kind>`. */
export type TrainingKindKey =
  | `${typeof TRAINER_API_VERSION}/${"TrainJob" | "ClusterTrainingRuntime"}`
  | `${typeof KUEUE_API_VERSION}/${"ResourceFlavor" | "ClusterQueue" | "LocalQueue"}`;

/** Validators of every kind the training capability writes or documents, for `ValidateOptions.validators`. */
export const TRAINING_VALIDATORS: Readonly<Record<TrainingKindKey, ManifestValidator>> = {
  "trainer.kubeflow.org/v1alpha1/TrainJob": validateTrainJob,
  "trainer.kubeflow.org/v1alpha1/ClusterTrainingRuntime": validateClusterTrainingRuntime,
  "kueue.x-k8s.io/v1beta2/ResourceFlavor": validateResourceFlavor,
  "kueue.x-k8s.io/v1beta2/ClusterQueue": validateClusterQueue,
  "kueue.x-k8s.io/v1beta2/LocalQueue": validateLocalQueue,
};
