/**
 * The children every PostgreSQL of the platform shares, and the catalog's database: CloudNativePG (unless
 * the cluster runs it), once for all databases, and the CatalogDatabase.
 */
import { CATALOG_DB, CATALOG_NAMESPACE, planCatalogDatabase } from "../catalog/catalog-database.js";
import { planDataCatalog } from "../catalog/data-catalog.js";
import { GATEWAY_NAMESPACE } from "../gateway/ai-gateway.js";
import { ClusterOperator } from "../cluster/operators.js";
import { CNPG_NAMESPACE, planCloudNativePgOperator } from "../database/cnpg-operator.js";
import { child } from "./child-spec.js";
import type { PlatformChildren } from "./children.js";
import type { MlPlatformPlan } from "./plan.js";

/** The team that owns the platform's own databases in the catalog. */
export const PLATFORM_CATALOG_TEAM = "platform";
/** Stands in for a database password, only known once its database is created; the checks do not judge it. */
const PASSWORD_PLACEHOLDER = "<the database's password>";

export function databaseChildren(name: string, plan: MlPlatformPlan): Pick<PlatformChildren, "cnpg" | "catalogDatabase" | "dataCatalog"> {
  const cnpg = plan.installs.has(ClusterOperator.CloudNativePg)
    ? child(
        "CloudNativePgOperator",
        `${name}-cnpg`,
        { namespace: CNPG_NAMESPACE, barmanCloudPlugin: plan.installs.has(ClusterOperator.BarmanCloudPlugin) },
        [],
        plan.gateway?.args.database ? "gateway.database" : "catalog.database",
        planCloudNativePgOperator,
      )
    : undefined;
  const catalog = plan.catalog?.args;
  const catalogDatabase = catalog
    ? child(
        "CatalogDatabase",
        `${name}-catalog-db`,
        { ...catalog.database, podMonitor: plan.monitors.catalogDatabase, namespace: CATALOG_NAMESPACE },
        [[/^namespace$/, "catalog.database"]],
        "catalog.database",
        planCatalogDatabase,
      )
    : undefined;
  const service = catalog?.service ?? {};
  const dataCatalog =
    catalog && (service.enabled ?? true)
      ? (() => {
          const { enabled: _enabled, platformOwners, ...serviceArgs } = service;
          const source = (sourceName: string, host: string, database: string, username: string, description: string) => ({
            name: sourceName,
            host,
            port: 5432,
            database,
            username,
            password: PASSWORD_PLACEHOLDER,
            ownerTeam: PLATFORM_CATALOG_TEAM,
            description,
          });
          return child(
            "DataCatalog",
            `${name}-catalog`,
            {
              ...serviceArgs,
              namespace: CATALOG_NAMESPACE,
              database: { host: `${CATALOG_DB.clusterName}-rw.${CATALOG_NAMESPACE}.svc`, port: 5432, database: CATALOG_DB.database, username: CATALOG_DB.owner, secretName: `${CATALOG_DB.clusterName}-app-user` },
              teams: [
                { name: PLATFORM_CATALOG_TEAM, owners: platformOwners ?? ["platform-admins"] },
                ...plan.teams.map((team) => ({ name: team.name, owners: team.args.owners, members: team.args.members ?? [] })),
              ],
              sources: [
                source("catalog_db", `${CATALOG_DB.clusterName}-rw.${CATALOG_NAMESPACE}.svc`, CATALOG_DB.database, CATALOG_DB.owner, "The data catalog's own metadata (OpenMetadata), and the platform schema's sensitivity levels."),
                ...(plan.gateway?.args.database ? [source("gateway_db", `gateway-db-rw.${GATEWAY_NAMESPACE}.svc`, "litellm", "litellm", "The AI gateway's teams, keys and spend (LiteLLM).")] : []),
              ],
            },
            [
              [/^(namespace|database)\b.*$/, "catalog.service"],
              [/^teams\[(\d+)\]\.name$/, (_all, index) => (Number(index) === 0 ? "catalog.service.platformOwners" : `teams[${Number(index) - 1}].name`)],
              [/^sources\b.*$/, "catalog.service"],
            ],
            "catalog.service",
            planDataCatalog,
          );
        })()
      : undefined;
  return { ...(cnpg ? { cnpg } : {}), ...(catalogDatabase ? { catalogDatabase } : {}), ...(dataCatalog ? { dataCatalog } : {}) };
}
