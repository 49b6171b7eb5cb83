import { describe, expect, it } from "vitest";
import { container, messagesOf, namespace, object, resource, teamGuardrails, violationsOf } from "./fixtures.js";

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

const gpuNotebook = (ns: string) =>
  object("kubeflow.org/v1", "Notebook", "explore", ns, {
    spec: { template: { spec: { containers: [container({ resources: { requests: { "nvidia.com/gpu": "1" }, limits: { "nvidia.com/gpu": "1" } } })] } } },
  });
const gpuTrainJob = (ns: string) =>
  object("trainer.kubeflow.org/v1alpha1", "TrainJob", "finetune", ns, {
    spec: { runtimeRef: { name: "torch-distributed-gpu-l4" }, trainer: { resourcesPerNode: { limits: { "nvidia.com/gpu": "2" } } } },
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

describe("trainjob-runtime", () => {
  const runtime = (name: string) => resource("kubernetes:trainer.kubeflow.org/v1alpha1:ClusterTrainingRuntime", name, { metadata: { name } });

  it("fails for a TrainJob naming a runtime the platform does not ship, listing the ones it does", () => {
    const resources = [runtime("torch-distributed-cpu"), runtime("torch-distributed-gpu-a100"), gpuTrainJob("team-vision")];
    expect(messagesOf("trainjob-runtime", resources)).toEqual([
      'TrainJob "finetune" uses runtime ClusterTrainingRuntime/"torch-distributed-gpu-l4", which the platform does not ship: use one of torch-distributed-cpu, torch-distributed-gpu-a100',
    ]);
  });

  it("passes for a TrainJob naming a shipped runtime", () => {
    expect(messagesOf("trainjob-runtime", [runtime("torch-distributed-gpu-l4"), gpuTrainJob("team-vision")])).toEqual([]);
  });

  it("is advisory in dev and mandatory in staging", () => {
    expect(violationsOf("trainjob-runtime", [gpuTrainJob("team-vision")], "dev").map((v) => v.enforcementLevel)).toEqual(["advisory"]);
    expect(violationsOf("trainjob-runtime", [gpuTrainJob("team-vision")], "staging").map((v) => v.enforcementLevel)).toEqual(["mandatory"]);
  });
});

describe("gateway-fallbacks", () => {
  const gatewayConfig = (withoutFallback: string) =>
    object("core/v1", "ConfigMap", "ai-gateway-config", "mlp-gateway", {
      metadata: { name: "ai-gateway-config", namespace: "mlp-gateway", annotations: { "mlops-platform.io/models-without-fallback": withoutFallback } },
      data: { "config.yaml": "model_list: []" },
    });

  it("fails in prod for models without a fallback, naming them", () => {
    expect(messagesOf("gateway-fallbacks", [gatewayConfig("embed-default,chat-x")])).toEqual([
      "gateway models without a fallback: embed-default, chat-x: add fallbacks: [<another model>] to each in gateway.models",
    ]);
  });

  it("passes when every model has one, and only advises outside prod", () => {
    expect(messagesOf("gateway-fallbacks", [gatewayConfig("")])).toEqual([]);
    expect(violationsOf("gateway-fallbacks", [gatewayConfig("a")], "staging").map((v) => v.enforcementLevel)).toEqual(["advisory"]);
  });
});

describe("gateway-team-budgets", () => {
  const gatewayConfig = object("core/v1", "ConfigMap", "ai-gateway-config", "mlp-gateway", {
    metadata: { name: "ai-gateway-config", namespace: "mlp-gateway", annotations: { "mlops-platform.io/models-without-fallback": "" } },
  });
  const budgeted = (name: string, budget?: string) =>
    resource("kubernetes:core/v1:Namespace", name, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name, annotations: budget === undefined ? {} : { "mlops-platform.io/gateway-monthly-budget-usd": budget } },
    });

  it("fails for a team without a gateway budget when the stack runs the gateway", () => {
    expect(messagesOf("gateway-team-budgets", [gatewayConfig, budgeted("team-vision", "500"), budgeted("team-nlp")])).toEqual([
      'team namespace "team-nlp" has no monthly gateway budget: set teams[].gateway.monthlyBudgetUsd for team "nlp"',
    ]);
  });

  it("passes with budgets everywhere, or without a gateway, and is advisory in dev", () => {
    expect(messagesOf("gateway-team-budgets", [gatewayConfig, budgeted("team-vision", "500")])).toEqual([]);
    expect(messagesOf("gateway-team-budgets", [budgeted("team-nlp")])).toEqual([]);
    expect(violationsOf("gateway-team-budgets", [gatewayConfig, budgeted("team-nlp")], "dev").map((v) => v.enforcementLevel)).toEqual(["advisory"]);
  });
});
