/**
 * The data catalog (`mlops-platform:catalog`): its PostgreSQL, sized, spread, protected and backed up per
 * environment. The catalog's database is the safest thing in the cluster: from staging on it is protected,
 * backed up on a schedule and archives WAL, and a stack option restores it to a point in time.
 */
import type { MlPlatformCatalogArgs, PodAntiAffinity } from "@mlops-platform/components";
import { z } from "zod";
import type { PlatformConfig } from "../config.js";
import { backupArgs, backupSection, BACKUP_REQUIRED, recoverySection } from "./backup.js";
import type { Capability, PlatformSecrets } from "./capability.js";
import { checkedString, flag } from "./fields.js";

// Sizes, the anti-affinity's values, backups and recovery are CatalogDatabase's and PostgresCluster's to
// check; the stack keeps its shape and what an environment requires.
const catalogSection = z
  .strictObject({
    /** The data catalog and its database. */
    enabled: flag().default(false),
    database: z
      .strictObject({
        instances: z.number(),
        storageGiB: z.number(),
        memoryMiB: z.number(),
        cpuRequestCores: z.number().optional(),
        cpuLimitCores: z.number().optional(),
        storageClass: z.string().optional(),
        /** preferred or required: whether two instances may ever share a node. */
        podAntiAffinity: checkedString<PodAntiAffinity>(),
        /** Keep the database, its volumes, password and backups' store when the stack or the resource goes away. */
        protect: flag(),
        backup: backupSection.optional(),
        /** Create the database from its backups, up to a point in time (docs/runbooks.md: disaster recovery). */
        recovery: recoverySection.optional(),
      })
      .prefault({ instances: 1, storageGiB: 10, memoryMiB: 1024, podAntiAffinity: "preferred" as PodAntiAffinity, protect: false }),
    /** The catalog service (OpenMetadata, one OpenSearch node, Kubernetes-native ingestion) on that database. */
    service: z
      .strictObject({
        enabled: flag().default(true),
        /** Groups owning the platform's own databases in the catalog (its team "platform"). */
        platformOwners: z.array(z.string(), { error: "expected a list of group names" }).optional(),
        replicas: z.number().optional(),
        searchStorageGiB: z.number().optional(),
        version: z.string().optional(),
        /** The catalog from outside the cluster, behind OIDC sign-in; off means port-forward only. */
        access: z
          .strictObject({
            enabled: flag().default(false),
            host: z.string().optional(),
            tlsSecretName: z.string().optional(),
            oidc: z.strictObject({ issuerUrl: z.string(), clientId: z.string() }).optional(),
          })
          .prefault({}),
      })
      .prefault({}),
  })
  .prefault({});

const database = (instances: number, storageGiB: number, memoryMiB: number, podAntiAffinity: string, protect: boolean, searchStorageGiB: number) => ({
  database: { instances, storageGiB, memoryMiB, podAntiAffinity, protect },
  service: { searchStorageGiB },
});

export const catalog: Capability<"catalog", typeof catalogSection> = {
  key: "catalog",
  section: catalogSection,
  secrets: {
    catalogDatabasePassword:
      "the password of the catalog database's owner (generated when unset): pulumi config set --secret catalogDatabasePassword <password>",
    catalogAdminPassword: "the password of the catalog's admin (generated when unset): pulumi config set --secret catalogAdminPassword <password>",
    catalogOidcClientSecret: "the OIDC client secret of catalog sign-in: pulumi config set --secret catalogOidcClientSecret <secret>",
  },
  argPaths: [
    [/^catalog\.service\.access\.oidcIssuerUrl$/, "catalog.service.access.oidc.issuerUrl"],
    [/^catalog\.service\.access\.oidcClientId$/, "catalog.service.access.oidc.clientId"],
    [/^catalog\.service\.access\.ingressClassName$/, "cluster.ingressClass"],
  ],
  // A laptop and dev keep one small instance; staging and prod a replica per zone of failure, protected.
  presets: {
    local: database(1, 5, 1024, "preferred", false, 5),
    dev: database(1, 10, 1024, "preferred", false, 10),
    staging: database(2, 20, 2048, "preferred", true, 20),
    prod: database(3, 50, 4096, "required", true, 30),
  },
  check(config, report) {
    const db = config.catalog.database;
    // Governed data is never lost: outside a laptop the catalog's database is always backed up.
    if (config.catalog.enabled && db.backup === undefined && config.environment !== "local") {
      report(["catalog", "database", "backup"], `required in ${config.environment}: ${BACKUP_REQUIRED}`);
    }
    if (config.catalog.enabled && !db.protect && (config.environment === "staging" || config.environment === "prod")) {
      report(["catalog", "database", "protect"], `must be true in ${config.environment}: the catalog's database is never deleted with the stack`);
    }
    // Exposed only behind the organisation's sign-in, as notebooks are.
    const access = config.catalog.service.access;
    if (config.catalog.enabled && access.enabled) {
      if (access.host === undefined) report(["catalog", "service", "access", "host"], "required when access is enabled");
      if (access.oidc === undefined) report(["catalog", "service", "access", "oidc"], "required when access is enabled: issuerUrl, clientId");
      if (config.cluster.ingressClass === undefined) report(["cluster", "ingressClass"], "required when catalog.service.access is enabled: the catalog is exposed through an Ingress");
    }
  },
};

/** The catalog section of MlPlatformArgs; undefined when the stack runs no catalog. */
export function catalogArgs(config: PlatformConfig, secrets: PlatformSecrets): MlPlatformCatalogArgs | undefined {
  if (!config.catalog.enabled) return undefined;
  const { backup, recovery, ...db } = config.catalog.database;
  const { access, ...service } = config.catalog.service;
  const oidcClientSecret = secrets["catalogOidcClientSecret"];
  const ingressClassName = config.cluster.ingressClass;
  // What access needs is checked above and in parsePlatformConfig (the secret): without it, no access.
  const exposed = access.enabled && access.host !== undefined && access.oidc !== undefined && oidcClientSecret !== undefined && ingressClassName !== undefined;
  return {
    database: {
      ...db,
      ...(secrets["catalogDatabasePassword"] !== undefined ? { password: secrets["catalogDatabasePassword"] } : {}),
      ...(backup ? { backup: backupArgs(backup, secrets) } : {}),
      ...(recovery ? { recovery } : {}),
    },
    service: {
      ...service,
      // The server is stateless: as many replicas as every other service of the environment.
      replicas: service.replicas ?? config.availability.replicas,
      ...(secrets["catalogAdminPassword"] !== undefined ? { adminPassword: secrets["catalogAdminPassword"] } : {}),
      ...(exposed
        ? {
            access: {
              host: access.host!,
              ingressClassName: ingressClassName!,
              oidcIssuerUrl: access.oidc!.issuerUrl,
              oidcClientId: access.oidc!.clientId,
              oidcClientSecret: oidcClientSecret!,
              ...(access.tlsSecretName !== undefined ? { tlsSecretName: access.tlsSecretName } : {}),
            },
          }
        : {}),
    },
  };
}
