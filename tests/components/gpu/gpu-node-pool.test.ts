import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { CapacityType, GpuCloud, GpuNodePool, GpuType, GpuWorkload, type GpuNodePoolArgs, type GpuPoolArgs } from "@mlops-platform/components";
import { planGpuNodePool } from "@mlops-platform/components/internal";
import { buildArtifacts, type Manifest } from "@mlops-platform/components/testing";
import { evaluatePolicies } from "@mlops-platform/policies/rules";
import { capture } from "../../helpers.js";

const aws = { nodeRole: "KarpenterNodeRole-test", discoveryTag: "test", amiAlias: "al2023@v20250915" };
const l4: GpuPoolArgs = { name: "l4", gpu: GpuType.NvidiaL4, capacity: [CapacityType.Spot, CapacityType.OnDemand], maxGpus: 8, workloads: [GpuWorkload.Notebooks] };

async function renderPool(args: GpuNodePoolArgs): Promise<{ manifests: Manifest[]; problems: unknown[]; result: Awaited<ReturnType<typeof capture>> }> {
  const result = await capture(() => {
    new GpuNodePool("pool", args);
  });
  expect(result.errors).toEqual([]);
  const { manifests, problems } = await buildArtifacts(result);
  return { manifests, problems, result };
}

const byKind = (manifests: Manifest[], kind: string) => manifests.find((m) => m.kind === kind)!.object as Record<string, any>;

describe("GpuNodePool on AWS", () => {
  it("renders a tainted, labelled Karpenter NodePool that only consolidates empty nodes and caps GPUs", async () => {
    const { manifests, problems } = await renderPool({ cloud: GpuCloud.Aws, pool: l4, aws });
    expect(problems).toEqual([]);
    const pool = byKind(manifests, "NodePool");
    expect(pool["metadata"].name).toBe("gpu-l4");
    const template = pool["spec"].template;
    expect(template.spec.taints).toEqual([{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }]);
    expect(template.metadata.labels).toMatchObject({ "mlops-platform.io/gpu-pool": "l4", "mlops-platform.io/gpu": "nvidia-l4", "workloads.mlops-platform.io/notebooks": "true" });
    expect(template.spec.requirements).toContainEqual({ key: "karpenter.sh/capacity-type", operator: "In", values: ["spot", "on-demand"] });
    expect(template.spec.requirements).toContainEqual({ key: "node.kubernetes.io/instance-type", operator: "In", values: ["g6.xlarge", "g6.2xlarge"] });
    expect(template.spec.nodeClassRef).toEqual({ group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "gpu-l4" });
    expect(pool["spec"].disruption).toEqual({ consolidationPolicy: "WhenEmpty", consolidateAfter: "30m", budgets: [{ nodes: "1" }] });
    expect(pool["spec"].limits).toEqual({ "nvidia.com/gpu": "8" });
    expect(pool["metadata"].annotations).toEqual({ "mlops-platform.io/max-monthly-cost-usd": "4701.20", "mlops-platform.io/idle-monthly-cost-usd": "0.00" });
  });

  it("renders an EC2NodeClass with a pinned AMI, discovery tags and IMDSv2 closed to pods", async () => {
    const { manifests } = await renderPool({ cloud: GpuCloud.Aws, pool: l4, aws });
    const nodeClass = byKind(manifests, "EC2NodeClass")["spec"];
    expect(nodeClass.amiSelectorTerms).toEqual([{ alias: "al2023@v20250915" }]);
    expect(nodeClass.role).toBe("KarpenterNodeRole-test");
    expect(nodeClass.subnetSelectorTerms).toEqual([{ tags: { "karpenter.sh/discovery": "test" } }]);
    expect(nodeClass.metadataOptions).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 1 });
    expect(nodeClass.blockDeviceMappings[0].ebs).toMatchObject({ volumeSize: "200Gi", encrypted: true });
  });

  it("never expires nodes when expireAfterHours is 0 (long training runs)", async () => {
    const { manifests } = await renderPool({ cloud: GpuCloud.Aws, pool: { ...l4, expireAfterHours: 0 }, aws });
    expect(byKind(manifests, "NodePool")["spec"].template.spec.expireAfter).toBe("Never");
  });
});

describe("GpuNodePool on Azure and GCP", () => {
  it("renders a Karpenter NodePool with an AKSNodeClass that lets AKS install the driver", async () => {
    const { manifests, problems } = await renderPool({ cloud: GpuCloud.Azure, pool: { name: "a100", gpu: GpuType.NvidiaA100_80GB, maxGpus: 4 } });
    expect(problems).toEqual([]);
    expect(byKind(manifests, "NodePool")["spec"].template.spec.nodeClassRef).toEqual({ group: "karpenter.azure.com", kind: "AKSNodeClass", name: "gpu-a100" });
    expect(byKind(manifests, "AKSNodeClass")["spec"]).toMatchObject({ imageFamily: "Ubuntu2204", gpu: { mode: "Driver" } });
  });

  it("renders a GKE ComputeClass trying spot first, then on-demand, on the listed machines only", async () => {
    const { manifests, problems, result } = await renderPool({ cloud: GpuCloud.Gcp, pool: l4 });
    expect(problems).toEqual([]);
    const spec = byKind(manifests, "ComputeClass")["spec"];
    expect(spec.priorities.map((p: { spot: boolean; machineType: string }) => [p.machineType, p.spot])).toEqual([
      ["g2-standard-8", true],
      ["g2-standard-8", false],
    ]);
    expect(spec.priorities[0].gpu).toEqual({ type: "nvidia-l4", count: 1, driverVersion: "default" });
    expect(spec).toMatchObject({ whenUnsatisfiable: "DoNotScaleUp", nodePoolAutoCreation: { enabled: true }, activeMigration: { optimizeRulePriority: false } });
    const component = result.resources.find((r) => r.type === "mlops-platform:index:GpuNodePool")!;
    expect(component.outputs["nodeSelector"]).toEqual({ "cloud.google.com/compute-class": "gpu-l4" });
  });
});

describe("warm capacity (minNodes > 0)", () => {
  const warm = { cloud: GpuCloud.Aws, pool: { ...l4, minNodes: 2, gpusPerNode: 4, maxGpus: 16 }, aws, warmCapacityNamespace: "mlp-gpu", warmCapacityPriorityClass: "mlp-placeholder" };

  it("keeps minNodes nodes with preemptible placeholders that hold a whole node's GPUs", async () => {
    const { manifests } = await renderPool(warm);
    const deployment = byKind(manifests, "Deployment");
    expect(deployment["metadata"]).toMatchObject({ name: "warm-gpu-l4", namespace: "mlp-gpu" });
    const pod = deployment["spec"].template.spec;
    expect(deployment["spec"].replicas).toBe(2);
    expect(pod.priorityClassName).toBe("mlp-placeholder");
    expect(pod.nodeSelector).toEqual({ "mlops-platform.io/gpu-pool": "l4" });
    expect(pod.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    expect(pod.containers[0].resources.limits["nvidia.com/gpu"]).toBe("4");
  });

  it("passes every policy at prod's levels (resources, pinned image, GPU toleration, no host access)", async () => {
    const { result } = await renderPool(warm);
    const resources = result.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.plainInputs }));
    expect(evaluatePolicies(resources, { environment: "prod", config: { gpuMonthlyBudgetUsd: 1e9 } })).toEqual([]);
  });
});

describe("bad pool args", () => {
  const plan = (args: Partial<GpuNodePoolArgs> & { pool?: Partial<GpuPoolArgs> }) => () =>
    planGpuNodePool("p", { cloud: "aws", aws, ...args, pool: { ...l4, ...args.pool } } as GpuNodePoolArgs);

  it.each([
    ["a kind cluster", { cloud: "kind" }, 'cloud: got "kind"; kind clusters are CPU only'],
    ["an unknown GPU, listing the known ones", { pool: { gpu: "nvidia-b200" } }, 'pool.gpu: got "nvidia-b200"; use one of nvidia-t4, nvidia-l4, nvidia-a10g, nvidia-l40s, nvidia-a100, nvidia-a100-80gb, nvidia-h100'],
    ["a GPU the cloud does not offer", { cloud: "azure", pool: { gpu: "nvidia-l4" } }, "azure offers nvidia-t4, nvidia-a100, nvidia-a100-80gb, nvidia-h100"],
    ["a node size that does not exist", { pool: { gpusPerNode: 3 } }, "pool.gpusPerNode: got 3; nvidia-l4 on aws comes with 1, 4, 8 GPUs per node"],
    ["MIG on a GPU without MIG", { pool: { migProfile: "all-1g.10gb" } }, "MIG needs one of nvidia-a100, nvidia-a100-80gb, nvidia-h100"],
    ["both kinds of sharing", { pool: { gpu: "nvidia-a100", gpusPerNode: 8, migProfile: "all-1g.5gb", timeSlicingReplicas: 2 } }, "use either time-slicing or MIG"],
    ["sharing on GKE", { cloud: "gcp", pool: { timeSlicingReplicas: 2 } }, "GPU sharing on GKE is set on GKE node pools"],
    ["an unpinned AMI", { aws: { ...aws, amiAlias: "al2023@latest" } }, 'aws.amiAlias: got "al2023@latest"; pin the AMI'],
    ["a GPU cap below the warm nodes", { pool: { minNodes: 3, maxGpus: 2 }, warmCapacityNamespace: "x", warmCapacityPriorityClass: "y" }, "pool.maxGpus: got 2; allow at least minNodes × gpusPerNode = 3 GPUs"],
    ["warm nodes without a placeholder namespace", { pool: { minNodes: 1 } }, "set warmCapacityNamespace and warmCapacityPriorityClass when minNodes > 0"],
    ["an unknown capacity type", { pool: { capacity: ["reserved"] } }, "list one or both of spot, on-demand, each once"],
  ])("fails on %s", (_name, args, message) => {
    expect(plan(args as never)).toThrow(pulumi.InputPropertyError);
    expect(plan(args as never)).toThrow(message);
  });
});
