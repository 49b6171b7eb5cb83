import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { l4Spot, namesOf, renderTraining, violationsInPlatformStack, vision } from "./fixtures.js";
import { validateTrainJob } from "./training-api.js";

const EXAMPLE = fileURLToPath(new URL("../../../examples/trainjob-pytorch-gpu.yaml", import.meta.url));
const example = parse(readFileSync(EXAMPLE, "utf8")) as Record<string, any>;

describe("examples/trainjob-pytorch-gpu.yaml", () => {
  it("is a valid TrainJob", () => {
    expect(validateTrainJob(example)).toEqual([]);
  });

  it("names a runtime and a queue the platform creates for the dev pool l4-spot and team vision", async () => {
    const { manifests } = await renderTraining({ priorityClassName: "mlp-training", kueueEnabled: true, gpuPools: [l4Spot], teams: [vision] });
    expect(namesOf(manifests, "ClusterTrainingRuntime")).toContain(example["spec"].runtimeRef.name);
    expect(example["metadata"].namespace).toBe(vision.namespace);
    const queue = manifests.find((m) => m.kind === "LocalQueue" && m.namespace === example["metadata"].namespace);
    expect(example["metadata"].labels["kueue.x-k8s.io/queue-name"]).toBe(queue?.name);
  });

  it("runs two nodes with one process per GPU and pinned, complete resources", () => {
    const trainer = example["spec"].trainer;
    expect(trainer.numNodes).toBe(2);
    expect(trainer.numProcPerNode).toBe(Number(trainer.resourcesPerNode.limits["nvidia.com/gpu"]));
    expect(trainer.image).toMatch(/^pytorch\/pytorch:\d+\.\d+\.\d+-/);
    for (const bound of ["requests", "limits"]) {
      expect(Object.keys(trainer.resourcesPerNode[bound]).sort()).toEqual(["cpu", "memory", "nvidia.com/gpu"]);
    }
  });

  it("passes every policy at prod's levels when submitted to the platform", async () => {
    expect(await violationsInPlatformStack([example])).toEqual([]);
  });
});
