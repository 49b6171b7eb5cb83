import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_NOTEBOOK_IMAGES,
  DEFAULT_NOTEBOOK_SIZES,
  notebookFor,
  NotebookPlatform,
  TaintEffect,
  TolerationOperator,
  type NotebookGpuPool,
  type NotebookPlatformArgs,
} from "@mlops-platform/components";
import { planNotebookPlatform, teamPodDefaults, validateNotebook, validatePodDefault } from "@mlops-platform/components/internal";
import { buildArtifacts, type Manifest } from "@mlops-platform/components/testing";
import { evaluatePolicies } from "@mlops-platform/policies/rules";
import { capture } from "../../helpers.js";

const l4Pool: NotebookGpuPool = {
  name: "l4",
  nodeSelector: { "mlops-platform.io/gpu-pool": "l4" },
  tolerations: [{ key: "nvidia.com/gpu", operator: TolerationOperator.Exists, effect: TaintEffect.NoSchedule }],
};
const image = (name: string) => DEFAULT_NOTEBOOK_IMAGES.find((i) => i.name === name)!;
const size = (name: string) => DEFAULT_NOTEBOOK_SIZES.find((s) => s.name === name)!;
const args: NotebookPlatformArgs = {
  culling: { idleMinutes: 45 },
  teams: [
    { name: "vision", namespace: "team-vision", groups: ["vision-leads", "vision-scientists"], gpus: 2 },
    { name: "analytics", namespace: "team-analytics", groups: ["analysts"], gpus: 0 },
  ],
  gpuPools: [l4Pool],
};

async function render(platformArgs: NotebookPlatformArgs): Promise<Manifest[]> {
  const result = await capture(() => {
    new NotebookPlatform("nb", platformArgs);
  });
  expect(result.errors).toEqual([]);
  const { manifests, problems, releases } = await buildArtifacts(result);
  expect(problems).toEqual([]);
  expect(releases.map((r) => r.source)).toEqual([
    "github.com/kubeflow/notebooks/components/notebook-controller/config/overlays/standalone?ref=v1.11.0",
    "github.com/kubeflow/dashboard/components/poddefaults-webhooks/manifests/kustomize/overlays/cert-manager?ref=v2.0.0",
  ]);
  return manifests;
}

const find = (manifests: Manifest[], path: string) => {
  const found = manifests.find((m) => m.path === path);
  if (!found) throw new Error(`no ${path}; have ${manifests.map((m) => m.path).join(", ")}`);
  return found.object as Record<string, any>;
};

describe("NotebookPlatform", () => {
  it("turns culling on in the controller, with the idle time given, and watches its metrics", async () => {
    const manifests = await render(args);
    const patch = find(manifests, "notebook-controller-system/deployment-notebook-controller-deployment.patch.yaml");
    const manager = patch["spec"].template.spec.containers[0];
    expect(manager.name).toBe("manager");
    expect(manager.env).toEqual([
      { name: "USE_ISTIO", value: "false" },
      { name: "ENABLE_CULLING", value: "true" },
      { name: "CULL_IDLE_TIME", value: "45" },
      { name: "IDLENESS_CHECK_PERIOD", value: "1" },
    ]);
    const monitor = find(manifests, "notebook-controller-system/podmonitor-notebook-controller.yaml");
    expect(monitor["spec"].podMetricsEndpoints).toEqual([{ portNumber: 8080, path: "/metrics", interval: "30s" }]);
  });

  it("gives GPU PodDefaults and GPU sizes only to teams with a GPU quota", async () => {
    const manifests = await render(args);
    expect(manifests.filter((m) => m.kind === "PodDefault").map((m) => m.path).sort()).toEqual([
      "team-analytics/poddefault-platform-context.yaml",
      "team-vision/poddefault-gpu-l4.yaml",
      "team-vision/poddefault-platform-context.yaml",
    ]);
    const sizes = (team: string) =>
      JSON.parse(find(manifests, `${team}/configmap-mlp-notebook-catalog.yaml`)["data"]["sizes.json"]).map((s: { name: string }) => s.name);
    expect(sizes("team-vision")).toEqual(["small", "medium", "large", "gpu-1", "gpu-2"]);
    expect(sizes("team-analytics")).toEqual(["small", "medium", "large"]);
  });

  it("lets team members manage Notebooks in their own namespace only", async () => {
    const manifests = await render(args);
    expect(manifests.filter((m) => m.kind.startsWith("Cluster"))).toEqual([]);
    const binding = find(manifests, "team-vision/rolebinding-notebook-users.yaml");
    expect(binding["roleRef"]).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "notebook-users" });
    expect(binding["subjects"].map((s: { name: string }) => s.name)).toEqual(["vision-leads", "vision-scientists"]);
    const role = find(manifests, "team-vision/role-notebook-users.yaml");
    expect(role["rules"][0]).toMatchObject({ apiGroups: ["kubeflow.org"], resources: ["notebooks"] });
  });

  it("passes every policy at prod's levels", async () => {
    const result = await capture(() => {
      new NotebookPlatform("nb", args);
    });
    const resources = result.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.plainInputs }));
    expect(evaluatePolicies(resources, { environment: "prod" })).toEqual([]);
  });
});

describe("PodDefaults with the AI gateway", () => {
  it("inject the gateway URL and reference the team's key in a Secret, never its value", () => {
    const [context] = teamPodDefaults("vision", "team-vision", [], { url: "http://gateway.mlp-gateway.svc:4000", keySecretName: "gateway-key" });
    expect(context!.spec.env).toEqual([
      { name: "MLP_TEAM", value: "vision" },
      { name: "MLP_NAMESPACE", value: "team-vision" },
      { name: "MLP_GATEWAY_URL", value: "http://gateway.mlp-gateway.svc:4000" },
      { name: "OPENAI_BASE_URL", value: "http://gateway.mlp-gateway.svc:4000" },
      { name: "OPENAI_API_KEY", valueFrom: { secretKeyRef: { name: "gateway-key", key: "api-key", optional: true } } },
    ]);
    expect(validatePodDefault(context as never)).toEqual([]);
  });
});

describe("notebookFor", () => {
  it("gives a GPU-size notebook the GPU limit, the pool's toleration and node selection", () => {
    const { notebook, workspace } = notebookFor({
      name: "explore",
      namespace: "team-vision",
      image: image("jupyter-pytorch-cuda"),
      size: size("gpu-1"),
      gpuPool: l4Pool,
      workspaceGiB: 20,
      priorityClassName: "mlp-notebooks",
    });
    const pod = notebook.spec.template.spec;
    expect(pod.containers[0]!.resources).toEqual({
      requests: { cpu: "4", memory: "24Gi", "nvidia.com/gpu": "1" },
      limits: { cpu: "4", memory: "24Gi", "nvidia.com/gpu": "1" },
    });
    expect(pod.tolerations).toEqual(l4Pool.tolerations);
    expect(pod.nodeSelector).toEqual({ "mlops-platform.io/gpu-pool": "l4" });
    expect(pod.priorityClassName).toBe("mlp-notebooks");
    expect(notebook.metadata.labels).toEqual({ "mlops-platform.io/inject-context": "true", "mlops-platform.io/gpu-pool": "l4" });
    expect(workspace.spec!.resources!.requests).toEqual({ storage: "20Gi" });
    expect(validateNotebook(notebook as never)).toEqual([]);
  });

  it("keeps CPU notebooks off GPU nodes", () => {
    const { notebook } = notebookFor({ name: "n", namespace: "team-a", image: image("jupyter-scipy"), size: size("small"), gpuPool: l4Pool, workspaceGiB: 5 });
    const pod = notebook.spec.template.spec;
    expect([pod.tolerations, pod.nodeSelector]).toEqual([undefined, undefined]);
    expect(pod.containers[0]!.resources!.limits).toEqual({ cpu: "1", memory: "2Gi" });
  });

  it.each([
    ["a GPU size without a pool", { size: size("gpu-1"), image: image("jupyter-pytorch-cuda") }, 'size "gpu-1" needs a GPU pool for notebooks'],
    ["a GPU size on an image without CUDA", { size: size("gpu-1"), image: image("jupyter-scipy"), gpuPool: l4Pool }, 'size "gpu-1" has GPUs but image "jupyter-scipy" has no CUDA'],
  ])("refuses %s", (_name, request, message) => {
    expect(() => notebookFor({ name: "n", namespace: "team-a", workspaceGiB: 5, ...request })).toThrow(message);
  });
});

describe("bad NotebookPlatform args", () => {
  it.each([
    ["an unpinned extra image", { extraImages: [{ name: "mine", image: "example.com/nb:latest", cuda: false }] }, 'extraImages[0].image: got "example.com/nb:latest"'],
    ["a duplicate size name", { extraSizes: [{ name: "small", cpu: 1, memoryGiB: 1, gpus: 0 }] }, 'got "small"; each size name may appear once'],
    ["a zero idle time", { culling: { idleMinutes: 0 } }, "culling.idleMinutes: got 0"],
    ["a team without groups", { teams: [{ name: "a", namespace: "team-a", groups: [], gpus: 0 }] }, "teams[0].groups: got []"],
  ])("fails on %s", (_name, extra, message) => {
    const plan = () => planNotebookPlatform("nb", { ...args, ...extra } as NotebookPlatformArgs);
    expect(plan).toThrow(pulumi.InputPropertyError);
    expect(plan).toThrow(message);
  });
});
