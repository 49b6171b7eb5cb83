import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ClusterBase, PodSecurityLevel } from "@mlops-platform/components";
import { CERT_MANAGER_CHART, certManagerValues, planClusterBase, priorityClassSpecs } from "@mlops-platform/components/internal";
import { at, capture, ofType, one } from "../../helpers.js";

const NAMESPACE = "kubernetes:core/v1:Namespace";
const CHART = "kubernetes:helm.sh/v4:Chart";
const PRIORITY = "kubernetes:scheduling.k8s.io/v1:PriorityClass";

describe("ClusterBase under mocks", () => {
  it("creates restricted namespaces, a pinned cert-manager and the platform's PriorityClasses by default", async () => {
    const result = await capture(() => {
      new ClusterBase("base", { namespaces: [{ name: "mlp-gateway" }, { name: "gpu-operator", podSecurity: PodSecurityLevel.Privileged }] });
    });
    expect(result.errors).toEqual([]);

    const namespaces = ofType(result, NAMESPACE).map((r) => at(r, "metadata.name")).sort();
    expect(namespaces).toEqual(["cert-manager", "gpu-operator", "mlp-gateway"]);
    const labels = (name: string) => at(one(result, NAMESPACE, `base-ns-${name}`), "metadata.labels") as Record<string, string>;
    expect(labels("mlp-gateway")["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(labels("cert-manager")["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(labels("gpu-operator")["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    // Even a privileged namespace warns and audits against restricted, so weakened pods stay visible.
    expect(labels("gpu-operator")["pod-security.kubernetes.io/warn"]).toBe("restricted");

    const chart = one(result, CHART, "base-cert-manager");
    expect(chart.remote).toBe(true);
    expect(chart.inputs).toMatchObject({
      chart: "cert-manager",
      version: CERT_MANAGER_CHART.version,
      namespace: "cert-manager",
      repositoryOpts: { repo: "https://charts.jetstack.io" },
    });
    // CRD before CR: the chart waits for its namespace.
    expect(chart.dependsOn).toContain(one(result, NAMESPACE, "base-ns-cert-manager").urn);

    const classes = Object.fromEntries(ofType(result, PRIORITY).map((r) => [at(r, "metadata.name"), r.inputs]));
    expect(Object.keys(classes).sort()).toEqual(["mlp-notebooks", "mlp-placeholder", "mlp-serving", "mlp-training"]);
    expect(classes["mlp-placeholder"]).toMatchObject({ value: -100, preemptionPolicy: "Never" });
    expect(classes["mlp-serving"]).toMatchObject({ value: 100000, preemptionPolicy: "PreemptLowerPriority", globalDefault: false });
    expect(classes["mlp-notebooks"]).toMatchObject({ value: 50000, preemptionPolicy: "Never" });
    expect(classes["mlp-training"]).toMatchObject({ value: 10000, preemptionPolicy: "PreemptLowerPriority" });
  });

  it("parents every child to the component and registers its outputs", async () => {
    const result = await capture(() => {
      new ClusterBase("base", {});
    });
    const component = one(result, "mlops-platform:index:ClusterBase", "base");
    const children = result.resources.filter((r) => r.parent === component.urn);
    expect(children.map((r) => r.type).sort()).toEqual([CHART, NAMESPACE, PRIORITY, PRIORITY, PRIORITY, PRIORITY].sort());
    expect(component.outputs).toEqual({
      namespaces: ["cert-manager"],
      certManagerNamespace: "cert-manager",
      priorityClassNames: { serving: "mlp-serving", notebooks: "mlp-notebooks", training: "mlp-training", placeholder: "mlp-placeholder" },
    });
  });

  it("skips cert-manager and its namespace when the cluster already has one", async () => {
    const result = await capture(() => {
      new ClusterBase("base", { certManager: { enabled: false } });
    });
    expect(ofType(result, CHART)).toEqual([]);
    expect(ofType(result, NAMESPACE)).toEqual([]);
  });

  it("runs cert-manager highly available with PodDisruptionBudgets above one replica", async () => {
    const result = await capture(() => {
      new ClusterBase("base", { certManager: { replicas: 3, version: "v1.19.4" } });
    });
    const chart = one(result, CHART, "base-cert-manager");
    expect(chart.inputs["version"]).toBe("v1.19.4");
    expect(at(chart, "values.replicaCount")).toBe(3);
    expect(at(chart, "values.webhook.replicaCount")).toBe(3);
    expect(at(chart, "values.webhook.podDisruptionBudget")).toEqual({ enabled: true, minAvailable: 1 });
  });

  it("fails when an argument is invalid, naming the property, and creates nothing", async () => {
    const result = await capture(() => {
      new ClusterBase("base", { certManager: { version: "^1.20" } });
    });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.message).toContain(
      'mlops-platform:index:ClusterBase "base": certManager.version: got "^1.20"; use an exact chart version such as "v1.20.2"',
    );
    expect(result.resources.filter((r) => r.type.startsWith("kubernetes:"))).toEqual([]);
  });
});

describe("planClusterBase", () => {
  const fails = (args: Parameters<typeof planClusterBase>[1]) => () => planClusterBase("base", args);

  it.each([
    ["a namespace that is not a DNS label", { namespaces: [{ name: "ML_Team" }] }, 'namespaces[0].name: got "ML_Team"'],
    ["a namespace listed twice", { namespaces: [{ name: "a" }, { name: "a" }] }, 'namespaces[1].name: got "a"; each namespace may be listed once'],
    ["zero replicas", { certManager: { replicas: 0 } }, "certManager.replicas: got 0; use a whole number of at least 1"],
    ["a priority above the user range", { priorityClasses: { servingValue: 2e9 } }, "priorityClasses.servingValue: got 2000000000"],
    ["an unknown Pod Security level", { namespaces: [{ name: "a", podSecurity: "strict" as never }] }, 'namespaces[0].podSecurity: got "strict"'],
  ])("fails on %s", (_name, args, message) => {
    expect(fails(args)).toThrow(pulumi.InputPropertyError);
    expect(fails(args)).toThrow(message);
  });

  it("does not add cert-manager's namespace twice when the caller lists it", () => {
    const plan = planClusterBase("base", { namespaces: [{ name: "cert-manager", podSecurity: PodSecurityLevel.Baseline }] });
    expect(plan.namespaces).toEqual([{ name: "cert-manager", podSecurity: "baseline", labels: {} }]);
  });
});

describe("cert-manager values", () => {
  it("gives every container requests and limits", () => {
    const values = certManagerValues({ replicas: 1 }) as Record<string, Record<string, unknown>>;
    for (const part of [values, values["webhook"], values["cainjector"], values["startupapicheck"]]) {
      const resources = part!["resources"] as Record<string, Record<string, string>>;
      expect(Object.keys(resources["requests"]!).sort()).toEqual(["cpu", "memory"]);
      expect(Object.keys(resources["limits"]!).sort()).toEqual(["cpu", "memory"]);
    }
  });

  it("installs CRDs and keeps them when the release is removed", () => {
    expect(certManagerValues({ replicas: 1 })["crds"]).toEqual({ enabled: true, keep: true });
  });

  it("has no PodDisruptionBudget with a single replica (it would block node drains)", () => {
    const values = certManagerValues({ replicas: 1 }) as Record<string, Record<string, unknown>>;
    expect(values["podDisruptionBudget"]).toMatchObject({ enabled: false });
  });
});

describe("PriorityClasses", () => {
  it("orders serving above notebooks above training above placeholders; notebooks and placeholders never preempt", () => {
    const specs = priorityClassSpecs("mlp", { serving: 3, notebooks: 2, training: 1, placeholder: -1 });
    expect(specs.map((s) => [s.name, s.value, s.preemptionPolicy])).toEqual([
      ["mlp-serving", 3, "PreemptLowerPriority"],
      ["mlp-notebooks", 2, "Never"],
      ["mlp-training", 1, "PreemptLowerPriority"],
      ["mlp-placeholder", -1, "Never"],
    ]);
  });
});
