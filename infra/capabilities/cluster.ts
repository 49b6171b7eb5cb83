/**
 * The cluster the platform lands on (`mlops-platform:cluster`) and platform-wide availability
 * (`mlops-platform:availability`): cert-manager, PriorityClasses and the replicas of every service.
 */
import { OPERATOR_CRDS, type ClusterOperator, type MlPlatformArgs } from "@mlops-platform/components";
import { z } from "zod";
import type { PlatformConfig } from "../config.js";
import { valueAt, type Capability } from "./capability.js";
import { checkedString, dnsLabel, nonEmptyString } from "./fields.js";

export const CLUSTER_PROVIDERS = ["aws", "azure", "gcp", "kind"] as const;

// Versions, namespaces, replicas, priority values and the operators' names are ClusterBase's and
// MlPlatform's to check; only the stack's own keys keep their rules here.
const clusterSection = z.strictObject({
  /** Where the cluster runs; decides GPU pool flavours, storage defaults and what the preflight looks for. */
  provider: z.enum(CLUSTER_PROVIDERS),
  /** kubeconfig context to deploy to; unset means the current context. */
  context: nonEmptyString("a kubeconfig context name").optional(),
  /** IngressClass for anything the stack exposes; unset means nothing uses Ingress. */
  ingressClass: z.string().optional(),
  /** Gateway API GatewayClass for anything the stack exposes (no component reads it yet). */
  gatewayClass: dnsLabel("a GatewayClass name").optional(),
  /**
   * Operators the cluster already runs: the platform installs none of them, checks their CRDs before
   * deploying, and creates its own objects on top.
   */
  preinstalledOperators: z.array(checkedString<ClusterOperator>(), { error: "expected a list of operators" }).default([]),
  certManager: z
    .strictObject({
      version: z.string().optional(),
      namespace: z.string().default("cert-manager"),
      replicas: z.number().optional(),
    })
    .prefault({}),
  priorityClasses: z
    .strictObject({
      prefix: z.string().default("mlp"),
      servingValue: z.number().default(100000),
      notebooksValue: z.number().default(50000),
      trainingValue: z.number().default(10000),
    })
    .prefault({}),
});

export const cluster: Capability<"cluster", typeof clusterSection> = {
  key: "cluster",
  section: clusterSection,
  clusterRequirements: (config) =>
    config.cluster.preinstalledOperators.map((operator) => ({
      key: ["cluster", "preinstalledOperators"],
      because: `"${operator}" is declared preinstalled`,
      fix: "install the operator (its CRDs), or remove it from the list so the platform installs it",
      crds: OPERATOR_CRDS[operator],
    })),
  secrets: {
    kubeconfig: "the contents of a kubeconfig file, for deploying from CI: pulumi config set --secret kubeconfig < kubeconfig.yaml",
  },
  argPaths: [
    [/^preinstalledOperators\b/, "cluster.preinstalledOperators"],
    // cert-manager's replicas are the platform's unless the stack sets its own.
    [/^clusterBase\.certManager\.replicas$/, (stack) => (valueAt(stack, ["cluster", "certManager", "replicas"]) === undefined ? "availability.replicas" : "cluster.certManager.replicas")],
    [/^clusterBase\./, "cluster."],
  ],
};

const availabilitySection = z
  .strictObject({
    /** Replicas of every platform service that can run more than one (cert-manager, gateway, ...). */
    replicas: z.number(),
  })
  .prefault({ replicas: 1 });

export const availability: Capability<"availability", typeof availabilitySection> = {
  key: "availability",
  section: availabilitySection,
  presets: {
    local: { replicas: 1 },
    dev: { replicas: 1 },
    staging: { replicas: 2 },
    prod: { replicas: 2 },
  },
};

/** The cluster-wide part of MlPlatform's args: ClusterBase and the operators the cluster provides. */
export function clusterArgs(config: PlatformConfig): Pick<MlPlatformArgs, "clusterBase" | "preinstalledOperators"> {
  const { certManager, priorityClasses, preinstalledOperators } = config.cluster;
  return {
    clusterBase: {
      certManager: {
        namespace: certManager.namespace,
        replicas: certManager.replicas ?? config.availability.replicas,
        ...(certManager.version === undefined ? {} : { version: certManager.version }),
      },
      priorityClasses: { ...priorityClasses },
    },
    preinstalledOperators,
  };
}
