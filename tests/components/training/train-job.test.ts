import { describe, expect, it } from "vitest";
import { violationsInPlatformStack } from "./fixtures.js";
import { trainJob, validateTrainJob, type TrainJobArgs } from "./training-api.js";

const gpuJob: TrainJobArgs = {
  name: "resnet-ddp",
  namespace: "team-vision",
  runtime: "torch-distributed-gpu-l4-spot",
  image: "ghcr.io/acme/resnet:1.4.2",
  command: ["torchrun", "train.py"],
  args: ["--epochs", "10"],
  env: { WANDB_MODE: "offline" },
  numNodes: 2,
  gpusPerNode: 4,
  cpuPerNode: 8,
  memoryGiBPerNode: 48,
  queueName: "default",
};

describe("trainJob: a team's TrainJob from intent", () => {
  it("names the runtime and sets image, command, nodes, one process per GPU and equal requests and limits", () => {
    const job = trainJob(gpuJob);
    expect(job.metadata).toEqual({ name: "resnet-ddp", namespace: "team-vision", labels: { "kueue.x-k8s.io/queue-name": "default" } });
    expect(job.spec.runtimeRef).toEqual({ apiGroup: "trainer.kubeflow.org", kind: "ClusterTrainingRuntime", name: "torch-distributed-gpu-l4-spot" });
    const perNode = { cpu: "8", memory: "48Gi", "nvidia.com/gpu": "4" };
    expect(job.spec.trainer).toEqual({
      image: "ghcr.io/acme/resnet:1.4.2",
      command: ["torchrun", "train.py"],
      args: ["--epochs", "10"],
      env: [{ name: "WANDB_MODE", value: "offline" }],
      numNodes: 2,
      numProcPerNode: 4,
      resourcesPerNode: { requests: perNode, limits: perNode },
    });
    expect(validateTrainJob({ ...job })).toEqual([]);
  });

  it("leaves out the queue label when Kueue is off, and GPUs and processes per node on the CPU runtime", () => {
    const job = trainJob({ name: "tabular", namespace: "team-vision", runtime: "torch-distributed-cpu", image: "python:3.12.8-slim", cpuPerNode: 2.5, memoryGiBPerNode: 6 });
    expect(job.metadata.labels).toBeUndefined();
    expect(job.spec.trainer).toEqual({
      image: "python:3.12.8-slim",
      numNodes: 1,
      resourcesPerNode: { requests: { cpu: "2500m", memory: "6Gi" }, limits: { cpu: "2500m", memory: "6Gi" } },
    });
    expect(validateTrainJob({ ...job })).toEqual([]);
  });

  it("passes every policy at prod's levels next to the platform (resources, pinned image, shipped runtime, GPU quota)", async () => {
    const job = trainJob(gpuJob);
    expect(await violationsInPlatformStack([{ ...job }])).toEqual([]);
    // The same job on a runtime this stack does not ship is caught.
    const elsewhere = trainJob({ ...gpuJob, runtime: "torch-distributed-gpu-h100" });
    expect((await violationsInPlatformStack([{ ...elsewhere }])).map((v) => v.policy)).toEqual(["trainjob-runtime"]);
  });

  it.each([
    ["a name Trainer cannot use for host names", { name: "1st-run" }, 'name: got "1st-run"; use a lowercase name that starts with a letter'],
    ["an unpinned image", { image: "ghcr.io/acme/resnet:latest" }, 'image: got "ghcr.io/acme/resnet:latest"; pin the image'],
    ["an untagged image", { image: "ghcr.io/acme/resnet" }, "pin the image to a release tag or digest"],
    ["a runtime the platform does not ship", { runtime: "torch-distributed" }, 'runtime: got "torch-distributed"; use torch-distributed-cpu or torch-distributed-gpu-<pool>'],
    ["GPUs on the CPU runtime", { runtime: "torch-distributed-cpu" }, "GPUs need a GPU runtime"],
    ["no GPUs on a GPU runtime", { gpusPerNode: 0 }, "ask for at least 1 GPU on torch-distributed-gpu-l4-spot"],
    ["zero nodes", { numNodes: 0 }, "numNodes: got 0; use a whole number of at least 1"],
    ["half a GPU", { gpusPerNode: 0.5 }, "gpusPerNode: got 0.5; use a whole number, 0 or more"],
    ["no memory", { memoryGiBPerNode: 0 }, "memoryGiBPerNode: got 0; use a positive number"],
  ])("fails on %s", (_case, override, message) => {
    expect(() => trainJob({ ...gpuJob, ...override })).toThrow(message);
  });
});
