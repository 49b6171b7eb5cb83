/**
 * Validators for the notebook kinds, against the schemas generated from their upstream CRDs (Kubeflow
 * Notebooks v1.11.0, Kubeflow Dashboard v2.0.0 PodDefault; see `testing/crd-schemas/`). A Notebook's pod
 * template is also checked with the core PodSpec model, which carries the enums the CRD's copy leaves out,
 * and for the two core Pod rules the controller's pods would otherwise fail on: at least one container,
 * and an image in each (the controller's install-time CRD patch asks the same; the base CRD does not).
 */
import { PodSpec } from "kubernetes-models/v1/PodSpec";
import { requiredCrdValidator } from "../testing/crd-validation.js";
import { coreModelProblems, type ManifestValidator, type SyncManifestValidator } from "../testing/validate.js";

type Json = Record<string, unknown> | undefined;

/** Notebook (kubeflow.org/v1): its CRD schema, then its pod template against the core PodSpec. */
export const validateNotebook: SyncManifestValidator = requiredCrdValidator("kubeflow.org/v1", "Notebook", (object) => {
  const podSpec = ((object["spec"] as Json)?.["template"] as Json)?.["spec"] as Json;
  if (podSpec === undefined) return [];
  const containers = Array.isArray(podSpec["containers"]) ? (podSpec["containers"] as Json[]) : [];
  const problems = coreModelProblems(PodSpec, podSpec, "spec.template.spec");
  if (containers.length === 0) problems.push("spec.template.spec.containers needs at least one container");
  containers.forEach((container, i) => {
    if (typeof container?.["image"] !== "string") problems.push(`spec.template.spec.containers[${i}].image is required`);
  });
  return problems;
});

/** PodDefault (kubeflow.org/v1alpha1): its CRD schema. */
export const validatePodDefault: SyncManifestValidator = requiredCrdValidator("kubeflow.org/v1alpha1", "PodDefault");

export const NOTEBOOK_VALIDATORS: Readonly<Record<string, ManifestValidator>> = {
  "kubeflow.org/v1/Notebook": validateNotebook,
  "kubeflow.org/v1alpha1/PodDefault": validatePodDefault,
};
