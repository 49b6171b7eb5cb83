/**
 * The cluster the platform lands on (`mlops-platform:cluster`) and platform-wide availability
 * (`mlops-platform:availability`): cert-manager, PriorityClasses and the replicas of every service.
 */
import { ClusterOperator, OPERATOR_CRDS, type MlPlatformArgs } from "@mlops-platform/components";
import { z } from "zod";
import type { PlatformConfig } from "../config.js";
import type { Capability } from "./capability.js";
import { dnsLabel, exactVersion, nonEmptyString, positiveInt } from "./fields.js";

export const CLUSTER_PROVIDERS = ["aws", "azure", "gcp", "kind"] as const;

const priorityValue = () =>
  z
    .int({ error: "expected a whole number from 0 to 1000000000" })
    .min(0, { error: "expected a whole number from 0 to 1000000000" })
    .max(1_000_000_000, { error: "expected a whole number from 0 to 1000000000" });

const clusterSection = z.strictObject({
  /** Where the cluster runs; decides GPU pool flavours and storage defaults. */
  provider: z.enum(CLUSTER_PROVIDERS),
  /** kubeconfig context to deploy to; unset means the current context. */
  context: nonEmptyString("a kubeconfig context name").optional(),
  /** IngressClass for anything the stack exposes; unset means nothing uses Ingress. */
  ingressClass: dnsLabel("an IngressClass name").optional(),
  /** Gateway API GatewayClass for anything the stack exposes. */
  gatewayClass: dnsLabel("a GatewayClass name").optional(),
  /**
   * Operators the cluster already runs: the platform installs none of them, checks their CRDs before
   * deploying, and creates its own objects on top.
   */
  preinstalledOperators: z
    .array(z.enum(ClusterOperator), { error: "expected a list of operators" })
    .refine((list) => new Set(list).size === list.length, { error: "expected each operator once" })
    .default([]),
  certManager: z
    .strictObject({
      version: exactVersion().optional(),
      namespace: dnsLabel("a namespace name").default("cert-manager"),
      replicas: positiveInt().optional(),
    })
    .prefault({}),
  priorityClasses: z
    .strictObject({
      prefix: dnsLabel("a name prefix").default("mlp"),
      servingValue: priorityValue().default(100000),
      notebooksValue: priorityValue().default(50000),
      trainingValue: priorityValue().default(10000),
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
    [/^clusterBase\./, "cluster."],
  ],
};

const availabilitySection = z
  .strictObject({
    /** Replicas of every platform service that can run more than one (cert-manager, gateway, ...). */
    replicas: positiveInt(),
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
