/**
 * Checks for the notebook kinds, from their CRDs: Kubeflow's Notebook CRD embeds a core PodSpec, so its
 * pod template is validated with the upstream core schema; PodDefault's spec fields are checked by name.
 */
import { PodSpec } from "kubernetes-models/v1/PodSpec";
import type { ManifestValidator } from "../testing/validate.js";

const POD_DEFAULT_FIELDS = new Set([
  "annotations",
  "args",
  "automountServiceAccountToken",
  "command",
  "desc",
  "env",
  "envFrom",
  "imagePullSecrets",
  "initContainers",
  "labels",
  "selector",
  "serviceAccountName",
  "sidecars",
  "tolerations",
  "volumeMounts",
  "volumes",
]);

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/**
 * Notebook (kubeflow.org/v1): `spec.template.spec` must be a valid PodSpec with at least one container,
 * each with a name and an image (the controller's installed CRD adds those two rules to the base file).
 */
export const validateNotebook: ManifestValidator = (object) => {
  const podSpec = asRecord(asRecord(asRecord(object["spec"])?.["template"])?.["spec"]);
  if (!podSpec) return ["spec.template.spec is required"];
  const problems: string[] = [];
  try {
    new PodSpec(podSpec as never).validate();
  } catch (err) {
    problems.push(`spec.template.spec: ${(err instanceof Error ? err.message : String(err)).replace(/\bdata\//g, "").replace(/\//g, ".")}`);
  }
  const containers = Array.isArray(podSpec["containers"]) ? (podSpec["containers"] as unknown[]) : [];
  if (containers.length === 0) problems.push("spec.template.spec.containers needs at least one container");
  containers.forEach((container, i) => {
    if (typeof asRecord(container)?.["image"] !== "string") problems.push(`spec.template.spec.containers[${i}].image is required`);
  });
  return problems;
};

/** PodDefault (kubeflow.org/v1alpha1): a selector, and only the spec fields the CRD defines. */
export const validatePodDefault: ManifestValidator = (object) => {
  const spec = asRecord(object["spec"]);
  if (!spec) return ["spec is required"];
  const problems = Object.keys(spec)
    .filter((key) => !POD_DEFAULT_FIELDS.has(key))
    .map((key) => `spec.${key} is not a field of PodDefault`);
  if (!asRecord(spec["selector"])) problems.push("spec.selector is required");
  if (spec["tolerations"] !== undefined && !Array.isArray(spec["tolerations"])) problems.push("spec.tolerations must be a list");
  return problems;
};

export const NOTEBOOK_VALIDATORS: Readonly<Record<string, ManifestValidator>> = {
  "kubeflow.org/v1/Notebook": validateNotebook,
  "kubeflow.org/v1alpha1/PodDefault": validatePodDefault,
};
