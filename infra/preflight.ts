/**
 * Before anything is applied: does the cluster have the CRDs the stack relies on others for (operators
 * declared preinstalled, Karpenter, the Gateway API)? Every missing one is reported at once, by the stack
 * key that needs it, so a `pulumi up` never stops half-way on "no matches for kind".
 */
import { ApiextensionsV1Api, KubeConfig, type V1CustomResourceDefinition } from "@kubernetes/client-node";
import type { ClusterRequirement } from "./capabilities/capability.js";
import { keyPath } from "./config.js";

/** How to reach the cluster: as the Kubernetes provider does (explicit kubeconfig, else the default one). */
export interface ClusterAccess {
  /** kubeconfig contents (the stack's secret `kubeconfig`); unset: $KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  /** Context to use; unset: the kubeconfig's current context. */
  context?: string;
}

/** The CRDs a cluster serves and has established. */
export async function establishedCrds(access: ClusterAccess): Promise<Set<string>> {
  const kubeConfig = new KubeConfig();
  if (access.kubeconfig !== undefined) kubeConfig.loadFromString(access.kubeconfig);
  else kubeConfig.loadFromDefault();
  if (access.context !== undefined) kubeConfig.setCurrentContext(access.context);
  const api = kubeConfig.makeApiClient(ApiextensionsV1Api);
  const list = await api.listCustomResourceDefinition();
  return new Set(list.items.filter(isEstablished).map((crd) => crd.metadata?.name ?? ""));
}

function isEstablished(crd: V1CustomResourceDefinition): boolean {
  return (crd.status?.conditions ?? []).some((condition) => condition.type === "Established" && condition.status === "True");
}

/** One line per requirement the cluster does not meet (empty when it meets them all). */
export function unmetRequirements(requirements: readonly ClusterRequirement[], established: ReadonlySet<string>, stackFile: string): string[] {
  return requirements.flatMap((requirement) => {
    const missing = requirement.crds.filter((crd) => !established.has(crd));
    if (missing.length === 0) return [];
    return [`${stackFile}: ${keyPath(requirement.key)}: ${requirement.because}, but the cluster has no CRD ${missing.join(", ")}; ${requirement.fix}`];
  });
}

/** Throws an error listing every unmet requirement, or when the cluster cannot be asked. */
export async function preflight(requirements: readonly ClusterRequirement[], access: ClusterAccess, stackFile: string): Promise<void> {
  if (requirements.length === 0) return;
  let established: Set<string>;
  try {
    established = await establishedCrds(access);
  } catch (err) {
    const context = access.context === undefined ? "the current context" : `context "${access.context}"`;
    throw new Error(`preflight: could not list the cluster's CRDs through ${context}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const unmet = unmetRequirements(requirements, established, stackFile);
  if (unmet.length > 0) throw new Error(`preflight: the cluster lacks what ${stackFile} relies on:\n${unmet.join("\n")}`);
}
