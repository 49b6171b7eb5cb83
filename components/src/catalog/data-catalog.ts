import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { argumentProblems, typeToken } from "../common/component.js";
import { suppliedOrGeneratedSecret } from "../common/generated-secret.js";
import { isExactChartVersion } from "../common/helm.js";
import { isDnsLabel, isDnsSubdomain, isPinnedImage, platformLabels } from "../common/kubernetes.js";
import { CATALOG_NAMESPACE } from "./catalog-database.js";
import {
  catalogDesiredConfigMap,
  catalogReconcilerCronJob,
  catalogReconcilerJob,
  catalogReconcilerNetworkPolicy,
  catalogReconcilerServiceAccount,
  catalogScriptConfigMap,
  CATALOG_SOURCES_SECRET,
} from "./catalog-reconciler-manifests.js";
import {
  CATALOG_SECRETS,
  OPENMETADATA_CHART,
  OPENMETADATA_INGESTION_IMAGE,
  OPENMETADATA_PORT,
  OPENMETADATA_SERVICE,
  OPENSEARCH_CHART,
  openMetadataValues,
  openSearchValues,
} from "./charts.js";

/** The catalog's own PostgreSQL, as CatalogDatabase outputs it. */
export interface DataCatalogDatabaseArgs {
  /** Read-write Service of the primary, e.g. `catalog-db-rw.mlp-catalog.svc`. */
  host: string;
  /**
   * PostgreSQL's port.
   * @default 5432
   */
  port?: number;
  /** The catalog's database. */
  database: string;
  /** The role the catalog connects as (the database's owner). */
  username: string;
  /** `kubernetes.io/basic-auth` Secret in the catalog's namespace with the owner's `password`. */
  secretName: string;
}

/** A team of the platform: it becomes a team of the catalog, which can own datasets. */
export interface DataCatalogTeamArgs {
  /** The team's name, a DNS label. */
  name: string;
  /** Groups of the team's owners. */
  owners: string[];
  /**
   * Groups of the team's members.
   * @default []
   */
  members?: string[];
}

/** A PostgreSQL database whose schemas the catalog ingests, owned by a team. */
export interface DataCatalogSourceArgs {
  /** Name of the database service in the catalog: lower-case letters, digits and `_`. */
  name: string;
  /** Host the ingestion Jobs connect to, e.g. `gateway-db-rw.mlp-gateway.svc`. */
  host: string;
  /**
   * PostgreSQL's port.
   * @default 5432
   */
  port?: number;
  /** The database to ingest. */
  database: string;
  /** A role that can read the database's catalog (its schemas, tables and columns). */
  username: string;
  /** That role's password: a Pulumi secret. */
  password: pulumi.Input<string>;
  /** The team (of `teams`) that owns the database: every schema and table inherits it. */
  ownerTeam: string;
  /**
   * What the database holds, shown in the catalog.
   * @default none
   */
  description?: string;
  /**
   * When its metadata is ingested again, in crontab's five fields.
   * @default "0 * * * *" (hourly)
   */
  schedule?: string;
}

/** How the catalog is reached from outside the cluster: always behind the organisation's OIDC sign-in. */
export interface DataCatalogAccessArgs {
  /** Public host name, e.g. `catalog.dev.example.com`. */
  host: string;
  /** IngressClass of the Ingress. */
  ingressClassName: string;
  /**
   * TLS Secret for the Ingress.
   * @default none (TLS terminated in front of the ingress controller)
   */
  tlsSecretName?: string;
  /** OIDC issuer, e.g. `https://login.example.com/realms/ml`. */
  oidcIssuerUrl: string;
  /** The OIDC client's id. */
  oidcClientId: string;
  /** The OIDC client's secret: a Pulumi secret. */
  oidcClientSecret: pulumi.Input<string>;
}

/**
 * The data catalog (OpenMetadata) on the catalog's PostgreSQL. Environments differ in `replicas`,
 * `searchStorageGiB` and `access` only.
 */
export interface DataCatalogArgs {
  /**
   * Namespace of the catalog; it must exist (pass it in `dependsOn`).
   * @default "mlp-catalog"
   */
  namespace?: string;
  /** The catalog's PostgreSQL. */
  database: DataCatalogDatabaseArgs;
  /**
   * The platform's teams: each becomes a catalog team (created in the cluster after the catalog is up).
   * @default []
   */
  teams?: DataCatalogTeamArgs[];
  /**
   * Databases whose schemas the catalog ingests, each owned by a team.
   * @default []
   */
  sources?: DataCatalogSourceArgs[];
  /**
   * Exposure outside the cluster, behind OIDC.
   * @default none (port-forward only)
   */
  access?: DataCatalogAccessArgs;
  /**
   * The catalog admin's password (user `admin`): the reconciler signs in with it.
   * @default a random 32-character password
   */
  adminPassword?: pulumi.Input<string>;
  /**
   * Exact OpenMetadata chart version (also the server's).
   * @default OPENMETADATA_CHART.version ("1.13.3")
   */
  version?: string;
  /**
   * Exact OpenSearch chart version.
   * @default OPENSEARCH_CHART.version ("3.3.2")
   */
  openSearchVersion?: string;
  /**
   * Image of the ingestion Jobs and the reconciler, pinned.
   * @default OPENMETADATA_INGESTION_IMAGE
   */
  ingestionImage?: string;
  /**
   * Replicas of the OpenMetadata server.
   * @default 1
   */
  replicas?: number;
  /**
   * Volume of the OpenSearch node, GiB (the search index: rebuilt from the database when lost).
   * @default 10
   */
  searchStorageGiB?: number;
}

/** DataCatalog args with defaults applied, checked. */
export interface DataCatalogPlan {
  namespace: string;
  database: { host: string; port: number; database: string; username: string; secretName: string };
  teams: Array<{ name: string; groups: string[] }>;
  sources: Array<{ name: string; host: string; port: number; database: string; username: string; ownerTeam: string; description: string; schedule: string }>;
  access?: { host: string; ingressClassName: string; tlsSecretName?: string; oidcIssuerUrl: string; oidcClientId: string };
  version: string;
  openSearchVersion: string;
  ingestionImage: string;
  replicas: number;
  searchStorageGiB: number;
}

const COMPONENT = "DataCatalog";
const SERVICE_NAME = /^[a-z][a-z0-9_]{0,63}$/;
export const DEFAULT_INGESTION_SCHEDULE = "0 * * * *";

/** Validates DataCatalog args (every problem at once) and applies defaults. */
export function planDataCatalog(name: string, args: DataCatalogArgs): DataCatalogPlan {
  const problems = argumentProblems(COMPONENT, name);
  const namespace = args.namespace ?? CATALOG_NAMESPACE;
  if (!isDnsLabel(namespace)) problems.add("namespace", namespace, "use a namespace name (a DNS label)");
  const db = args.database;
  if (!isDnsSubdomain(db.host)) problems.add("database.host", db.host, "use the database's Service host name");
  if (!isDnsSubdomain(db.secretName)) problems.add("database.secretName", db.secretName, "name the owner's basic-auth Secret");
  const teamNames = new Set<string>();
  const teams = (args.teams ?? []).map((team, i) => {
    if (!isDnsLabel(team.name)) problems.add(`teams[${i}].name`, team.name, "use a DNS label");
    else if (teamNames.has(team.name)) problems.add(`teams[${i}].name`, team.name, "give every catalog team a unique name");
    teamNames.add(team.name);
    return { name: team.name, groups: [...team.owners, ...(team.members ?? [])] };
  });
  const seen = new Set<string>();
  const sources = (args.sources ?? []).map((source, i) => {
    if (!SERVICE_NAME.test(source.name) || seen.has(source.name)) problems.add(`sources[${i}].name`, source.name, "use a unique name of lower-case letters, digits and '_'");
    seen.add(source.name);
    if (!teams.some((team) => team.name === source.ownerTeam)) {
      problems.add(`sources[${i}].ownerTeam`, source.ownerTeam, `name a team of teams: ${teams.map((team) => team.name).join(", ") || "(none)"}`);
    }
    const schedule = source.schedule ?? DEFAULT_INGESTION_SCHEDULE;
    if (schedule.trim().split(/\s+/).length !== 5) problems.add(`sources[${i}].schedule`, schedule, `use crontab's five fields, e.g. "${DEFAULT_INGESTION_SCHEDULE}"`);
    return {
      name: source.name,
      host: source.host,
      port: source.port ?? 5432,
      database: source.database,
      username: source.username,
      ownerTeam: source.ownerTeam,
      description: source.description ?? "",
      schedule,
    };
  });
  let access: DataCatalogPlan["access"];
  if (args.access !== undefined) {
    const a = args.access;
    if (!isDnsSubdomain(a.host)) problems.add("access.host", a.host, "use a host name, e.g. catalog.dev.example.com");
    if (!/^https:\/\/[^\s/]+/.test(a.oidcIssuerUrl)) problems.add("access.oidcIssuerUrl", a.oidcIssuerUrl, "use the issuer's https:// URL");
    if (a.oidcClientId.trim() === "") problems.add("access.oidcClientId", a.oidcClientId, "set the OIDC client id");
    access = {
      host: a.host,
      ingressClassName: a.ingressClassName,
      ...(a.tlsSecretName !== undefined ? { tlsSecretName: a.tlsSecretName } : {}),
      oidcIssuerUrl: a.oidcIssuerUrl,
      oidcClientId: a.oidcClientId,
    };
  }
  const version = args.version ?? OPENMETADATA_CHART.version;
  const openSearchVersion = args.openSearchVersion ?? OPENSEARCH_CHART.version;
  for (const [property, value, pin] of [
    ["version", version, OPENMETADATA_CHART.version],
    ["openSearchVersion", openSearchVersion, OPENSEARCH_CHART.version],
  ] as const) {
    if (!(isExactChartVersion(value) && !value.startsWith("v"))) problems.add(property, value, `use an exact chart version without "v", such as "${pin}"`);
  }
  const ingestionImage = args.ingestionImage ?? OPENMETADATA_INGESTION_IMAGE;
  if (!isPinnedImage(ingestionImage)) problems.add("ingestionImage", ingestionImage, "pin the image to a release tag or digest (not latest)");
  const replicas = args.replicas ?? 1;
  if (!(Number.isInteger(replicas) && replicas >= 1)) problems.add("replicas", replicas, "use a whole number of at least 1");
  const searchStorageGiB = args.searchStorageGiB ?? 10;
  if (!(Number.isInteger(searchStorageGiB) && searchStorageGiB >= 1)) problems.add("searchStorageGiB", searchStorageGiB, "use a whole number of GiB, at least 1");
  problems.throwIfAny();
  return {
    namespace,
    database: { host: db.host, port: db.port ?? 5432, database: db.database, username: db.username, secretName: db.secretName },
    teams,
    sources,
    ...(access ? { access } : {}),
    version,
    openSearchVersion,
    ingestionImage,
    replicas,
    searchStorageGiB,
  };
}

/**
 * The data catalog: OpenMetadata on the catalog's PostgreSQL, one OpenSearch node, ingestion as Kubernetes
 * Jobs (no Airflow). Reached by port-forward unless `access` exposes it, and then only behind OIDC. After
 * the server is up, a Job in the cluster (the catalog reconciler, in OpenMetadata's ingestion image) makes
 * the platform's teams the catalog's teams, creates the sensitivity classification and registers the
 * `sources` databases, each owned by its team, with an hourly metadata ingestion; a CronJob repeats it
 * hourly, so what a restore of the catalog's database took back is put back.
 */
export class DataCatalog extends pulumi.ComponentResource {
  /** In-cluster URL of the catalog's UI and API. */
  public readonly url: pulumi.Output<string>;
  /** The Job of the latest change of teams or sources (its logs say what it did). */
  public readonly reconcilerJobName: pulumi.Output<string>;

  constructor(name: string, args: DataCatalogArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken(COMPONENT), name, {}, opts);
    const plan = planDataCatalog(name, args);
    const metadata = (secretName: string) => ({ name: secretName, namespace: plan.namespace, labels: platformLabels("catalog") });

    const adminPassword = suppliedOrGeneratedSecret(args.adminPassword, `${name}-admin-password`, 32, { parent: this });
    const secrets: pulumi.Resource[] = [
      new k8s.core.v1.Secret(`${name}-admin`, { metadata: metadata(CATALOG_SECRETS.admin), stringData: { password: adminPassword } }, { parent: this }),
      // OpenMetadata encrypts the connection passwords it stores with it; the chart's default is public.
      new k8s.core.v1.Secret(
        `${name}-fernet`,
        {
          metadata: metadata(CATALOG_SECRETS.fernet),
          stringData: { "fernet-key": pulumi.secret(new random.RandomId(`${name}-fernet-key`, { byteLength: 32 }, { parent: this }).b64Url.apply((key) => `${key}=`)) },
        },
        { parent: this },
      ),
    ];
    if (args.access !== undefined) {
      secrets.push(
        new k8s.core.v1.Secret(
          `${name}-oidc`,
          {
            metadata: metadata(CATALOG_SECRETS.oidc),
            // The id is no secret: kept out of the secret stringData, so it is not masked wherever it appears.
            data: { "client-id": Buffer.from(args.access.oidcClientId).toString("base64") },
            stringData: { "client-secret": pulumi.secret(args.access.oidcClientSecret) },
          },
          { parent: this },
        ),
      );
    }
    const sources = new k8s.core.v1.Secret(
      `${name}-sources`,
      {
        metadata: metadata(CATALOG_SOURCES_SECRET),
        stringData: {
          "sources.json": pulumi.secret(
            pulumi
              .all((args.sources ?? []).map((source) => pulumi.all([source.name, source.username, source.password])))
              .apply((entries) => JSON.stringify(Object.fromEntries(entries.map(([source, username, password]) => [source, { username, password }])))),
          ),
        },
      },
      { parent: this },
    );

    const search = new k8s.helm.v4.Chart(
      `${name}-opensearch`,
      {
        name: OPENSEARCH_CHART.chart,
        chart: OPENSEARCH_CHART.chart,
        repositoryOpts: { repo: OPENSEARCH_CHART.repository },
        version: plan.openSearchVersion,
        namespace: plan.namespace,
        values: openSearchValues(plan),
      },
      { parent: this },
    );
    // A Release: the chart migrates the database in a Helm hook before the server starts.
    const server = new k8s.helm.v3.Release(
      `${name}-openmetadata`,
      {
        name: OPENMETADATA_SERVICE,
        chart: OPENMETADATA_CHART.chart,
        repositoryOpts: { repo: OPENMETADATA_CHART.repository },
        version: plan.version,
        namespace: plan.namespace,
        values: openMetadataValues(plan),
        atomic: true,
        timeout: 900,
      },
      { parent: this, dependsOn: [search, ...secrets] },
    );

    const account = new k8s.core.v1.ServiceAccount(`${name}-reconciler`, catalogReconcilerServiceAccount(plan) as k8s.core.v1.ServiceAccountArgs, { parent: this });
    const desired = new k8s.core.v1.ConfigMap(`${name}-desired`, catalogDesiredConfigMap(plan) as k8s.core.v1.ConfigMapArgs, { parent: this });
    const script = new k8s.core.v1.ConfigMap(`${name}-reconciler-script`, catalogScriptConfigMap(plan) as k8s.core.v1.ConfigMapArgs, { parent: this });
    const network = new k8s.networking.v1.NetworkPolicy(`${name}-reconciler`, catalogReconcilerNetworkPolicy(plan) as k8s.networking.v1.NetworkPolicyArgs, { parent: this });
    // After the server is up, from inside the cluster: nothing needs to reach the catalog from where pulumi up runs.
    const runsAfter = [server, account, desired, script, network, sources, ...secrets];
    const job = new k8s.batch.v1.Job(`${name}-teams`, catalogReconcilerJob(plan) as k8s.batch.v1.JobArgs, { parent: this, dependsOn: runsAfter });
    new k8s.batch.v1.CronJob(`${name}-teams-heal`, catalogReconcilerCronJob(plan) as k8s.batch.v1.CronJobArgs, { parent: this, dependsOn: runsAfter });

    this.url = pulumi.output(`http://${OPENMETADATA_SERVICE}.${plan.namespace}.svc:${OPENMETADATA_PORT}`);
    this.reconcilerJobName = job.metadata.name;
    this.registerOutputs({ url: this.url, reconcilerJobName: this.reconcilerJobName });
  }
}
