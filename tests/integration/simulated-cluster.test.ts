/**
 * The simulated cluster of scripts/cluster, which the end-to-end tests deploy to: its nodes look like the
 * platform's (GPU pools' labels, taint and capacity), the scheduler, kwok and the controller-manager make a
 * quota'd Deployment Available and a namespace deletion complete, `down` leaves no process behind, and a
 * second `up` builds nothing.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isProcessRunning, REPO_ROOT, requireSimulatedCluster, startSimulatedCluster, type SimulatedCluster } from "./simulated-cluster.js";

const binaries = requireSimulatedCluster();

interface Node {
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: { taints?: Array<{ key: string; value?: string; effect: string }> };
  status: { capacity: Record<string, string>; allocatable: Record<string, string>; conditions: Array<{ type: string; status: string }> };
}

const NAMESPACE = "team-quota-check";
const WORKLOAD = `
apiVersion: v1
kind: Namespace
metadata: { name: ${NAMESPACE} }
---
apiVersion: v1
kind: ResourceQuota
metadata: { name: compute, namespace: ${NAMESPACE} }
spec:
  hard: { requests.cpu: "4", requests.memory: 16Gi, limits.cpu: "8", limits.memory: 32Gi, requests.nvidia.com/gpu: "2", pods: "10" }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: trainer, namespace: ${NAMESPACE} }
spec:
  replicas: 2
  selector: { matchLabels: { app: trainer } }
  template:
    metadata: { labels: { app: trainer } }
    spec:
      nodeSelector: { mlops-platform.io/gpu-pool: l4-spot }
      tolerations: [{ key: nvidia.com/gpu, operator: Exists, effect: NoSchedule }]
      containers:
        - name: trainer
          image: registry.example/trainer:1.0.0
          resources:
            requests: { cpu: 500m, memory: 1Gi }
            limits: { cpu: "1", memory: 2Gi, nvidia.com/gpu: "1" }
`;

describe.skipIf(!binaries)("simulated cluster (scripts/cluster)", () => {
  let cluster: SimulatedCluster;
  const nodes = async (): Promise<Node[]> => (JSON.parse(await cluster.kubectl(["get", "nodes", "-o", "json"])) as { items: Node[] }).items;

  beforeAll(async () => {
    cluster = await startSimulatedCluster();
  }, 300_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 120_000);

  it("starts with every default node Ready; GPU nodes carry their pool's labels and taint and advertise nvidia.com/gpu", async () => {
    const all = await nodes();
    expect(all.map((n) => n.metadata.name).sort()).toEqual(["cpu-1", "cpu-2", "cpu-3", "gpu-a10g-1", "gpu-l4-spot-1"]);
    for (const node of all) {
      expect(node.status.conditions.find((c) => c.type === "Ready")?.status, node.metadata.name).toBe("True");
      expect(node.metadata.annotations["kwok.x-k8s.io/node"]).toBe("fake");
      expect(node.metadata.labels).toMatchObject({ "kubernetes.io/os": "linux", "kubernetes.io/hostname": node.metadata.name });
      expect(node.metadata.labels["topology.kubernetes.io/zone"]).toMatch(/^us-east-1[abc]$/);
    }
    const gpu = all.filter((n) => n.metadata.labels["nvidia.com/gpu.present"] === "true");
    expect(gpu.map((n) => n.metadata.name).sort()).toEqual(["gpu-a10g-1", "gpu-l4-spot-1"]);
    for (const node of gpu) {
      expect(node.spec.taints).toContainEqual({ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" });
      expect(node.status.capacity["nvidia.com/gpu"]).toBe("4");
      expect(node.status.allocatable["nvidia.com/gpu"]).toBe("4");
    }
    expect(gpu.find((n) => n.metadata.name === "gpu-l4-spot-1")!.metadata.labels).toMatchObject({
      "mlops-platform.io/gpu-pool": "l4-spot",
      "mlops-platform.io/gpu": "nvidia-l4",
      "workloads.mlops-platform.io/notebooks": "true",
      "workloads.mlops-platform.io/training": "true",
    });
    const cpu = all.find((n) => n.metadata.name === "cpu-1")!;
    expect(cpu.spec.taints ?? []).toEqual([]);
    expect(cpu.status.allocatable).toMatchObject({ cpu: "15890m", pods: "234" });
    expect(cpu.status.allocatable["nvidia.com/gpu"]).toBeUndefined();
  });

  it("makes a Deployment in a namespace with a ResourceQuota Available on the GPU pool it selects", async () => {
    await cluster.kubectl(["apply", "-f", "-"], WORKLOAD);
    await cluster.kubectl(["-n", NAMESPACE, "wait", "--for=condition=Available", "deployment/trainer", "--timeout=90s"]);

    const pods = JSON.parse(await cluster.kubectl(["-n", NAMESPACE, "get", "pods", "-o", "json"])) as {
      items: Array<{ spec: { nodeName: string }; status: { phase: string; podIP?: string } }>;
    };
    expect(pods.items).toHaveLength(2);
    for (const pod of pods.items) {
      expect(pod.spec.nodeName).toBe("gpu-l4-spot-1");
      expect(pod.status.phase).toBe("Running");
      expect(pod.status.podIP).toMatch(/^10\.244\./);
    }
    // The quota controller computed usage, so admission can enforce it: a third GPU is refused.
    const quota = JSON.parse(await cluster.kubectl(["-n", NAMESPACE, "get", "resourcequota", "compute", "-o", "json"])) as {
      status: { used: Record<string, string> };
    };
    expect(quota.status.used).toMatchObject({ "requests.nvidia.com/gpu": "2", pods: "2", "requests.cpu": "1" });
    const overQuota = cluster.kubectl(["-n", NAMESPACE, "run", "one-gpu-too-many", "--image=registry.example/x:1", "--restart=Never",
      '--overrides={"spec":{"containers":[{"name":"x","image":"registry.example/x:1","resources":{"limits":{"cpu":"1","memory":"1Gi","nvidia.com/gpu":"1"}}}]}}']);
    await expect(overQuota).rejects.toThrow(/exceeded quota: compute/);
  }, 120_000);

  it("binds a PersistentVolumeClaim of the default StorageClass, as a cloud cluster's default class would", async () => {
    const claim = `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: workspace, namespace: ${NAMESPACE} }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 10Gi } } }
`;
    await cluster.kubectl(["apply", "-f", "-"], claim);
    await cluster.kubectl(["-n", NAMESPACE, "wait", "--for=jsonpath={.status.phase}=Bound", "pvc/workspace", "--timeout=60s"]);
    const pvc = JSON.parse(await cluster.kubectl(["-n", NAMESPACE, "get", "pvc", "workspace", "-o", "json"])) as {
      spec: { storageClassName: string };
      status: { capacity: Record<string, string> };
    };
    expect(pvc.spec.storageClassName).toBe("kwok-volume");
    expect(pvc.status.capacity["storage"]).toBe("10Gi");
  }, 120_000);

  it("completes a namespace deletion (namespace controller and garbage collector), volumes included", async () => {
    await cluster.kubectl(["delete", "namespace", NAMESPACE, "--wait=true", "--timeout=90s"]);
    const remaining = await cluster.kubectl(["get", "namespaces", "-o", "name"]);
    expect(remaining).not.toContain(`namespace/${NAMESPACE}`);
    // The claim's volume is released and deleted (reclaim policy Delete).
    await cluster.kubectl(["wait", "--for=delete", "persistentvolumes", "--all", "--timeout=60s"]);
    expect(await cluster.kubectl(["get", "persistentvolumes", "-o", "name"])).toBe("");
  }, 180_000);

  it("says so when `up` runs on a running cluster, and leaves it alone", async () => {
    const before = cluster.pids();
    const { stdout, stderr } = await cluster.script(["up"]);
    expect(stderr).toContain("already running");
    expect(stdout.trim()).toBe(`export KUBECONFIG=${cluster.kubeconfig}`);
    expect(cluster.pids()).toEqual(before);
  });

  it("`down` stops every process `up` started and leaves none running", async () => {
    const pids = cluster.pids();
    expect(Object.keys(pids).sort()).toEqual(["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"]);
    for (const pid of Object.values(pids)) expect(isProcessRunning(pid)).toBe(true);

    await cluster.script(["down"]);
    for (const [name, pid] of Object.entries(pids)) expect(isProcessRunning(pid), `${name} (pid ${pid})`).toBe(false);
    expect(cluster.pids()).toEqual({});
    await expect(cluster.script(["status"])).rejects.toThrow(/kube-apiserver +not running/);
  }, 120_000);

  it("starts again from the cache without building anything, with the nodes it had", async () => {
    execFileSync("bash", [path.join(REPO_ROOT, "scripts/build"), "--check", "kube", "kwok"]);
    const started = Date.now();
    const { stderr } = await cluster.script(["up"]);
    const seconds = (Date.now() - started) / 1000;
    console.info(`  second up: ${seconds.toFixed(1)} s`);
    expect(stderr).toMatch(/kube: cached in .*\n.*kwok: cached in|kwok: cached in .*\n.*kube: cached in/);
    expect(stderr).not.toMatch(/building/);
    expect(seconds).toBeLessThan(90);
    const all = await nodes();
    expect(all).toHaveLength(5);
    for (const node of all) expect(node.status.conditions.find((c) => c.type === "Ready")?.status).toBe("True");
    const status = await cluster.script(["status"]);
    expect(status.stdout).toContain("nodes: 5/5 Ready");
  }, 180_000);
});
