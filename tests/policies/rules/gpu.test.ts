import { describe, expect, it } from "vitest";
import { GPU_TOLERATION, container, deployment, gpuTrainJob, messagesOf, namespace, object, podSpec, teamGuardrails, violationsOf } from "../fixtures.js";

const GPU_RESOURCES = { requests: { cpu: "4", memory: "32Gi", "nvidia.com/gpu": 1 }, limits: { cpu: "8", memory: "64Gi", "nvidia.com/gpu": 1 } };

describe("gpu-taint-tolerations", () => {
  const gpuContainer = container({ name: "train", resources: GPU_RESOURCES });

  it("fails when a pod requests a GPU but does not tolerate the GPU taint", () => {
    const [message] = messagesOf("gpu-taint-tolerations", [deployment("train", podSpec({ containers: [gpuContainer] }))]);
    expect(message).toContain("requests nvidia.com/gpu but does not tolerate the nvidia.com/gpu taint");
    expect(message).toContain('add {key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule"} to spec.template.spec.tolerations');
  });

  it.each([
    [GPU_TOLERATION],
    [{ key: "nvidia.com/gpu", operator: "Equal", value: "present", effect: "NoSchedule" }],
    [{ key: "nvidia.com/gpu", operator: "Exists" }],
  ])("passes a GPU pod tolerating the taint with %j", (toleration) => {
    const notebook = object("kubeflow.org/v1", "Notebook", "lab", "team-vision", {
      spec: { template: { spec: podSpec({ containers: [gpuContainer], tolerations: [toleration] }) } },
    });
    expect(messagesOf("gpu-taint-tolerations", [notebook])).toEqual([]);
  });

  it("fails when a GPU pod only tolerates the taint's NoExecute effect", () => {
    const spec = podSpec({ containers: [gpuContainer], tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoExecute" }] });
    expect(messagesOf("gpu-taint-tolerations", [deployment("train", spec)])).toHaveLength(1);
  });

  it("fails when a CPU pod tolerates the GPU taint", () => {
    const [message] = messagesOf("gpu-taint-tolerations", [deployment("web", podSpec({ tolerations: [GPU_TOLERATION] }))]);
    expect(message).toContain("requests no nvidia.com/gpu but spec.template.spec.tolerations[0] tolerates the GPU taint");
    expect(message).toContain("remove that toleration, or request nvidia.com/gpu if the pod needs a GPU");
  });

  it("fails when a CPU pod tolerates every taint", () => {
    const spec = podSpec({ tolerations: [{ key: "dedicated", operator: "Equal", value: "batch" }, { operator: "Exists" }] });
    expect(messagesOf("gpu-taint-tolerations", [deployment("web", spec)])[0]).toContain("spec.template.spec.tolerations[1] tolerates the GPU taint");
  });

  it("passes a CPU pod with unrelated tolerations", () => {
    const spec = podSpec({ tolerations: [{ key: "dedicated", operator: "Equal", value: "batch", effect: "NoSchedule" }] });
    expect(messagesOf("gpu-taint-tolerations", [deployment("web", spec)])).toEqual([]);
  });

  it("passes the GPU operator's DaemonSets, which tolerate everything on purpose", () => {
    const daemonSet = object("apps/v1", "DaemonSet", "dcgm-exporter", "gpu-operator", {
      spec: { template: { spec: podSpec({ tolerations: [{ operator: "Exists" }] }) } },
    });
    expect(messagesOf("gpu-taint-tolerations", [daemonSet])).toEqual([]);
  });
});

const gpuNotebook = (ns: string) =>
  object("kubeflow.org/v1", "Notebook", "explore", ns, {
    spec: { template: { spec: { containers: [container({ resources: { requests: { "nvidia.com/gpu": "1" }, limits: { "nvidia.com/gpu": "1" } } })] } } },
  });
const gpuQuota = (ns: string, gpus: string) => object("core/v1", "ResourceQuota", `${ns}-gpu-quota`, ns, { spec: { hard: { "requests.nvidia.com/gpu": gpus } } });

describe("gpu-workloads-in-team-namespaces", () => {
  it("fails for a GPU notebook outside a team namespace", () => {
    expect(messagesOf("gpu-workloads-in-team-namespaces", [namespace("sandbox"), gpuNotebook("sandbox")])).toEqual([
      'Notebook "explore" requests GPUs in "sandbox", which is not a team namespace: move it to team-<name>',
    ]);
  });

  it("fails for a GPU TrainJob in a team namespace whose quota grants no GPUs", () => {
    const resources = [namespace("team-analytics"), ...teamGuardrails("team-analytics"), gpuQuota("team-analytics", "0"), gpuTrainJob("team-analytics")];
    expect(messagesOf("gpu-workloads-in-team-namespaces", resources)).toEqual([
      'TrainJob "finetune" requests GPUs in "team-analytics", whose quota grants none: give the team quota.gpus in the stack file',
    ]);
  });

  it("passes for GPU work in a team namespace with a GPU quota, and for CPU work anywhere", () => {
    const resources = [namespace("team-vision"), gpuQuota("team-vision", "4"), gpuNotebook("team-vision"), gpuTrainJob("team-vision")];
    expect(messagesOf("gpu-workloads-in-team-namespaces", resources)).toEqual([]);
    const cpuNotebook = object("kubeflow.org/v1", "Notebook", "cpu", "sandbox", { spec: { template: { spec: { containers: [container()] } } } });
    expect(messagesOf("gpu-workloads-in-team-namespaces", [cpuNotebook])).toEqual([]);
  });

  it("is mandatory from dev on and advisory on a laptop", () => {
    const resources = [gpuNotebook("sandbox")];
    expect(violationsOf("gpu-workloads-in-team-namespaces", resources, "dev").map((v) => v.enforcementLevel)).toEqual(["mandatory"]);
    expect(violationsOf("gpu-workloads-in-team-namespaces", resources, "local").map((v) => v.enforcementLevel)).toEqual(["advisory"]);
  });
});
