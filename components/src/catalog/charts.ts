/**
 * The data catalog's charts, pinned, and their values: OpenMetadata on the catalog's PostgreSQL with the
 * Kubernetes-native ingestion (no Airflow), and one OpenSearch node for its search. Pure functions of the
 * plan; no secret passes through here (the values name Secrets).
 */
import type { HelmChartPin } from "../common/helm.js";
import type { DataCatalogPlan } from "./data-catalog.js";

/**
 * OpenMetadata's chart, pinned: 1.13.3 installs OpenMetadata server 1.13.3 (the chart's appVersion follows
 * the server's). The chart moved from 1.12 to 1.13 in 2026; later 1.13 patches (1.13.6 seen) exist: check
 * `helm search repo open-metadata/openmetadata --versions` before bumping, and keep the ingestion image
 * below at the same version.
 */
export const OPENMETADATA_CHART: HelmChartPin = { chart: "openmetadata", repository: "https://helm.open-metadata.org/", version: "1.13.3" };
/**
 * OpenSearch's chart, pinned to the version OpenMetadata's own dependency chart (openmetadata-dependencies)
 * installs, so the search engine is one OpenMetadata is released against.
 */
export const OPENSEARCH_CHART: HelmChartPin = { chart: "opensearch", repository: "https://opensearch-project.github.io/helm-charts/", version: "3.3.2" };
/** The image ingestion Jobs run in (and the catalog reconciler: it has Python), the server's version. */
export const OPENMETADATA_INGESTION_IMAGE = "docker.getcollate.io/openmetadata/ingestion-base:1.13.3";

/** Names the charts' objects get: the Services the server and the reconciler call. */
export const OPENMETADATA_SERVICE = "openmetadata";
export const OPENMETADATA_PORT = 8585;
export const OPENSEARCH_SERVICE = "opensearch";
export const OPENSEARCH_PORT = 9200;
/** The Secrets the values name. */
export const CATALOG_SECRETS = {
  /** The admin's password (key `password`), the reconciler signs in with it. */
  admin: "openmetadata-admin",
  /** The Fernet key OpenMetadata encrypts stored connection passwords with (key `fernet-key`). */
  fernet: "openmetadata-fernet",
  /** The OIDC client's id and secret, when the catalog is exposed. */
  oidc: "openmetadata-oidc",
} as const;
/** ServiceAccount of the ingestion Jobs (the chart creates it and its RBAC). */
export const INGESTION_SERVICE_ACCOUNT = "openmetadata-ingestion";

/** OpenMetadata's values (keys from the chart's values.yaml). */
export function openMetadataValues(plan: DataCatalogPlan): Record<string, unknown> {
  const apiEndpoint = `http://${OPENMETADATA_SERVICE}.${plan.namespace}.svc:${OPENMETADATA_PORT}/api`;
  const access = plan.access;
  return {
    replicaCount: plan.replicas,
    image: { tag: plan.version },
    resources: { requests: { cpu: "500m", memory: "1536Mi" }, limits: { cpu: "2", memory: "3Gi" } },
    openmetadata: {
      config: {
        clusterName: "mlops-platform",
        elasticsearch: { host: OPENSEARCH_SERVICE, searchType: "opensearch", port: OPENSEARCH_PORT, scheme: "http", auth: { enabled: false } },
        database: {
          host: plan.database.host,
          port: plan.database.port,
          // The PostgreSQL driver and scheme: the chart's defaults are MySQL's.
          driverClass: "org.postgresql.Driver",
          dbScheme: "postgresql",
          databaseName: plan.database.database,
          auth: { username: plan.database.username, password: { secretRef: plan.database.secretName, secretKey: "password" } },
          // CloudNativePG serves TLS only; the certificate is its own CA's, so encrypted without verification.
          dbParams: "sslmode=require",
        },
        pipelineServiceClientConfig: {
          enabled: true,
          // Ingestion as Kubernetes Jobs and CronJobs in the catalog's namespace: no Airflow.
          type: "k8s",
          metadataApiEndpoint: apiEndpoint,
          k8s: {
            namespace: plan.namespace,
            ingestionImage: plan.ingestionImage,
            serviceAccountName: INGESTION_SERVICE_ACCOUNT,
            useOMJobOperator: false,
            resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "2Gi" } },
            securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          },
        },
        authorizer: { initialAdmins: ["admin"], principalDomain: "open-metadata.org", allowedEmailRegistrationDomains: ["all"] },
        authentication: access
          ? {
              // Signed in through the organisation's OIDC provider: a confidential client, the server holds the secret.
              provider: "custom-oidc",
              clientType: "confidential",
              authority: access.oidcIssuerUrl,
              clientId: access.oidcClientId,
              callbackUrl: `https://${access.host}/callback`,
              // The server signs the sessions it opens after the OIDC sign-in with its own keys.
              publicKeys: [`${apiEndpoint}/v1/system/config/jwks`],
              enableSelfSignup: true,
              oidcConfiguration: {
                enabled: true,
                oidcType: "custom",
                clientId: { secretRef: CATALOG_SECRETS.oidc, secretKey: "client-id" },
                clientSecret: { secretRef: CATALOG_SECRETS.oidc, secretKey: "client-secret" },
                discoveryUri: `${access.oidcIssuerUrl.replace(/\/$/, "")}/.well-known/openid-configuration`,
                callbackUrl: `https://${access.host}/callback`,
                serverUrl: `https://${access.host}`,
              },
            }
          : { provider: "basic", enableSelfSignup: false },
        fernetkey: { value: "", secretRef: CATALOG_SECRETS.fernet, secretKey: "fernet-key" },
      },
    },
    ingress: access
      ? {
          enabled: true,
          className: access.ingressClassName,
          hosts: [{ host: access.host, paths: [{ path: "/", pathType: "Prefix" }] }],
          tls: access.tlsSecretName ? [{ secretName: access.tlsSecretName, hosts: [access.host] }] : [],
        }
      : { enabled: false },
  };
}

/** One OpenSearch node (values from the opensearch chart's values.yaml, as openmetadata-dependencies sets them). */
export function openSearchValues(plan: DataCatalogPlan): Record<string, unknown> {
  return {
    clusterName: OPENSEARCH_SERVICE,
    fullnameOverride: OPENSEARCH_SERVICE,
    nodeGroup: "",
    singleNode: true,
    replicas: 1,
    opensearchJavaOpts: "-Xms1g -Xmx1g",
    // Reached only by the catalog inside its namespace; its security plugin would need certificates of its own.
    config: { "opensearch.yml": "plugins.security.disabled: true\n" },
    extraEnvs: [{ name: "DISABLE_INSTALL_DEMO_CONFIG", value: "true" }],
    persistence: { enabled: true, size: `${plan.searchStorageGiB}Gi` },
    resources: { requests: { cpu: "250m", memory: "2Gi" }, limits: { cpu: "2", memory: "2Gi" } },
    // A single node is not a quorum: the chart's PodDisruptionBudget would block every node drain.
    podDisruptionBudget: { enabled: false },
  };
}
