/** A library user passing bad MlPlatform args sees every problem, the children's included, in MlPlatform's terms. */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import {
  checkMlPlatformArgs,
  ComponentArgumentErrors,
  GatewayProvider,
  GpuCloud,
  GpuType,
  GpuWorkload,
  MlPlatform,
  type MlPlatformArgs,
} from "@mlops-platform/components";
import { capture } from "../../helpers.js";

const aws = { nodeRole: "karpenter-node", discoveryTag: "mlops", amiAlias: "al2023@v20251108" };
const vision = { name: "vision", owners: ["vision-leads"], quota: { cpu: 8, memoryGiB: 32, gpus: 2, storageGiB: 100 } };
const args: MlPlatformArgs = {
  teams: [vision],
  gpu: {
    cloud: GpuCloud.Aws,
    aws,
    pools: [
      { name: "l4-serving", gpu: GpuType.NvidiaL4, maxGpus: 4, workloads: [GpuWorkload.Serving] },
      { name: "a100", gpu: GpuType.NvidiaA100, gpusPerNode: 8, maxGpus: 8, workloads: [GpuWorkload.Notebooks, GpuWorkload.Training] },
    ],
  },
  training: { kueueEnabled: true },
  notebooks: {},
  gateway: {
    models: [
      { name: "chat", provider: GatewayProvider.Ollama, model: "llama3.2:3b", apiBase: "http://ollama:11434" },
      { name: "code", provider: GatewayProvider.Ollama, model: "qwen2.5-coder", apiBase: "http://ollama:11434" },
    ],
    database: { instances: 1 },
  },
};

/** `property: fix` of each problem checkMlPlatformArgs finds. */
const problemsOf = (bad: MlPlatformArgs): string[] => checkMlPlatformArgs(bad).map((problem) => `${problem.property}: ${problem.fix}`);

describe("problems of MlPlatform's children, named by MlPlatform's args", () => {
  it("finds none in args that work", () => {
    expect(checkMlPlatformArgs(args)).toEqual([]);
  });

  it.each([
    ["Team quota.gpus", { teams: [{ ...vision, quota: { ...vision.quota, gpus: 1.5 } }] }, ["teams[0].quota.gpus: use a whole number, 0 or more"]],
    ["GpuNodePool pool.maxGpus", { gpu: { ...args.gpu!, pools: [args.gpu!.pools![0]!, { ...args.gpu!.pools![1]!, maxGpus: 0 }] } }, ["gpu.pools[1].maxGpus: use a whole number of at least 1"]],
    [
      // Training gets only the pools meant for training: its gpuPools[0] is gpu.pools[1].
      "TrainingPlatform gpuPools[0].maxGpus, a filtered pool",
      { teams: [{ ...vision, quota: { ...vision.quota, gpus: 9 } }] },
      ['gpu.pools[1].maxGpus: the teams are guaranteed 9 GPUs in each training pool (the sum of teams[].gpus): raise maxGpus of "a100" to at least 9, lower the teams\' gpus, or leave this pool out of gpuPools'],
    ],
    ["NotebookPlatform extraImages[0].image", { notebooks: { extraImages: [{ name: "mine", image: "example.com/nb:latest", cuda: false }] } }, ["notebooks.extraImages[0].image: pin the image to a release tag or a digest (not latest)"]],
    ["AiGateway models[1].fallbacks", { gateway: { ...args.gateway!, models: [args.gateway!.models[0]!, { ...args.gateway!.models[1]!, fallbacks: ["gpt"] }] } }, ["gateway.models[1].fallbacks[0]: use one of the gateway's models: " + args.gateway!.models.map((m) => m.name).join(", ")]],
    ["PostgresCluster storageGiB", { gateway: { ...args.gateway!, database: { instances: 1, storageGiB: 0 } } }, ["gateway.database.storageGiB: use a whole number of GiB, at least 1"]],
    ["ClusterBase certManager.version", { clusterBase: { certManager: { version: "latest" } } }, ['clusterBase.certManager.version: use an exact chart version such as "v1.20.2"']],
  ] as Array<[string, Partial<MlPlatformArgs>, string[]]>)("reports %s at MlPlatform's arg", (_name, change, expected) => {
    expect(problemsOf({ ...args, ...change })).toEqual(expected);
  });

  it("reports a value several children judge once, in the words of the first", () => {
    // The name reaches Team, NotebookPlatform (namespace), TrainingPlatform and AiGateway (client namespace).
    expect(problemsOf({ ...args, teams: [{ ...vision, name: "Vision_Team" }] })).toEqual(["teams[0].name: use a DNS label of at most 58 characters (the namespace is team-<name>)"]);
  });

  it("fails its constructor with every problem in MlPlatform's terms, before creating any child", async () => {
    const result = await capture(() => {
      new MlPlatform("mlops", { ...args, teams: [{ ...vision, quota: { ...vision.quota, cpu: 0 } }], clusterBase: { priorityClasses: { servingValue: -1 } } });
    });
    expect(result.errors).toHaveLength(1);
    const error = result.errors[0]!;
    expect(error).toBeInstanceOf(ComponentArgumentErrors);
    expect(error).toBeInstanceOf(pulumi.InputPropertiesError);
    expect((error as ComponentArgumentErrors).problems.map((problem) => problem.reason)).toEqual([
      'mlops-platform:index:MlPlatform "mlops": clusterBase.priorityClasses.servingValue: got -1; use a whole number from 0 to 1000000000',
      'mlops-platform:index:MlPlatform "mlops": teams[0].quota.cpu: got 0; use a positive number',
    ]);
    expect(result.resources.filter((r) => r.type !== "mlops-platform:index:MlPlatform" && r.type !== "pulumi:pulumi:Stack")).toEqual([]);
  });
});
