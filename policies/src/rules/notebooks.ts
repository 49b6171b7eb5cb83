/** The notebooks rule: a notebook controller the stack installs culls idle notebooks. */
import type { PolicyResource } from "@pulumi/policy";
import { stackRule } from "../enforcement.js";
import { asList, asString, dig, isKind, objectNameOf } from "../kubernetes.js";
import { ADVISORY_ONLY_LOCALLY } from "./common.js";

/** What the platform's notebook capability names (components/src/notebooks/notebook-spec.ts). */
const NOTEBOOK_CONTROLLER_DEPLOYMENT = "notebook-controller-deployment";

function isNotebookControllerSource(resource: PolicyResource): boolean {
  return isKind(resource.type, "kustomize", "Directory") && (asString(resource.props["directory"]) ?? "").includes("notebook-controller");
}

function cullingEnabledBy(resource: PolicyResource): boolean {
  if (!isKind(resource.type, "apps", "DeploymentPatch")) return false;
  if (objectNameOf(resource.props, resource.name) !== NOTEBOOK_CONTROLLER_DEPLOYMENT) return false;
  return asList(dig(resource.props, "spec", "template", "spec", "containers")).some((container) =>
    asList(dig(container, "env")).some((env) => asString(dig(env, "name")) === "ENABLE_CULLING" && asString(dig(env, "value")) === "true"),
  );
}

/** A notebook controller installed by the stack runs with idle culling on: idle notebooks hold GPUs. */
export const notebookCulling = stackRule({
  id: "notebook-culling",
  description: "The Kubeflow notebook controller runs with idle culling on (ENABLE_CULLING=true).",
  remediationSteps: "Set notebooks.culling.enabled: true in the stack file (or patch the controller's ENABLE_CULLING env to \"true\").",
  enforcement: ADVISORY_ONLY_LOCALLY,
  settings: [],
  check({ resources }, _settings, report) {
    const controllers = resources.filter(isNotebookControllerSource);
    if (controllers.length === 0 || resources.some(cullingEnabledBy)) return;
    for (const controller of controllers) {
      report(
        `the notebook controller from ${asString(controller.props["directory"])} runs without idle culling, so idle notebooks keep their GPUs: ` +
          `set notebooks.culling.enabled: true (a DeploymentPatch of ${NOTEBOOK_CONTROLLER_DEPLOYMENT} with ENABLE_CULLING "true")`,
        controller.urn,
      );
    }
  },
});
