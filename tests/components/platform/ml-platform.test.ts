import { describe, expect, it } from "vitest";
import { MlPlatform } from "@mlops-platform/components";
import { capture, one } from "../../helpers.js";

describe("MlPlatform under mocks", () => {
  it("composes ClusterBase beneath itself and exposes its outputs", async () => {
    const result = await capture(() => {
      new MlPlatform("mlops", { clusterBase: { priorityClasses: { prefix: "acme" } } });
    });
    expect(result.errors).toEqual([]);
    const platform = one(result, "mlops-platform:index:MlPlatform", "mlops");
    const base = one(result, "mlops-platform:index:ClusterBase", "mlops-cluster");
    expect(base.parent).toBe(platform.urn);
    expect(platform.outputs["priorityClassNames"]).toEqual({ serving: "acme-serving", notebooks: "acme-notebooks", training: "acme-training" });
    expect(platform.outputs["namespaces"]).toEqual(["cert-manager"]);
  });

  it("uses the platform type tokens, so other languages can consume the components", async () => {
    const result = await capture(() => {
      new MlPlatform("mlops", {});
    });
    const own = result.resources.filter((r) => !r.custom && !r.remote && r.type !== "pulumi:pulumi:Stack");
    expect(own.map((r) => r.type).sort()).toEqual(["mlops-platform:index:ClusterBase", "mlops-platform:index:MlPlatform"]);
  });

  it("passes the caller's provider down to every Kubernetes object", async () => {
    const k8s = await import("@pulumi/kubernetes");
    const result = await capture(() => {
      const provider = new k8s.Provider("target", { context: "prod" });
      new MlPlatform("mlops", {}, { providers: { kubernetes: provider } });
    });
    const objects = result.resources.filter((r) => r.type.startsWith("kubernetes:"));
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) expect(object.provider).toMatch(/pulumi:providers:kubernetes::target::/);
  });
});
