/**
 * The catalog capability as its tests see it: the public API, and the internal SQL loader and builders
 * the tests check directly (unsupported entry point).
 */
export * from "@mlops-platform/components";
export { CATALOG_READONLY_ROLE, catalogSqlFiles, planCatalogDatabase } from "@mlops-platform/components/internal";
