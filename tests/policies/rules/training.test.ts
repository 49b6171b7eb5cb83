import { describe, expect, it } from "vitest";
import { gpuTrainJob, messagesOf, resource, violationsOf } from "../fixtures.js";

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
