/**
 * The children every PostgreSQL of the platform shares, and the catalog's database: CloudNativePG (unless
 * the cluster runs it), once for all databases, and the CatalogDatabase.
 */
import { CATALOG_NAMESPACE, planCatalogDatabase } from "../catalog/catalog-database.js";
import { ClusterOperator } from "../cluster/operators.js";
import { CNPG_NAMESPACE, planCloudNativePgOperator } from "../database/cnpg-operator.js";
import { child } from "./child-spec.js";
import type { PlatformChildren } from "./children.js";
import type { MlPlatformPlan } from "./plan.js";

export function databaseChildren(name: string, plan: MlPlatformPlan): Pick<PlatformChildren, "cnpg" | "catalogDatabase"> {
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
  return { ...(cnpg ? { cnpg } : {}), ...(catalogDatabase ? { catalogDatabase } : {}) };
}
