/**
 * Kubeflow Notebooks (`mlops-platform:notebooks`): culling per environment, extra images and sizes, and
 * optional access from outside the cluster behind OIDC sign-in.
 */
import type { MlPlatformNotebookArgs } from "@mlops-platform/components";
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { PlatformConfig } from "../config.js";
import type { Capability } from "./capability.js";
import { dnsLabel, flag, hostName, nonEmptyString, nonNegativeInt, pinnedImage, positiveInt, positiveNumber } from "./fields.js";

const notebooksSection = z
  .strictObject({
    enabled: flag().default(true),
    culling: z.strictObject({
      enabled: flag(),
      /** Minutes without kernel activity before a notebook is stopped. */
      idleMinutes: positiveInt(),
      checkPeriodMinutes: positiveInt().default(1),
    }),
    /** Images offered besides Kubeflow's three. */
    images: z
      .array(z.strictObject({ name: dnsLabel("an image name"), image: pinnedImage(), cuda: flag().default(false) }), {
        error: "expected a list of images",
      })
      .default([]),
    /** Sizes offered besides small, medium, large, gpu-1 and gpu-2. */
    sizes: z
      .array(z.strictObject({ name: dnsLabel("a size name"), cpu: positiveNumber(), memoryGiB: positiveNumber(), gpus: nonNegativeInt().default(0) }), {
        error: "expected a list of sizes",
      })
      .default([]),
    defaultWorkspaceGiB: positiveInt().default(10),
    /** Needs the Prometheus Operator's CRDs in the cluster. */
    podMonitor: flag().default(true),
    /** Notebooks from outside the cluster, behind OIDC sign-in; off means port-forward only. */
    access: z
      .strictObject({
        enabled: flag().default(false),
        host: hostName().optional(),
        /** Attach to this Gateway (Gateway API) instead of an Ingress of cluster.ingressClass. */
        gateway: z.strictObject({ name: dnsLabel("a Gateway name"), namespace: dnsLabel("a namespace name") }).optional(),
        tlsSecretName: dnsLabel("a Secret name").optional(),
        oidc: z
          .strictObject({
            issuerUrl: z.string({ error: "expected the issuer's https:// URL" }).regex(/^https:\/\/\S+$/, { error: "expected the issuer's https:// URL" }),
            clientId: nonEmptyString("the OIDC client id"),
          })
          .optional(),
      })
      .prefault({}),
  })
  // The preset always sets culling; the fallback only applies when the environment itself is invalid.
  .prefault({ culling: { enabled: true, idleMinutes: 60 } });

export const notebooks: Capability<"notebooks", typeof notebooksSection> = {
  key: "notebooks",
  section: notebooksSection,
  presets: {
    local: { culling: { enabled: true, idleMinutes: 30 } },
    dev: { culling: { enabled: true, idleMinutes: 30 } },
    staging: { culling: { enabled: true, idleMinutes: 60 } },
    prod: { culling: { enabled: true, idleMinutes: 120 } },
  },
  check(config, report) {
    const access = config.notebooks.access;
    if (!access.enabled) return;
    if (access.host === undefined) report(["notebooks", "access", "host"], "required when access is enabled");
    if (access.oidc === undefined) report(["notebooks", "access", "oidc"], "required when access is enabled: issuerUrl, clientId");
    if (access.gateway === undefined && config.cluster.ingressClass === undefined) {
      report(
        ["notebooks", "access", "gateway"],
        "required when access is enabled and cluster.ingressClass is not set: expose through a Gateway or an IngressClass",
      );
    }
  },
};

export function notebookArgs(config: PlatformConfig, oidcClientSecret: pulumi.Input<string> | undefined): MlPlatformNotebookArgs {
  const section = config.notebooks;
  return {
    enabled: section.enabled,
    culling: section.culling,
    extraImages: section.images,
    extraSizes: section.sizes,
    defaultWorkspaceGiB: section.defaultWorkspaceGiB,
    podMonitor: section.podMonitor,
    ...notebookAccessArgs(config, oidcClientSecret),
  };
}

function notebookAccessArgs(config: PlatformConfig, oidcClientSecret: pulumi.Input<string> | undefined): Pick<MlPlatformNotebookArgs, "access"> {
  const { access } = config.notebooks;
  // Validation guarantees host, oidc and the secret when access is enabled.
  if (!access.enabled || !access.host || !access.oidc || oidcClientSecret === undefined) return {};
  const ingressClassName = config.cluster.ingressClass;
  return {
    access: {
      host: access.host,
      oidcIssuerUrl: access.oidc.issuerUrl,
      oidcClientId: access.oidc.clientId,
      oidcClientSecret,
      ...(access.gateway
        ? { gatewayName: access.gateway.name, gatewayNamespace: access.gateway.namespace }
        : ingressClassName !== undefined
          ? { ingressClassName }
          : {}),
      ...(access.tlsSecretName ? { tlsSecretName: access.tlsSecretName } : {}),
    },
  };
}
