/**
 * The catalog capability as its tests see it: the public API, and the internal SQL loader and builders
 * the tests check directly (unsupported entry point).
 */
export * from "@mlops-platform/components";
export {
  CATALOG_READONLY_ROLE,
  CATALOG_RECONCILER_SCRIPT,
  catalogSqlFiles,
  desiredCatalog,
  desiredCatalogJson,
  OPENMETADATA_CHART,
  OPENMETADATA_INGESTION_IMAGE,
  OPENSEARCH_CHART,
  openMetadataValues,
  openSearchValues,
  planCatalogDatabase,
  planDataCatalog,
  SENSITIVITY_LEVELS,
} from "@mlops-platform/components/internal";
