import { describe, expect, it } from "vitest";
import { DEFAULT_NOTEBOOK_IMAGES, DEFAULT_NOTEBOOK_SIZES, notebookFor, TaintEffect, TolerationOperator } from "@mlops-platform/components";
import { NOTEBOOK_VALIDATORS, teamPodDefaults, validateNotebook, validatePodDefault } from "@mlops-platform/components/internal";

// Plain JSON copies: what a validator sees after YAML parsing or rendering.
const json = (value: unknown): Record<string, any> => JSON.parse(JSON.stringify(value)) as Record<string, any>;

const notebook = () =>
  json(
    notebookFor({
      name: "explore",
      namespace: "team-vision",
      image: DEFAULT_NOTEBOOK_IMAGES.find((i) => i.name === "jupyter-pytorch-cuda")!,
      size: DEFAULT_NOTEBOOK_SIZES.find((s) => s.name === "gpu-1")!,
      gpuPool: { name: "l4", nodeSelector: { "mlops-platform.io/gpu-pool": "l4" }, tolerations: [{ key: "nvidia.com/gpu", operator: TolerationOperator.Exists, effect: TaintEffect.NoSchedule }] },
      workspaceGiB: 10,
      priorityClassName: "mlp-notebooks",
    }).notebook,
  );
const podDefault = () => json(teamPodDefaults("vision", "team-vision", [])[0]);

describe("NOTEBOOK_VALIDATORS", () => {
  it("cover the two custom kinds the notebook capability writes, keyed <apiVersion>/<kind>", () => {
    expect(Object.keys(NOTEBOOK_VALIDATORS).sort()).toEqual(["kubeflow.org/v1/Notebook", "kubeflow.org/v1alpha1/PodDefault"]);
  });

  it("accept what the builders produce", () => {
    expect(validateNotebook(notebook())).toEqual([]);
    expect(validatePodDefault(podDefault())).toEqual([]);
  });
});

describe("Notebook validator", () => {
  it.each<[string, (n: Record<string, any>) => void, string]>([
    ["a pod field of the wrong type", (n) => (n["spec"].template.spec.priority = "high"), 'spec.template.spec.priority must be integer (got "high")'],
    ["a misspelled pod field", (n) => (n["spec"].template.spec.tolerationz = []), "spec.template.spec.tolerationz is not a field of Notebook"],
    ["a container without a name", (n) => delete n["spec"].template.spec.containers[0].name, "spec.template.spec.containers[0].name is required"],
    ["a spec field the CRD does not define", (n) => (n["spec"].culling = { idleMinutes: 30 }), "spec.culling is not a field of Notebook"],
    ["a quantity that is not one", (n) => (n["spec"].template.spec.containers[0].resources.limits.memory = "24 GB"), 'spec.template.spec.containers[0].resources.limits.memory must be a quantity such as "4", "500m" or "16Gi" (got "24 GB")'],
  ])("rejects %s", (_case, change, message) => {
    const object = notebook();
    change(object);
    expect(validateNotebook(object)).toEqual([message]);
  });

  it("rejects an enum value the core PodSpec does not know, which the CRD's copy of the PodSpec does not list", () => {
    const object = notebook();
    object["spec"].template.spec.containers[0].imagePullPolicy = "Sometimes";
    expect(validateNotebook(object)).toEqual(["spec.template.spec: containers.0.imagePullPolicy must be equal to one of the allowed values"]);
  });

  it("rejects a container without an image and a pod without containers, which the base CRD allows but no pod survives", () => {
    const noImage = notebook();
    delete noImage["spec"].template.spec.containers[0].image;
    expect(validateNotebook(noImage)).toEqual(["spec.template.spec.containers[0].image is required"]);
    const noContainers = notebook();
    noContainers["spec"].template.spec.containers = [];
    expect(validateNotebook(noContainers)).toEqual(["spec.template.spec.containers needs at least one container"]);
  });
});

describe("PodDefault validator", () => {
  it("rejects a PodDefault without a selector, with a field the CRD does not define, or tolerations that are not a list", () => {
    const object = podDefault();
    delete object["spec"].selector;
    object["spec"].nodeSelector = {};
    object["spec"].tolerations = { key: "x" };
    expect(validatePodDefault(object)).toEqual([
      "spec.selector is required",
      "spec.nodeSelector is not a field of PodDefault",
      'spec.tolerations must be array (got {"key":"x"})',
    ]);
  });
});
