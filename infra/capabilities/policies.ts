/**
 * Settings of the policy pack that depend on the cluster (`mlops-platform:policies`).
 */
import { z } from "zod";
import type { Capability } from "./capability.js";
import { dnsLabel } from "./fields.js";

const policiesSection = z
  .strictObject({
    /** Services allowed to be LoadBalancer or NodePort, as `namespace/name`. */
    allowedExternalServices: z
      .array(
        z.string({ error: 'expected "namespace/name"' }).regex(/^[a-z0-9-]+\/[a-z0-9.-]+$/, { error: 'expected "namespace/name"' }),
        { error: "expected a list of namespace/name" },
      )
      .default([]),
    /** Namespaces where privileged pods and GPU tolerations are expected (system agents). */
    systemNamespaces: z.array(dnsLabel("a namespace name"), { error: "expected a list of namespace names" }).optional(),
  })
  .prefault({});

export const policies: Capability<"policies", typeof policiesSection> = {
  key: "policies",
  section: policiesSection,
};
