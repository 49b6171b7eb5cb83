/**
 * The cluster the platform lands on (`mlops-platform:cluster`) and platform-wide availability
 * (`mlops-platform:availability`): cert-manager, PriorityClasses and the replicas of every service.
 */
import type { ClusterBaseArgs } from "@mlops-platform/components";
import { z } from "zod";
import type { PlatformConfig } from "../config.js";
import type { Capability } from "./capability.js";
import { dnsLabel, exactVersion, flag, nonEmptyString, positiveInt } from "./fields.js";

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
  certManager: z
    .strictObject({
      enabled: flag().default(true),
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

export function clusterBaseArgs(config: PlatformConfig): ClusterBaseArgs {
  const { certManager, priorityClasses } = config.cluster;
  return {
    certManager: {
      enabled: certManager.enabled,
      namespace: certManager.namespace,
      replicas: certManager.replicas ?? config.availability.replicas,
      ...(certManager.version === undefined ? {} : { version: certManager.version }),
    },
    priorityClasses: { ...priorityClasses },
  };
}
