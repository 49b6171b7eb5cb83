import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { capture, one, ofType } from "../../helpers.js";
import { a10g, baseArgs, l4Spot, namesOf, nlp, object, renderTraining, runtimePodSpec, vision } from "./fixtures.js";
import { planTrainingPlatform, TrainingPlatform, type TrainingPlatformArgs } from "./training-api.js";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const CHART = "kubernetes:helm.sh/v4:Chart";
const RUNTIME = "kubernetes:trainer.kubeflow.org/v1alpha1:ClusterTrainingRuntime";
const KUEUE_KINDS = ["ResourceFlavor", "ClusterQueue", "LocalQueue"];
const gpuToleration = { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" };

describe("training runtimes", () => {
  it("ships torch-distributed-cpu and one GPU runtime per pool", async () => {
    const { manifests, result } = await renderTraining(baseArgs);
    expect(namesOf(manifests, "ClusterTrainingRuntime")).toEqual(["torch-distributed-cpu", "torch-distributed-gpu-a10g", "torch-distributed-gpu-l4-spot"]);
    const component = one(result, "mlops-platform:index:TrainingPlatform", "training");
    expect(component.outputs["cpuRuntimeName"]).toBe("torch-distributed-cpu");
    expect(component.outputs["gpuRuntimeNames"]).toEqual({ "l4-spot": "torch-distributed-gpu-l4-spot", a10g: "torch-distributed-gpu-a10g" });
    expect(component.outputs["runtimeNames"]).toEqual(["torch-distributed-cpu", "torch-distributed-gpu-l4-spot", "torch-distributed-gpu-a10g"]);
  });

  it("GPU runtimes carry the pool's GPU toleration, node selector and the training PriorityClass, and one GPU by default", async () => {
    const { manifests } = await renderTraining(baseArgs);
    const runtime = object(manifests, "ClusterTrainingRuntime", "torch-distributed-gpu-l4-spot");
    const pod = runtimePodSpec(runtime);
    expect(pod["tolerations"]).toEqual([gpuToleration]);
    expect(pod["nodeSelector"]).toEqual({ "mlops-platform.io/gpu-pool": "l4-spot" });
    expect(pod["priorityClassName"]).toBe("mlp-training");
    expect(pod["containers"][0].resources).toEqual({ requests: { "nvidia.com/gpu": "1" }, limits: { "nvidia.com/gpu": "1" } });
    expect(runtime["metadata"].labels).toMatchObject({
      "trainer.kubeflow.org/framework": "torch",
      "mlops-platform.io/gpu-pool": "l4-spot",
      "mlops-platform.io/gpu": "nvidia-l4",
    });
    expect(runtimePodSpec(object(manifests, "ClusterTrainingRuntime", "torch-distributed-gpu-a10g"))["nodeSelector"]).toEqual({
      "mlops-platform.io/gpu-pool": "a10g",
    });
  });

  it("the CPU runtime has the PriorityClass but no GPU toleration, node selector or GPU", async () => {
    const { manifests } = await renderTraining(baseArgs);
    const pod = runtimePodSpec(object(manifests, "ClusterTrainingRuntime", "torch-distributed-cpu"));
    expect(pod["priorityClassName"]).toBe("mlp-training");
    expect(pod["tolerations"]).toBeUndefined();
    expect(pod["nodeSelector"]).toBeUndefined();
    expect(pod["containers"][0].resources).toBeUndefined();
  });

  it("follows upstream's torch runtime shape, so TrainJob settings land in the trainer container", async () => {
    const { manifests } = await renderTraining(baseArgs);
    const spec = object(manifests, "ClusterTrainingRuntime", "torch-distributed-gpu-l4-spot")["spec"];
    expect(spec.mlPolicy).toEqual({ numNodes: 1, torch: {} });
    const [job] = spec.template.spec.replicatedJobs;
    expect(job.name).toBe("node");
    expect(job.template.metadata.labels).toEqual({ "trainer.kubeflow.org/trainjob-ancestor-step": "trainer" });
    expect(job.template.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(["node"]);
  });

  it("runtime pods meet Pod Security restricted, which team namespaces enforce", async () => {
    const { manifests } = await renderTraining(baseArgs);
    for (const name of namesOf(manifests, "ClusterTrainingRuntime")) {
      const pod = runtimePodSpec(object(manifests, "ClusterTrainingRuntime", name));
      expect(pod["securityContext"]).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } });
      expect(pod["containers"][0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    }
  });

  it("runtimes are created after the Trainer release that installs their CRD", async () => {
    const { result } = await renderTraining(baseArgs);
    const release = one(result, RELEASE, "training-trainer");
    const runtimes = ofType(result, RUNTIME);
    expect(runtimes).toHaveLength(3);
    for (const runtime of runtimes) expect(runtime.dependsOn).toContain(release.urn);
  });
});

describe("the Trainer operator", () => {
  it("is Trainer 2.3.0 from its OCI chart, a Helm Release in kubeflow-system, with built-in runtimes off", async () => {
    const { result } = await renderTraining(baseArgs);
    const release = one(result, RELEASE, "training-trainer");
    expect(release.inputs).toMatchObject({
      name: "kubeflow-trainer",
      chart: "oci://ghcr.io/kubeflow/charts/kubeflow-trainer",
      version: "2.3.0",
      namespace: "kubeflow-system",
    });
    expect(release.inputs["repositoryOpts"]).toBeUndefined();
    const values = release.inputs["values"] as Record<string, any>;
    expect(values["runtimes"]).toEqual({ defaultEnabled: false });
    expect(values["image"]).toEqual({ tag: "v2.3.0" });
  });

  it("gives the manager and the bundled JobSet controller cpu and memory requests and limits", async () => {
    const { result } = await renderTraining(baseArgs);
    const values = one(result, RELEASE, "training-trainer").inputs["values"] as Record<string, any>;
    for (const resources of [values["manager"].resources, values["jobset"].controller.resources]) {
      expect(Object.keys(resources.requests).sort()).toEqual(["cpu", "memory"]);
      expect(Object.keys(resources.limits).sort()).toEqual(["cpu", "memory"]);
    }
  });

  it("follows trainerVersion for the chart and the controller image", async () => {
    const { result } = await renderTraining({ ...baseArgs, trainerVersion: "2.3.1" });
    const release = one(result, RELEASE, "training-trainer");
    expect(release.inputs["version"]).toBe("2.3.1");
    expect((release.inputs["values"] as Record<string, any>)["image"]).toEqual({ tag: "v2.3.1" });
  });
});

describe("fair GPU sharing with Kueue", () => {
  const withKueue: TrainingPlatformArgs = { ...baseArgs, kueueEnabled: true };

  it("installs Kueue 0.19.2 from its OCI chart in kueue-system, image pinned, after Trainer", async () => {
    const { result } = await renderTraining(withKueue);
    const chart = one(result, CHART, "training-kueue");
    expect(chart.inputs).toMatchObject({ name: "kueue", chart: "oci://registry.k8s.io/kueue/charts/kueue", version: "0.19.2", namespace: "kueue-system" });
    const manager = (chart.inputs["values"] as Record<string, any>)["controllerManager"].manager;
    expect(manager.image).toEqual({ repository: "registry.k8s.io/kueue/kueue", tag: "v0.19.2", pullPolicy: "IfNotPresent" });
    expect(Object.keys(manager.resources.limits).sort()).toEqual(["cpu", "memory"]);
    expect(chart.dependsOn).toContain(one(result, RELEASE, "training-trainer").urn);
  });

  it("gives each team a ClusterQueue whose nominal GPU quota is its gpus in every pool, and its cpu and memory", async () => {
    const { manifests } = await renderTraining(withKueue);
    const spec = object(manifests, "ClusterQueue", "team-nlp")["spec"];
    const [cpuMemory, gpus] = spec.resourceGroups;
    expect(cpuMemory).toEqual({
      coveredResources: ["cpu", "memory"],
      flavors: [{ name: "default-flavor", resources: [{ name: "cpu", nominalQuota: "8500m" }, { name: "memory", nominalQuota: "32Gi" }] }],
    });
    expect(gpus.coveredResources).toEqual(["nvidia.com/gpu"]);
    expect(gpus.flavors).toEqual([
      { name: "gpu-l4-spot", resources: [{ name: "nvidia.com/gpu", nominalQuota: "2" }] },
      { name: "gpu-a10g", resources: [{ name: "nvidia.com/gpu", nominalQuota: "2" }] },
    ]);
    const visionGpus = object(manifests, "ClusterQueue", "team-vision")["spec"].resourceGroups[1];
    expect(visionGpus.flavors.map((f: { resources: Array<{ nominalQuota: string }> }) => f.resources[0]!.nominalQuota)).toEqual(["1", "1"]);
  });

  it("puts team queues in one cohort where idle quota is borrowed and owners reclaim it, each admitting only its own namespace", async () => {
    const { manifests } = await renderTraining(withKueue);
    for (const team of [vision, nlp]) {
      const spec = object(manifests, "ClusterQueue", `team-${team.name}`)["spec"];
      expect(spec.cohortName).toBe("mlp-training");
      expect(spec.preemption).toEqual({ reclaimWithinCohort: "Any", withinClusterQueue: "LowerPriority" });
      expect(spec.namespaceSelector).toEqual({ matchLabels: { "kubernetes.io/metadata.name": team.namespace } });
      // No borrowing limit: a team may use every idle GPU of the cohort.
      for (const group of spec.resourceGroups) {
        for (const flavor of group.flavors) for (const resource of flavor.resources) expect(resource.borrowingLimit).toBeUndefined();
      }
    }
  });

  it("creates a LocalQueue default in each team namespace, pointing at that team's ClusterQueue", async () => {
    const { manifests, result } = await renderTraining(withKueue);
    const localQueues = manifests.filter((m) => m.kind === "LocalQueue").map((m) => [m.namespace, m.name, (m.object["spec"] as { clusterQueue: string }).clusterQueue]);
    expect(localQueues).toEqual([
      ["team-nlp", "default", "team-nlp"],
      ["team-vision", "default", "team-vision"],
    ]);
    const component = one(result, "mlops-platform:index:TrainingPlatform", "training");
    expect(component.outputs["queueNames"]).toEqual({ vision: "default", nlp: "default" });
    expect(component.outputs["clusterQueueNames"]).toEqual({ vision: "team-vision", nlp: "team-nlp" });
  });

  it("gives each pool a flavor with the pool's node selector and GPU toleration, and cpu/memory a flavor for any node", async () => {
    const { manifests } = await renderTraining(withKueue);
    expect(object(manifests, "ResourceFlavor", "gpu-l4-spot")["spec"]).toEqual({
      nodeLabels: { "mlops-platform.io/gpu-pool": "l4-spot" },
      tolerations: [gpuToleration],
    });
    expect(object(manifests, "ResourceFlavor", "default-flavor")["spec"]).toEqual({});
  });

  it("lends the GPUs no team is guaranteed through a queue that admits no workload", async () => {
    const { manifests } = await renderTraining(withKueue);
    const spec = object(manifests, "ClusterQueue", "unassigned-gpus")["spec"];
    expect(spec.cohortName).toBe("mlp-training");
    expect(spec.namespaceSelector).toBeUndefined();
    // Teams are guaranteed 1 + 2 = 3 GPUs per pool: l4-spot (4) lends 1, a10g (8) lends 5.
    expect(spec.resourceGroups).toEqual([
      {
        coveredResources: ["nvidia.com/gpu"],
        flavors: [
          { name: "gpu-l4-spot", resources: [{ name: "nvidia.com/gpu", nominalQuota: "1" }] },
          { name: "gpu-a10g", resources: [{ name: "nvidia.com/gpu", nominalQuota: "5" }] },
        ],
      },
    ]);
  });

  it("has no lender queue when the teams' guarantees take every GPU", async () => {
    const { manifests } = await renderTraining({ ...withKueue, gpuPools: [{ ...l4Spot, maxGpus: 3 }] });
    expect(namesOf(manifests, "ClusterQueue")).toEqual(["team-nlp", "team-vision"]);
  });

  it("queues CPU-only teams on a platform without GPU pools", async () => {
    const { manifests } = await renderTraining({ ...withKueue, gpuPools: [] });
    expect(namesOf(manifests, "ResourceFlavor")).toEqual(["default-flavor"]);
    expect(object(manifests, "ClusterQueue", "team-vision")["spec"].resourceGroups).toHaveLength(1);
  });

  it("creates Kueue objects only after the Kueue chart (and queues after their flavors)", async () => {
    const { result } = await renderTraining(withKueue);
    const kueue = one(result, CHART, "training-kueue").urn;
    const flavor = one(result, "kubernetes:kueue.x-k8s.io/v1beta2:ResourceFlavor", "training-flavor-gpu-l4-spot");
    expect(flavor.dependsOn).toContain(kueue);
    const clusterQueue = one(result, "kubernetes:kueue.x-k8s.io/v1beta2:ClusterQueue", "training-queue-vision");
    expect(clusterQueue.dependsOn).toEqual(expect.arrayContaining([kueue, flavor.urn]));
    expect(one(result, "kubernetes:kueue.x-k8s.io/v1beta2:LocalQueue", "training-local-queue-vision").dependsOn).toContain(clusterQueue.urn);
  });

  it("creates no Kueue chart or objects when Kueue is off, and reports no queues", async () => {
    const { manifests, result } = await renderTraining({ ...baseArgs, kueueEnabled: false });
    expect(manifests.filter((m) => KUEUE_KINDS.includes(m.kind))).toEqual([]);
    expect(ofType(result, CHART)).toEqual([]);
    expect(result.resources.filter((r) => r.type.includes("kueue"))).toEqual([]);
    const component = one(result, "mlops-platform:index:TrainingPlatform", "training");
    expect(component.outputs["queueNames"]).toEqual({});
    expect(component.outputs["kueueEnabled"]).toBe(false);
  });
});

describe("TrainingPlatform children", () => {
  it("are parented to the component and named <name>-<role>", async () => {
    const result = await capture(() => {
      new TrainingPlatform("ml", { ...baseArgs, kueueEnabled: true });
    });
    expect(result.errors).toEqual([]);
    const component = one(result, "mlops-platform:index:TrainingPlatform", "ml");
    const children = result.resources.filter((r) => r.parent === component.urn);
    expect(children.length).toBeGreaterThan(0);
    for (const child of children) expect(child.name.startsWith("ml-")).toBe(true);
  });
});

describe("bad TrainingPlatform args", () => {
  const plan = (args: Partial<TrainingPlatformArgs>) => () => planTrainingPlatform("t", { ...baseArgs, ...args });

  it.each([
    ["a version range", { trainerVersion: "^2.3.0" }, 'trainerVersion: got "^2.3.0"; use an exact chart version without "v", such as "2.3.0"'],
    ["a v-prefixed Kueue version", { kueueVersion: "v0.19.2" }, 'kueueVersion: got "v0.19.2"; use an exact chart version without "v", such as "0.19.2"'],
    ["no PriorityClass", { priorityClassName: "" }, 'priorityClassName: got ""; name the training PriorityClass'],
    ["a pool name too long for its runtime name", { gpuPools: [{ ...l4Spot, name: "a".repeat(42) }] }, "use a DNS label of at most 41 characters"],
    ["a pool listed twice", { gpuPools: [l4Spot, l4Spot] }, 'gpuPools[1].name: got "l4-spot"; list every pool once'],
    ["an unknown GPU", { gpuPools: [{ ...l4Spot, gpu: "nvidia-b200" }] }, 'gpuPools[0].gpu: got "nvidia-b200"; use one of nvidia-t4'],
    ["a pool without a node selector", { gpuPools: [{ ...l4Spot, nodeSelector: {} }] }, "gpuPools[0].nodeSelector: got {}; select the pool's nodes"],
    ["a toleration operator Kubernetes does not know", { gpuPools: [{ ...l4Spot, tolerations: [{ ...gpuToleration, operator: "Present" }] }] }, 'gpuPools[0].tolerations[0].operator: got "Present"; use one of Exists, Equal'],
    ["a fractional GPU cap", { gpuPools: [{ ...a10g, maxGpus: 1.5 }] }, "gpuPools[0].maxGpus: got 1.5; use a whole number of at least 1"],
    ["a team listed twice", { teams: [vision, vision] }, 'teams[1].name: got "vision"; list every team once'],
    ["two teams sharing a namespace", { teams: [vision, { ...nlp, namespace: "team-vision" }] }, 'teams[1].namespace: got "team-vision"; give every team its own namespace'],
    ["negative GPUs", { teams: [{ ...vision, gpus: -1 }] }, "teams[0].gpus: got -1; use a whole number, 0 or more"],
    ["no CPU", { teams: [{ ...vision, cpu: 0 }] }, "teams[0].cpu: got 0; use a positive number"],
  ])("fails on %s", (_case, args, message) => {
    expect(plan(args as Partial<TrainingPlatformArgs>)).toThrow(pulumi.InputPropertyError);
    expect(plan(args as Partial<TrainingPlatformArgs>)).toThrow(message);
  });

  it("fails with Kueue when a pool cannot hold every team's guaranteed GPUs, and names the fix", () => {
    const tooSmall = { ...baseArgs, kueueEnabled: true, gpuPools: [{ ...l4Spot, maxGpus: 2 }] };
    expect(() => planTrainingPlatform("t", tooSmall)).toThrow(
      'gpuPools[0].maxGpus: got 2; the teams are guaranteed 3 GPUs in each training pool (the sum of teams[].gpus): raise maxGpus of "l4-spot" to at least 3',
    );
    // Without Kueue there are no guarantees to keep.
    expect(() => planTrainingPlatform("t", { ...tooSmall, kueueEnabled: false })).not.toThrow();
  });

  it("names the component in the message", () => {
    expect(plan({ priorityClassName: "Not_A_Name" })).toThrow('mlops-platform:index:TrainingPlatform "t": priorityClassName');
  });
});
