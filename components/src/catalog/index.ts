/**
 * Data catalog: `CatalogDatabase`, the catalog's PostgreSQL on the shared PostgresCluster, created with the
 * SQL the package ships (extensions, the platform schema, the analysts' read-only role).
 */
export { CATALOG_NAMESPACE, CatalogDatabase, type CatalogDatabaseArgs } from "./catalog-database.js";
export {
  DataCatalog,
  type DataCatalogAccessArgs,
  type DataCatalogArgs,
  type DataCatalogDatabaseArgs,
  type DataCatalogSourceArgs,
  type DataCatalogTeamArgs,
} from "./data-catalog.js";
