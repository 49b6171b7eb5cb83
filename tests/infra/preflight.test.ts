import { describe, expect, it } from "vitest";
import { preflight, unmetRequirements } from "../../infra/preflight.js";

const FILE = "stacks/Pulumi.test.yaml";
const kueue = {
  key: ["cluster", "preinstalledOperators"],
  because: '"kueue" is declared preinstalled',
  fix: "install the operator (its CRDs), or remove it from the list so the platform installs it",
  crds: ["clusterqueues.kueue.x-k8s.io", "localqueues.kueue.x-k8s.io"],
};
const karpenter = { key: ["gpu", "pools"], because: "GPU pools on aws are Karpenter NodePools", fix: "install Karpenter on the cluster first", crds: ["nodepools.karpenter.sh"] };

/** A kubeconfig pointing at a port nothing listens on. */
const unreachable = [
  "apiVersion: v1",
  "kind: Config",
  "clusters: [{ name: nowhere, cluster: { server: 'https://127.0.0.1:9' } }]",
  "users: [{ name: nobody, user: { token: t } }]",
  "contexts: [{ name: nowhere, context: { cluster: nowhere, user: nobody } }]",
  "current-context: nowhere",
].join("\n");

describe("preflight", () => {
  it("names every missing CRD by the stack key that needs it, and only the missing ones", () => {
    expect(unmetRequirements([kueue, karpenter], new Set(["clusterqueues.kueue.x-k8s.io"]), FILE)).toEqual([
      `${FILE}: mlops-platform:cluster.preinstalledOperators: "kueue" is declared preinstalled, but the cluster has no CRD localqueues.kueue.x-k8s.io; install the operator (its CRDs), or remove it from the list so the platform installs it`,
      `${FILE}: mlops-platform:gpu.pools: GPU pools on aws are Karpenter NodePools, but the cluster has no CRD nodepools.karpenter.sh; install Karpenter on the cluster first`,
    ]);
    expect(unmetRequirements([kueue], new Set(kueue.crds), FILE)).toEqual([]);
  });

  it("does not ask the cluster anything when the stack relies on nothing preinstalled", async () => {
    await expect(preflight([], { kubeconfig: unreachable }, FILE)).resolves.toBeUndefined();
  });

  it("says which context it could not reach", async () => {
    await expect(preflight([kueue], { kubeconfig: unreachable, context: "nowhere" }, FILE)).rejects.toThrow(
      /^preflight: could not list the cluster's CRDs through context "nowhere": /,
    );
  });
});
