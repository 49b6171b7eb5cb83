/**
 * Kubeflow Notebooks (`mlops-platform:notebooks`): culling per environment, extra images and sizes, and
 * optional access from outside the cluster behind OIDC sign-in.
 */
import type { MlPlatformNotebookArgs } from "@mlops-platform/components";
import { z } from "zod";
import type { PlatformConfig } from "../config.js";
import type { Capability, PlatformSecrets } from "./capability.js";
import { flag } from "./fields.js";

// Culling, images, sizes and access are NotebookPlatform's and NotebookAccess's to check; what access
// needs from the stack (a host, an OIDC client, a way in) is checked here, across sections.
const notebooksSection = z
  .strictObject({
    enabled: flag().default(true),
    culling: z.strictObject({
      enabled: flag(),
      /** Minutes without kernel activity before a notebook is stopped. */
      idleMinutes: z.number(),
      checkPeriodMinutes: z.number().default(1),
    }),
    /** Images offered besides Kubeflow's three. */
    images: z
      .array(z.strictObject({ name: z.string(), image: z.string(), cuda: flag().default(false) }), { error: "expected a list of images" })
      .default([]),
    /** Sizes offered besides small, medium, large, gpu-1 and gpu-2. */
    sizes: z
      .array(z.strictObject({ name: z.string(), cpu: z.number(), memoryGiB: z.number(), gpus: z.number().default(0) }), { error: "expected a list of sizes" })
      .default([]),
    defaultWorkspaceGiB: z.number().default(10),
    /** A PodMonitor for the controller; unset: exactly when the Prometheus Operator is there. */
    podMonitor: flag().optional(),
    /** Notebooks from outside the cluster, behind OIDC sign-in; off means port-forward only. */
    access: z
      .strictObject({
        enabled: flag().default(false),
        host: z.string().optional(),
        /** Attach to this Gateway (Gateway API) instead of an Ingress of cluster.ingressClass. */
        gateway: z.strictObject({ name: z.string(), namespace: z.string() }).optional(),
        tlsSecretName: z.string().optional(),
        oidc: z.strictObject({ issuerUrl: z.string(), clientId: z.string() }).optional(),
      })
      .prefault({}),
  })
  // The preset always sets culling; the fallback only applies when the environment itself is invalid.
  .prefault({ culling: { enabled: true, idleMinutes: 60 } });

export const notebooks: Capability<"notebooks", typeof notebooksSection> = {
  key: "notebooks",
  section: notebooksSection,
  secrets: {
    notebookOidcClientSecret: "the OIDC client secret of notebook sign-in: pulumi config set --secret notebookOidcClientSecret <secret>",
    notebookCookieSecret:
      "oauth2-proxy's cookie secret, 16, 24 or 32 characters (generated when unset): pulumi config set --secret notebookCookieSecret <secret>",
  },
  clusterRequirements: (config) =>
    config.notebooks.access.enabled && config.notebooks.access.gateway !== undefined
      ? [
          {
            key: ["notebooks", "access", "gateway"],
            because: "notebooks are exposed through a Gateway (an HTTPRoute)",
            fix: "install the Gateway API CRDs and a Gateway controller, or expose notebooks through cluster.ingressClass instead",
            crds: ["httproutes.gateway.networking.k8s.io"],
          },
        ]
      : [],
  argPaths: [
    [/^notebooks\.extraImages\b/, "notebooks.images"],
    [/^notebooks\.extraSizes\b/, "notebooks.sizes"],
    [/^notebooks\.access\.oidcIssuerUrl$/, "notebooks.access.oidc.issuerUrl"],
    [/^notebooks\.access\.oidcClientId$/, "notebooks.access.oidc.clientId"],
    [/^notebooks\.access\.ingressClassName$/, "cluster.ingressClass"],
    [/^notebooks\.access\.gatewayName$/, "notebooks.access.gateway.name"],
    [/^notebooks\.access\.gatewayNamespace$/, "notebooks.access.gateway.namespace"],
  ],
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

export function notebookArgs(config: PlatformConfig, secrets: PlatformSecrets): MlPlatformNotebookArgs {
  const section = config.notebooks;
  return {
    enabled: section.enabled,
    culling: section.culling,
    extraImages: section.images,
    extraSizes: section.sizes,
    defaultWorkspaceGiB: section.defaultWorkspaceGiB,
    ...(section.podMonitor !== undefined ? { podMonitor: section.podMonitor } : {}),
    ...notebookAccessArgs(config, secrets),
  };
}

function notebookAccessArgs(config: PlatformConfig, secrets: PlatformSecrets): Pick<MlPlatformNotebookArgs, "access"> {
  const { access } = config.notebooks;
  const { notebookOidcClientSecret: oidcClientSecret, notebookCookieSecret: cookieSecret } = secrets;
  const ingressClassName = config.cluster.ingressClass;
  // What access needs from the stack is checked across sections (capability check): without it, no access.
  if (!access.enabled || access.host === undefined || access.oidc === undefined || oidcClientSecret === undefined) return {};
  if (access.gateway === undefined && ingressClassName === undefined) return {};
  return {
    access: {
      host: access.host,
      oidcIssuerUrl: access.oidc.issuerUrl,
      oidcClientId: access.oidc.clientId,
      oidcClientSecret,
      ...(cookieSecret !== undefined ? { cookieSecret } : {}),
      ...(access.gateway
        ? { gatewayName: access.gateway.name, gatewayNamespace: access.gateway.namespace }
        : ingressClassName !== undefined
          ? { ingressClassName }
          : {}),
      ...(access.tlsSecretName !== undefined ? { tlsSecretName: access.tlsSecretName } : {}),
    },
  };
}
