import { describe, expect, it } from "vitest";
import { findPodSpecs } from "@mlops-platform/policies/rules";
import { podSpec } from "./fixtures.js";

describe("workload discovery", () => {
  it.each([
    ["kubernetes:core/v1:Pod", { spec: podSpec() }, "spec"],
    ["kubernetes:apps/v1:StatefulSet", { spec: { template: { spec: podSpec() } } }, "spec.template.spec"],
    ["kubernetes:apps/v1:DaemonSet", { spec: { template: { spec: podSpec() } } }, "spec.template.spec"],
    ["kubernetes:apps/v1:ReplicaSet", { spec: { template: { spec: podSpec() } } }, "spec.template.spec"],
    ["kubernetes:batch/v1:Job", { spec: { template: { spec: podSpec() } } }, "spec.template.spec"],
    ["kubernetes:batch/v1:CronJob", { spec: { jobTemplate: { spec: { template: { spec: podSpec() } } } } }, "spec.jobTemplate.spec.template.spec"],
    ["kubernetes:kubeflow.org/v1:Notebook", { spec: { template: { spec: podSpec() } } }, "spec.template.spec"],
  ])("finds the pod spec of a %s", (type, props, path) => {
    expect(findPodSpecs(type, props).map((p) => p.path)).toEqual([path]);
  });

  it("ignores patches, which carry partial objects", () => {
    expect(findPodSpecs("kubernetes:apps/v1:DeploymentPatch", { spec: { template: { spec: podSpec() } } })).toEqual([]);
  });
});
