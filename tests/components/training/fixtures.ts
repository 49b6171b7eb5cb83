import { expect } from "vitest";
import { GpuType, TaintEffect, Team, TolerationOperator } from "@mlops-platform/components";
import { buildArtifacts, type Manifest } from "@mlops-platform/components/testing";
import { evaluatePolicies, type Violation } from "@mlops-platform/policies/rules";
import { capture } from "../../helpers.js";
import { TRAINING_VALIDATORS, TrainingPlatform, type TrainingGpuPoolArgs, type TrainingPlatformArgs, type TrainingTeamArgs } from "./training-api.js";

const gpuToleration = { key: "nvidia.com/gpu", operator: TolerationOperator.Exists, effect: TaintEffect.NoSchedule };

/** The dev stack's pool (spot L4s, 4 GPUs), as MlPlatform.gpuPools reports it. */
export const l4Spot: TrainingGpuPoolArgs = {
  name: "l4-spot",
  gpu: GpuType.NvidiaL4,
  maxGpus: 4,
  nodeSelector: { "mlops-platform.io/gpu-pool": "l4-spot" },
  tolerations: [gpuToleration],
};
/** An on-demand A10G pool, to show per-pool behaviour. */
export const a10g: TrainingGpuPoolArgs = {
  name: "a10g",
  gpu: GpuType.NvidiaA10G,
  maxGpus: 8,
  nodeSelector: { "mlops-platform.io/gpu-pool": "a10g" },
  tolerations: [gpuToleration],
};
export const vision: TrainingTeamArgs = { name: "vision", namespace: "team-vision", gpus: 1, cpu: 16, memoryGiB: 64 };
export const nlp: TrainingTeamArgs = { name: "nlp", namespace: "team-nlp", gpus: 2, cpu: 8.5, memoryGiB: 32 };

export const baseArgs: TrainingPlatformArgs = { priorityClassName: "mlp-training", gpuPools: [l4Spot, a10g], teams: [vision, nlp] };

export interface Rendered {
  result: Awaited<ReturnType<typeof capture>>;
  manifests: Manifest[];
}

/**
 * Renders one TrainingPlatform under mocks and validates every object with the training validators:
 * a rendering with any schema problem fails the calling test.
 */
export async function renderTraining(args: TrainingPlatformArgs): Promise<Rendered> {
  const result = await capture(() => {
    new TrainingPlatform("training", args);
  });
  expect(result.errors).toEqual([]);
  const { manifests, problems } = await buildArtifacts(result, { validators: TRAINING_VALIDATORS });
  expect(problems).toEqual([]);
  return { result, manifests };
}

/** The object of the one manifest with this kind and name. */
export function object(manifests: Manifest[], kind: string, name: string): Record<string, any> {
  const found = manifests.find((m) => m.kind === kind && m.name === name);
  if (!found) throw new Error(`no ${kind} ${name}; rendered: ${manifests.map((m) => `${m.kind}/${m.name}`).join(", ")}`);
  return found.object as Record<string, any>;
}

export const namesOf = (manifests: Manifest[], kind: string): string[] => manifests.filter((m) => m.kind === kind).map((m) => m.name).sort();

/** The pod spec of a runtime's trainer job. */
export function runtimePodSpec(runtime: Record<string, any>): Record<string, any> {
  return runtime["spec"].template.spec.replicatedJobs[0].template.spec.template.spec;
}

/**
 * Policy violations, at prod's levels, of TrainJobs submitted to a stack with team vision (GPU quota) and a
 * TrainingPlatform with Kueue on the l4-spot pool: stack rules need the runtimes and the quota to be there.
 */
export async function violationsInPlatformStack(jobs: ReadonlyArray<Record<string, unknown>>): Promise<Violation[]> {
  const result = await capture(() => {
    new Team("vision", { name: "vision", owners: ["vision-leads"], quota: { cpu: 16, memoryGiB: 64, gpus: 2, storageGiB: 200 } });
    new TrainingPlatform("training", { priorityClassName: "mlp-training", kueueEnabled: true, gpuPools: [l4Spot], teams: [vision] });
  });
  expect(result.errors).toEqual([]);
  const resources = result.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.plainInputs }));
  jobs.forEach((job, index) => {
    const name = `job-${index}`;
    resources.push({ type: "kubernetes:trainer.kubeflow.org/v1alpha1:TrainJob", name, urn: `urn:pulumi:test::mlops-platform::${name}`, props: job });
  });
  return evaluatePolicies(resources, { environment: "prod" });
}
