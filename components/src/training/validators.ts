/**
 * Validators for the training kinds. Each checks the object against the schema generated from its
 * upstream CRD (Kubeflow Trainer v2.3.0, Kueue v0.19.2; see `testing/crd-schemas/`), then, on an object
 * the schema accepts, the rules that no CRD schema holds: what Kueue's webhook enforces, how Trainer merges
 * a TrainJob into its runtime, and the core Pod rules for pod templates (checked by the Job controller when
 * it creates the pods, long after the custom resource was accepted). CEL rules of the CRDs are not
 * evaluated offline (see the schemas' README).
 */
import { PodSpec } from "kubernetes-models/v1/PodSpec";
import { requiredCrdValidator } from "../testing/crd-validation.js";
import { coreModelProblems, type ManifestValidator, type SyncManifestValidator } from "../testing/validate.js";
import { KUEUE_API_VERSION, TRAINER_API_VERSION, TRAINER_NODE_NAME, TRAINJOB_ANCESTOR_LABEL } from "./types.js";

export type { SyncManifestValidator } from "../testing/validate.js";

type Json = Record<string, unknown>;
const field = (value: unknown, key: string): unknown => (value as Json | undefined)?.[key];
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Toleration rules of core Pod validation: a pod template breaking them is accepted, its pods are not. */
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

function clusterTrainingRuntimeRules(object: Json): string[] {
  const problems: string[] = [];
  const jobs = list(field(field(field(field(object, "spec"), "template"), "spec"), "replicatedJobs"));
  jobs.forEach((job, index) => {
    const path = `spec.template.spec.replicatedJobs[${index}].template.spec.template.spec`;
    const podSpec = field(field(field(field(job, "template"), "spec"), "template"), "spec");
    problems.push(...tolerationProblems(field(podSpec, "tolerations"), `${path}.tolerations`), ...coreModelProblems(PodSpec, podSpec, path));
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

/** Kueue's webhook rules for a ClusterQueue's resource groups (the CRD only bounds their sizes). */
function clusterQueueRules(object: Json): string[] {
  const problems: string[] = [];
  const seenFlavors = new Map<string, number>();
  const seenResources = new Map<string, number>();
  list(field(field(object, "spec"), "resourceGroups")).forEach((group, g) => {
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
      // Each flavor lists exactly the covered resources, in the same order.
      if (names.join("\u0000") !== covered.join("\u0000")) {
        problems.push(`${path}.resources must list ${covered.join(", ")} in that order (got ${names.join(", ")})`);
      }
      resources.forEach((resource, r) => {
        for (const quota of ["nominalQuota", "borrowingLimit", "lendingLimit"]) {
          const value = field(resource, quota);
          if (value !== undefined && String(value).startsWith("-")) problems.push(`${path}.resources[${r}].${quota} must not be negative (got ${JSON.stringify(value)})`);
        }
      });
    });
  });
  return problems;
}

/** Kueue's webhook rejects a LocalQueue without a ClusterQueue, though the CRD leaves the field optional. */
function localQueueRules(object: Json): string[] {
  return field(field(object, "spec"), "clusterQueue") === undefined ? ["spec.clusterQueue is required"] : [];
}

export const validateTrainJob: SyncManifestValidator = requiredCrdValidator(TRAINER_API_VERSION, "TrainJob");
export const validateClusterTrainingRuntime: SyncManifestValidator = requiredCrdValidator(TRAINER_API_VERSION, "ClusterTrainingRuntime", clusterTrainingRuntimeRules);
export const validateResourceFlavor: SyncManifestValidator = requiredCrdValidator(KUEUE_API_VERSION, "ResourceFlavor", (object) =>
  tolerationProblems(field(field(object, "spec"), "tolerations"), "spec.tolerations"),
);
export const validateClusterQueue: SyncManifestValidator = requiredCrdValidator(KUEUE_API_VERSION, "ClusterQueue", clusterQueueRules);
export const validateLocalQueue: SyncManifestValidator = requiredCrdValidator(KUEUE_API_VERSION, "LocalQueue", localQueueRules);

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
