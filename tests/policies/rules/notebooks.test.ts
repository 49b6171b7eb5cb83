import { describe, expect, it } from "vitest";
import { messagesOf, resource } from "../fixtures.js";

const controllerSource = resource("kubernetes:kustomize/v2:Directory", "nb-controller", {
  directory: "github.com/kubeflow/notebooks/components/notebook-controller/config/overlays/standalone?ref=v1.11.0",
});
const cullingPatch = (enabled: string) =>
  resource("kubernetes:apps/v1:DeploymentPatch", "nb-settings", {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "notebook-controller-deployment", namespace: "notebook-controller-system" },
    spec: { template: { spec: { containers: [{ name: "manager", env: [{ name: "ENABLE_CULLING", value: enabled }] }] } } },
  });

describe("notebook-culling", () => {
  it("fails when the notebook controller runs without culling, saying what to set", () => {
    expect(messagesOf("notebook-culling", [controllerSource])).toEqual([
      "the notebook controller from github.com/kubeflow/notebooks/components/notebook-controller/config/overlays/standalone?ref=v1.11.0 runs without idle culling, so idle notebooks keep their GPUs: set notebooks.culling.enabled: true (a DeploymentPatch of notebook-controller-deployment with ENABLE_CULLING \"true\")",
    ]);
    expect(messagesOf("notebook-culling", [controllerSource, cullingPatch("false")])).toHaveLength(1);
  });

  it("passes when culling is on, or when the stack has no notebook controller", () => {
    expect(messagesOf("notebook-culling", [controllerSource, cullingPatch("true")])).toEqual([]);
    expect(messagesOf("notebook-culling", [])).toEqual([]);
  });
});
