import { describe, expect, it } from "vitest";
import {
  cpuTorchRuntime,
  gpuTorchRuntime,
  TRAINING_VALIDATORS,
  trainJob,
  validateClusterQueue,
  validateClusterTrainingRuntime,
  validateLocalQueue,
  validateResourceFlavor,
  validateTrainJob,
} from "./training-api.js";
import { crdValidator } from "@mlops-platform/components/testing";

// Plain JSON copies: what a validator sees after YAML parsing or rendering.
const json = (value: unknown): Record<string, any> => JSON.parse(JSON.stringify(value)) as Record<string, any>;

const job = () =>
  json(
    trainJob({
      name: "bert",
      namespace: "team-nlp",
      runtime: "torch-distributed-gpu-a10g",
      image: "ghcr.io/acme/bert:2.0.1",
      numNodes: 2,
      gpusPerNode: 1,
      cpuPerNode: 4,
      memoryGiBPerNode: 16,
      queueName: "default",
    }),
  );
const runtime = () =>
  json(
    gpuTorchRuntime(
      { name: "a10g", gpu: "nvidia-a10g", nodeSelector: { "mlops-platform.io/gpu-pool": "a10g" }, tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }] },
      "mlp-training",
    ),
  );
const clusterQueue = () =>
  json({
    apiVersion: "kueue.x-k8s.io/v1beta2",
    kind: "ClusterQueue",
    metadata: { name: "team-nlp" },
    spec: {
      cohortName: "mlp-training",
      resourceGroups: [
        {
          coveredResources: ["cpu", "memory"],
          flavors: [{ name: "default-flavor", resources: [{ name: "cpu", nominalQuota: "8" }, { name: "memory", nominalQuota: "32Gi" }] }],
        },
      ],
    },
  });
const cqSpec = (cq: Record<string, any>) => cq["spec"] as { cohortName?: string; resourceGroups: Array<{ flavors: Array<{ resources: Array<Record<string, unknown>> }> }>; preemption?: unknown };

describe("TrainJob validator", () => {
  it("accepts what trainJob builds", () => {
    expect(validateTrainJob(job())).toEqual([]);
  });

  it('rejects numProcPerNode "auto": an integer since Trainer v2.2', () => {
    const auto = job();
    auto["spec"].trainer.numProcPerNode = "auto";
    expect(validateTrainJob(auto)).toEqual(['spec.trainer.numProcPerNode must be integer (got "auto")']);
  });

  it("rejects a TrainJob without runtimeRef", () => {
    const missing = job();
    delete missing["spec"].runtimeRef;
    expect(validateTrainJob(missing)).toEqual(["spec.runtimeRef is required"]);
  });

  it("rejects unknown fields, at the top of spec and inside trainer", () => {
    const unknown = job();
    unknown["spec"].tolerations = [];
    unknown["spec"].trainer.gpus = 2;
    expect(validateTrainJob(unknown)).toEqual(["spec.tolerations is not a field of TrainJob", "spec.trainer.gpus is not a field of TrainJob"]);
  });

  it("rejects a bad quantity, a name Kubernetes refuses and a runtime name over the CRD's bound", () => {
    const bad = job();
    bad["metadata"].name = "BERT";
    bad["spec"].trainer.resourcesPerNode.limits.memory = "16 GB";
    bad["spec"].runtimeRef.name = "r".repeat(254);
    expect(validateTrainJob(bad)).toEqual([
      "metadata.name must be a DNS subdomain (lowercase letters, digits, '-' and '.') (got \"BERT\")",
      "spec.runtimeRef.name must be at most 253 characters (got 254)",
      'spec.trainer.resourcesPerNode.limits.memory must be a quantity such as "4", "500m" or "16Gi" (got "16 GB")',
    ]);
  });
});

describe("ClusterTrainingRuntime validator", () => {
  it("accepts the platform's CPU and GPU runtimes", () => {
    expect(validateClusterTrainingRuntime(runtime())).toEqual([]);
    expect(validateClusterTrainingRuntime(json(cpuTorchRuntime("mlp-training")))).toEqual([]);
  });

  it("rejects a misspelled pod field, then a toleration Kubernetes would refuse in the pods", () => {
    const path = "spec.template.spec.replicatedJobs[0].template.spec.template.spec";
    const misspelled = runtime();
    const pod = misspelled["spec"].template.spec.replicatedJobs[0].template.spec.template.spec;
    pod.nodeSelectors = pod.nodeSelector;
    expect(validateClusterTrainingRuntime(misspelled)).toEqual([`${path}.nodeSelectors is not a field of ClusterTrainingRuntime`]);
    const operator = runtime();
    operator["spec"].template.spec.replicatedJobs[0].template.spec.template.spec.tolerations[0].operator = "Present";
    expect(validateClusterTrainingRuntime(operator)).toEqual([`${path}: tolerations.0.operator must be equal to one of the allowed values`]);
    const value = runtime();
    value["spec"].template.spec.replicatedJobs[0].template.spec.template.spec.tolerations[0].value = "present";
    expect(validateClusterTrainingRuntime(value)).toEqual([`${path}.tolerations[0]: operator Exists takes no value`]);
  });

  it("rejects a runtime without the trainer step a TrainJob's settings are merged into", () => {
    const bad = runtime();
    bad["spec"].template.spec.replicatedJobs[0].template.metadata.labels = {};
    expect(validateClusterTrainingRuntime(bad)).toEqual([
      "spec.template.spec.replicatedJobs needs a job labelled trainer.kubeflow.org/trainjob-ancestor-step: trainer (template.metadata.labels)",
    ]);
    const renamed = runtime();
    renamed["spec"].template.spec.replicatedJobs[0].template.spec.template.spec.containers[0].name = "trainer";
    expect(validateClusterTrainingRuntime(renamed)).toEqual(['the trainer job "node" needs a container named "node"']);
  });

  it("checks pod fields against the CRD's copy of the PodSpec", () => {
    const badPod = runtime();
    badPod["spec"].template.spec.replicatedJobs[0].template.spec.template.spec.securityContext.runAsUser = "1000";
    expect(validateClusterTrainingRuntime(badPod)).toEqual([
      'spec.template.spec.replicatedJobs[0].template.spec.template.spec.securityContext.runAsUser must be integer (got "1000")',
    ]);
  });
});

describe("Kueue validators", () => {
  it("reject a flavor whose resources do not repeat coveredResources in order (Kueue's webhook would)", () => {
    const cq = clusterQueue();
    cqSpec(cq).resourceGroups[0]!.flavors[0]!.resources.reverse();
    expect(validateClusterQueue(cq)).toEqual(["spec.resourceGroups[0].flavors[0].resources must list cpu, memory in that order (got memory, cpu)"]);
  });

  it("reject negative quotas (Kueue's webhook) and unknown enum values", () => {
    const negative = clusterQueue();
    cqSpec(negative).resourceGroups[0]!.flavors[0]!.resources[0]!["nominalQuota"] = "-1";
    expect(validateClusterQueue(negative)).toEqual(['spec.resourceGroups[0].flavors[0].resources[0].nominalQuota must not be negative (got "-1")']);
    const always = clusterQueue();
    cqSpec(always).preemption = { reclaimWithinCohort: "Always" };
    expect(validateClusterQueue(always)).toEqual(['spec.preemption.reclaimWithinCohort must be one of Never, LowerPriority, Any (got "Always")']);
  });

  it("reject a LocalQueue without a ClusterQueue and a flavor toleration Kueue's CEL rules refuse", () => {
    const localQueue = { apiVersion: "kueue.x-k8s.io/v1beta2", kind: "LocalQueue", metadata: { name: "default", namespace: "team-nlp" }, spec: {} };
    expect(validateLocalQueue(localQueue)).toEqual(["spec.clusterQueue is required"]);
    const flavor = {
      apiVersion: "kueue.x-k8s.io/v1beta2",
      kind: "ResourceFlavor",
      metadata: { name: "gpu-a10g" },
      spec: { tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", value: "present", effect: "NoSchedule" }] },
    };
    expect(validateResourceFlavor(flavor)).toEqual(["spec.tolerations[0]: operator Exists takes no value"]);
  });

  it("reject the deprecated v1beta1 API: TRAINING_VALIDATORS only registers the storage version", () => {
    expect(Object.keys(TRAINING_VALIDATORS).sort()).toEqual([
      "kueue.x-k8s.io/v1beta2/ClusterQueue",
      "kueue.x-k8s.io/v1beta2/LocalQueue",
      "kueue.x-k8s.io/v1beta2/ResourceFlavor",
      "trainer.kubeflow.org/v1alpha1/ClusterTrainingRuntime",
      "trainer.kubeflow.org/v1alpha1/TrainJob",
    ]);
    expect(crdValidator("kueue.x-k8s.io/v1beta1", "ClusterQueue")!({ ...clusterQueue(), apiVersion: "kueue.x-k8s.io/v1beta1" })).toEqual([
      "apiVersion kueue.x-k8s.io/v1beta1 of ClusterQueue is deprecated: use kueue.x-k8s.io/v1beta2",
    ]);
  });
});
