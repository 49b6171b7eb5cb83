import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { MlPlatform, Team, type TeamArgs } from "@mlops-platform/components";
import { formatCpu, formatGiB, planTeam, teamLimitRange, teamQuotaHard } from "@mlops-platform/components/internal";
import { buildArtifacts, isConnectionAllowed, type Manifest, type NetworkPolicyObject } from "@mlops-platform/components/testing";
import { capture } from "../../helpers.js";

const vision: TeamArgs = {
  name: "vision",
  owners: ["vision-leads"],
  members: ["vision-scientists", "vision-interns"],
  quota: { cpu: 32, memoryGiB: 128, gpus: 4, storageGiB: 1000 },
};
const speech: TeamArgs = { name: "speech", owners: ["speech-leads"], quota: { cpu: 8, memoryGiB: 32, storageGiB: 200 } };

async function renderTeams(teams: TeamArgs[]): Promise<Manifest[]> {
  const result = await capture(() => {
    // Notebooks and training off: these tests are about what Team itself creates.
    new MlPlatform("mlops", { teams, notebooks: { enabled: false }, training: { enabled: false } });
  });
  expect(result.errors).toEqual([]);
  const artifacts = await buildArtifacts(result);
  expect(artifacts.problems).toEqual([]);
  return artifacts.manifests;
}

const inNamespace = (manifests: Manifest[], namespace: string, kind: string) =>
  manifests.filter((m) => m.kind === kind && m.namespace === namespace);

describe("onboarding a team with one config entry", () => {
  it("creates the namespace, quota, defaults, RBAC and network isolation for it", async () => {
    const manifests = await renderTeams([vision]);

    const namespace = manifests.find((m) => m.kind === "Namespace" && m.name === "team-vision")!;
    const labels = (namespace.object["metadata"] as { labels: Record<string, string> }).labels;
    expect(labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
      "app.kubernetes.io/part-of": "kubeflow-profile",
      "mlops-platform.io/team": "vision",
    });

    const [quota] = inNamespace(manifests, "team-vision", "ResourceQuota");
    expect((quota!.object["spec"] as { hard: Record<string, string> }).hard).toMatchObject({
      "requests.cpu": "32",
      "requests.memory": "128Gi",
      "limits.memory": "128Gi",
      "requests.nvidia.com/gpu": "4",
      "requests.storage": "1000Gi",
      "services.loadbalancers": "0",
    });
    expect(inNamespace(manifests, "team-vision", "LimitRange")).toHaveLength(1);

    const bindings = inNamespace(manifests, "team-vision", "RoleBinding").map((m) => ({
      role: (m.object["roleRef"] as { name: string }).name,
      groups: (m.object["subjects"] as Array<{ kind: string; name: string }>).map((s) => `${s.kind}:${s.name}`),
    }));
    expect(bindings).toEqual([
      { role: "edit", groups: ["Group:vision-scientists", "Group:vision-interns"] },
      { role: "admin", groups: ["Group:vision-leads"] },
    ]);

    const policies = inNamespace(manifests, "team-vision", "NetworkPolicy").map((m) => m.name).sort();
    expect(policies).toEqual(["allow-dns", "allow-same-namespace", "default-deny"]);
  });

  it("grants nothing cluster-wide: no ClusterRole or ClusterRoleBinding, and every object lives in the team's namespace", async () => {
    const manifests = await renderTeams([vision]);
    expect(manifests.filter((m) => m.kind.startsWith("Cluster"))).toEqual([]);
    const teamObjects = manifests.filter((m) => m.resource.includes("mlops-team-vision"));
    for (const m of teamObjects) if (m.kind !== "Namespace") expect(m.namespace, m.path).toBe("team-vision");
  });

  it("skips the members binding when a team has only owners", async () => {
    const manifests = await renderTeams([speech]);
    expect(inNamespace(manifests, "team-speech", "RoleBinding").map((m) => m.name)).toEqual(["team-owners"]);
  });

  it("forbids GPU pods in a team without a GPU quota", () => {
    expect(teamQuotaHard({ cpu: 8, memoryGiB: 32, gpus: 0, storageGiB: 200 })["requests.nvidia.com/gpu"]).toBe("0");
  });
});

describe("network isolation between teams, as the rendered NetworkPolicies decide it", () => {
  it("lets a team's pods reach each other and DNS, and nothing of another team", async () => {
    const manifests = await renderTeams([vision, speech]);
    const policies = manifests.filter((m) => m.kind === "NetworkPolicy").map((m) => m.object as unknown as NetworkPolicyObject);
    const namespaces = Object.fromEntries(
      manifests.filter((m) => m.kind === "Namespace").map((m) => [m.name, (m.object["metadata"] as { labels: Record<string, string> }).labels]),
    );
    const allowed = (from: object, to: object, port: number, protocol?: string) =>
      isConnectionAllowed(policies, namespaces, { from: from as never, to: to as never, port, ...(protocol ? { protocol } : {}) });
    const notebook = { namespace: "team-vision", labels: { app: "notebook" } };
    const trainer = { namespace: "team-vision", labels: { app: "trainer" } };
    const other = { namespace: "team-speech", labels: { app: "notebook" } };
    const dns = { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } };

    expect(allowed(notebook, trainer, 29500)).toBe(true);
    expect(allowed(notebook, dns, 53, "UDP")).toBe(true);
    expect(allowed(notebook, other, 8888)).toBe(false);
    expect(allowed(other, notebook, 8888)).toBe(false);
    expect(allowed(notebook, { ip: "1.1.1.1" }, 443)).toBe(false);
    expect(allowed(notebook, { namespace: "kube-system", labels: { app: "metrics-server" } }, 443)).toBe(false);
  });

  it("opens only what a team is given: platform services, monitoring scrapes and external CIDRs", async () => {
    const manifests = await renderTeams([
      { ...vision, serviceNamespaces: ["mlp-gateway"], ingressNamespaces: ["mlp-monitoring"], egressCidrs: ["10.50.0.0/16"] },
    ]);
    const policies = manifests.filter((m) => m.kind === "NetworkPolicy").map((m) => m.object as unknown as NetworkPolicyObject);
    const pod = { namespace: "team-vision", labels: {} };
    const allowed = (from: never, to: never, port: number) => isConnectionAllowed(policies, {}, { from, to, port });
    expect(allowed(pod as never, { namespace: "mlp-gateway" } as never, 4000)).toBe(true);
    expect(allowed({ namespace: "mlp-monitoring" } as never, pod as never, 8080)).toBe(true);
    expect(allowed(pod as never, { ip: "10.50.3.4" } as never, 443)).toBe(true);
    expect(allowed(pod as never, { ip: "10.51.0.1" } as never, 443)).toBe(false);
    expect(allowed({ namespace: "mlp-gateway" } as never, pod as never, 8888)).toBe(false);
  });
});

describe("Team outputs", () => {
  it("exposes the namespace and labels other capabilities attach to", async () => {
    const result = await capture(() => {
      new Team("vision", vision);
    });
    const team = result.resources.find((r) => r.type === "mlops-platform:index:Team")!;
    expect(team.outputs).toMatchObject({ teamName: "vision", namespace: "team-vision", gpuQuota: 4 });
    expect((team.outputs["labels"] as Record<string, string>)["mlops-platform.io/team"]).toBe("vision");
  });
});

describe("bad team args", () => {
  it.each([
    ["an invalid name", { ...speech, name: "Speech!" }, 'name: got "Speech!"'],
    ["no owners", { ...speech, owners: [] }, "owners: got []; name at least one identity-provider group"],
    ["a negative quota", { ...speech, quota: { ...speech.quota, cpu: -2 } }, "quota.cpu: got -2; use a positive number"],
    ["a fractional GPU quota", { ...speech, quota: { ...speech.quota, gpus: 0.5 } }, "quota.gpus: got 0.5"],
    ["an empty group", { ...speech, members: [""] }, 'members[0]: got ""; use a non-empty group name'],
    ["a malformed CIDR", { ...speech, egressCidrs: ["10.0.0.0"] }, 'egressCidrs[0]: got "10.0.0.0"'],
  ])("fails on %s", (_name, args, message) => {
    expect(() => planTeam("t", args as TeamArgs)).toThrow(pulumi.InputPropertyError);
    expect(() => planTeam("t", args as TeamArgs)).toThrow(message);
  });

  it("fails when two teams share a name", async () => {
    const result = await capture(() => {
      new MlPlatform("mlops", { teams: [speech, speech], notebooks: { enabled: false } });
    });
    expect(result.errors.map((e) => e.message)).toEqual([
      'mlops-platform:index:MlPlatform "mlops": teams[1].name: got "speech"; give every team a unique name',
    ]);
  });
});

describe("quota arithmetic", () => {
  it.each([
    [0.25, "250m"],
    [4, "4"],
    [1.5, "1500m"],
  ])("formats %s cores as %s", (cores, text) => expect(formatCpu(cores)).toBe(text));

  it.each([
    [0.25, "256Mi"],
    [8, "8Gi"],
    [1.5, "1536Mi"],
  ])("formats %s GiB as %s", (gib, text) => expect(formatGiB(gib)).toBe(text));

  it("caps LimitRange defaults by a small team's quota", () => {
    const [container, claim] = teamLimitRange({ cpu: 0.05, memoryGiB: 0.125, gpus: 0, storageGiB: 0.5 });
    expect(container).toMatchObject({ defaultRequest: { cpu: "50m", memory: "128Mi" }, default: { cpu: "100m", memory: "128Mi" } });
    expect(claim).toMatchObject({ min: { storage: "512Mi" }, max: { storage: "512Mi" } });
  });

  it("lets CPU limits burst to twice the quota but never memory", () => {
    const hard = teamQuotaHard({ cpu: 4, memoryGiB: 16, gpus: 1, storageGiB: 100 });
    expect([hard["limits.cpu"], hard["limits.memory"]]).toEqual(["8", "16Gi"]);
  });
});

describe("GPU quotas when Kueue governs training", () => {
  it("caps training pods at the training pools' size and everything else at the team's GPU quota", async () => {
    const result = await capture(() => {
      new Team("vision", { ...vision, trainingGpus: { priorityClassName: "mlp-training", maxGpus: 24 } });
    });
    const { manifests } = await buildArtifacts(result);
    const quotas = Object.fromEntries(
      manifests.filter((m) => m.kind === "ResourceQuota").map((m) => [m.name, (m.object as { spec: Record<string, unknown> }).spec]),
    );
    expect(Object.keys(quotas).sort()).toEqual(["team-gpu-quota", "team-quota", "team-training-gpu-quota"]);
    expect((quotas["team-quota"] as { hard: Record<string, string> }).hard["requests.nvidia.com/gpu"]).toBeUndefined();
    expect(quotas["team-gpu-quota"]).toEqual({
      hard: { "requests.nvidia.com/gpu": "4" },
      scopeSelector: { matchExpressions: [{ scopeName: "PriorityClass", operator: "NotIn", values: ["mlp-training"] }] },
    });
    expect(quotas["team-training-gpu-quota"]).toEqual({
      hard: { "requests.nvidia.com/gpu": "24" },
      scopeSelector: { matchExpressions: [{ scopeName: "PriorityClass", operator: "In", values: ["mlp-training"] }] },
    });
  });
});
