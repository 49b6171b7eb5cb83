import type { HelmChartPin } from "../common/helm.js";

/**
 * cert-manager, pinned. v1.20.2 is the newest release seen in the upstream material we checked
 * (Renovate bumps in public repositories, May 2026); re-check https://github.com/cert-manager/cert-manager/releases
 * before bumping. The chart installs its own CRDs (`crds.enabled`) and keeps them on uninstall (`crds.keep`).
 */
export const CERT_MANAGER_CHART: HelmChartPin = {
  chart: "cert-manager",
  repository: "https://charts.jetstack.io",
  version: "v1.20.2",
};

/** Inputs of `certManagerValues`: what the platform decides about a cert-manager install. */
export interface CertManagerValuesInput {
  /** Replicas of the controller, webhook and CA injector; more than one also turns on PodDisruptionBudgets. */
  replicas: number;
}

const CONTAINER_RESOURCES = {
  // Requests sized from cert-manager's own recommendations for small and medium clusters; limits leave
  // headroom for informer caches on clusters with many Secrets, which is what grows cert-manager's memory.
  controller: { requests: { cpu: "20m", memory: "96Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
  webhook: { requests: { cpu: "10m", memory: "48Mi" }, limits: { cpu: "250m", memory: "256Mi" } },
  cainjector: { requests: { cpu: "10m", memory: "96Mi" }, limits: { cpu: "250m", memory: "512Mi" } },
  startupapicheck: { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "100m", memory: "128Mi" } },
} as const;

/**
 * Helm values for cert-manager. Every container gets requests and limits (the policy pack requires them),
 * CRDs are installed and kept, and with more than one replica each Deployment gets a PodDisruptionBudget
 * so node drains never take the webhook down (a missing webhook blocks every Certificate change).
 */
export function certManagerValues(input: CertManagerValuesInput): Record<string, unknown> {
  const highlyAvailable = input.replicas > 1;
  const pdb = { enabled: highlyAvailable, minAvailable: 1 };
  return {
    crds: { enabled: true, keep: true },
    replicaCount: input.replicas,
    podDisruptionBudget: pdb,
    resources: CONTAINER_RESOURCES.controller,
    webhook: {
      replicaCount: input.replicas,
      podDisruptionBudget: pdb,
      resources: CONTAINER_RESOURCES.webhook,
    },
    cainjector: {
      replicaCount: input.replicas,
      podDisruptionBudget: pdb,
      resources: CONTAINER_RESOURCES.cainjector,
    },
    startupapicheck: { resources: CONTAINER_RESOURCES.startupapicheck },
    // Metrics are exposed; the ServiceMonitor is created by the monitoring capability, which owns the CRD.
    prometheus: { enabled: true, servicemonitor: { enabled: false } },
  };
}
