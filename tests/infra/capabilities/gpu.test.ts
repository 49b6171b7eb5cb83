/** GPU pools in the stack file: per-cloud offers, sharing, AWS node settings. */
import { describe, expect, it } from "vitest";
import { parsePlatformConfig } from "../../../infra/config.js";
import { FILE, problemsOf } from "../config-helpers.js";

describe("GPU pools in the stack file", () => {
  const withPools = (provider: string, pools: unknown[], extra: Record<string, unknown> = {}) => ({
    environment: "dev",
    cluster: { provider },
    gpu: { aws: { nodeRole: "r", discoveryTag: "t", amiAlias: "al2023@v20250915" }, pools, ...extra },
  });
  const l4 = { name: "l4", gpu: "nvidia-l4", maxGpus: 4 };

  it("fills pool defaults and the environment's budget", () => {
    const config = parsePlatformConfig(withPools("aws", [l4]), FILE);
    expect(config.gpu.pools[0]).toMatchObject({ gpusPerNode: 1, capacity: ["on-demand"], minNodes: 0, consolidateAfterMinutes: 30, expireAfterHours: 720 });
    expect(config.gpu.monthlyBudgetUsd).toBe(5000);
    // No ServiceMonitor setting: one is created exactly when the Prometheus Operator is there.
    expect(config.gpu.operator).toEqual({});
  });

  it.each([
    ["a pool on kind", withPools("kind", [l4]), [`${FILE}: mlops-platform:cluster.provider: kind clusters are CPU only: remove the GPU pool, or deploy to aws, azure or gcp, got "kind"`]],
    [
      "an unknown GPU name, listing the known ones",
      withPools("aws", [{ ...l4, gpu: "nvidia-b200" }]),
      [`${FILE}: mlops-platform:gpu.pools[0].gpu: use one of nvidia-t4, nvidia-l4, nvidia-a10g, nvidia-l40s, nvidia-a100, nvidia-a100-80gb, nvidia-h100, got "nvidia-b200"`],
    ],
    [
      "a GPU the provider does not offer",
      withPools("azure", [l4]),
      [`${FILE}: mlops-platform:gpu.pools[0].gpu: azure offers nvidia-t4, nvidia-a100, nvidia-a100-80gb, nvidia-h100, got "nvidia-l4"`],
    ],
    ["a node size that does not exist", withPools("aws", [{ ...l4, gpusPerNode: 2 }]), [`${FILE}: mlops-platform:gpu.pools[0].gpusPerNode: nvidia-l4 on aws comes with 1, 4, 8 GPUs per node, got 2`]],
    ["a negative GPU cap", withPools("aws", [{ ...l4, maxGpus: -1 }]), [`${FILE}: mlops-platform:gpu.pools[0].maxGpus: use a whole number of at least 1, got -1`]],
    ["MIG on an L4", withPools("aws", [{ ...l4, sharing: { mig: "all-1g.10gb" } }]), [`${FILE}: mlops-platform:gpu.pools[0].sharing.mig: MIG needs one of nvidia-a100, nvidia-a100-80gb, nvidia-h100, got "all-1g.10gb"`]],
    ["both kinds of sharing", withPools("aws", [{ name: "a100", gpu: "nvidia-a100", gpusPerNode: 8, maxGpus: 8, sharing: { mig: "all-1g.10gb", timeSlicingReplicas: 2 } }]), [`${FILE}: mlops-platform:gpu.pools[0].sharing.mig: use either time-slicing or MIG on a pool, not both, got "all-1g.10gb"`]],
    ["warm nodes above the GPU cap", withPools("aws", [{ ...l4, minNodes: 5 }]), [`${FILE}: mlops-platform:gpu.pools[0].maxGpus: allow at least minNodes × gpusPerNode = 5 GPUs, got 4`]],
    ["a pool name used twice", withPools("aws", [l4, l4]), [`${FILE}: mlops-platform:gpu.pools[1].name: give every pool a unique name, got "l4"`]],
    ["AWS pools without node settings", { environment: "dev", cluster: { provider: "aws" }, gpu: { pools: [l4] } }, [`${FILE}: mlops-platform:gpu.aws: required; set aws.nodeRole, aws.discoveryTag and aws.amiAlias for pools on AWS`]],
    ["an unpinned AMI", withPools("aws", [l4], { aws: { nodeRole: "r", discoveryTag: "t", amiAlias: "al2023@latest" } }), [`${FILE}: mlops-platform:gpu.aws.amiAlias: pin the AMI: use an alias such as "al2023@v20251108", got "al2023@latest"`]],
  ])("fails on %s", (_name, raw, expected) => {
    expect(problemsOf(raw as Record<string, unknown>)).toEqual(expected);
  });
});
