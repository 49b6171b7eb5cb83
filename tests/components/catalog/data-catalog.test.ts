import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { buildArtifacts } from "@mlops-platform/components/testing";
import { capture, one, ofType } from "../../helpers.js";
import { DataCatalog, desiredCatalog, OPENMETADATA_CHART, OPENMETADATA_INGESTION_IMAGE, OPENSEARCH_CHART, planDataCatalog, type DataCatalogArgs } from "./catalog-api.js";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const CHART = "kubernetes:helm.sh/v4:Chart";
const args: DataCatalogArgs = {
  database: { host: "catalog-db-rw.mlp-catalog.svc", database: "openmetadata_db", username: "openmetadata", secretName: "catalog-db-app-user" },
  teams: [
    { name: "platform", owners: ["platform-admins"] },
    { name: "vision", owners: ["vision-leads"], members: ["vision-scientists"] },
  ],
  sources: [
    { name: "gateway_db", host: "gateway-db-rw.mlp-gateway.svc", database: "litellm", username: "litellm", password: pulumi.secret("gw-password-123"), ownerTeam: "platform", description: "The gateway's keys." },
  ],
  adminPassword: "admin-password-123",
};

async function render(catalogArgs: DataCatalogArgs) {
  const result = await capture(() => {
    new DataCatalog("catalog", catalogArgs);
  });
  expect(result.errors).toEqual([]);
  const artifacts = await buildArtifacts(result, {});
  expect(artifacts.problems).toEqual([]);
  return { result, manifests: artifacts.manifests };
}

describe("DataCatalog", () => {
  it("runs the pinned OpenMetadata on the catalog's PostgreSQL with the PostgreSQL driver, one OpenSearch node, ingestion as Kubernetes Jobs (no Airflow)", async () => {
    const { result } = await render(args);
    const release = one(result, RELEASE, "catalog-openmetadata").inputs as any;
    expect([release.chart, release.version, release.repositoryOpts.repo, release.namespace]).toEqual(["openmetadata", OPENMETADATA_CHART.version, "https://helm.open-metadata.org/", "mlp-catalog"]);
    expect(OPENMETADATA_CHART.version).toMatch(/^1\.13\.\d+$/);
    const config = release.values.openmetadata.config;
    expect(config.database).toMatchObject({
      host: "catalog-db-rw.mlp-catalog.svc",
      port: 5432,
      driverClass: "org.postgresql.Driver",
      dbScheme: "postgresql",
      databaseName: "openmetadata_db",
      auth: { username: "openmetadata", password: { secretRef: "catalog-db-app-user", secretKey: "password" } },
    });
    expect(config.pipelineServiceClientConfig).toMatchObject({ type: "k8s", k8s: { namespace: "mlp-catalog", ingestionImage: OPENMETADATA_INGESTION_IMAGE, useOMJobOperator: false } });
    expect(JSON.stringify(release.values)).not.toMatch(/airflow/i);
    expect(config.elasticsearch).toMatchObject({ host: "opensearch", searchType: "opensearch", port: 9200 });
    const search = one(result, CHART, "catalog-opensearch").inputs as any;
    expect([search.chart, search.version]).toEqual(["opensearch", OPENSEARCH_CHART.version]);
    expect(search.values).toMatchObject({ singleNode: true, replicas: 1 });
  });

  it("is not exposed by default: no Ingress, sign-in with the catalog's own accounts, no OIDC secret", async () => {
    const { result } = await render(args);
    const values = (one(result, RELEASE, "catalog-openmetadata").inputs as any).values;
    expect(values.ingress).toEqual({ enabled: false });
    expect(values.openmetadata.config.authentication.provider).toBe("basic");
    expect(ofType(result, "kubernetes:core/v1:Secret").map((s) => s.name).sort()).toEqual(["catalog-admin", "catalog-fernet", "catalog-sources"]);
  });

  it("exposed, is behind OIDC: an Ingress on the host and OpenMetadata's OIDC sign-in with the client secret in a Secret", async () => {
    const { result } = await render({
      ...args,
      access: { host: "catalog.dev.example.com", ingressClassName: "nginx", oidcIssuerUrl: "https://login.example.com/realms/ml", oidcClientId: "catalog", oidcClientSecret: "oidc-secret-123" },
    });
    const values = (one(result, RELEASE, "catalog-openmetadata").inputs as any).values;
    expect(values.ingress).toMatchObject({ enabled: true, className: "nginx", hosts: [{ host: "catalog.dev.example.com" }] });
    expect(values.openmetadata.config.authentication).toMatchObject({
      provider: "custom-oidc",
      clientType: "confidential",
      authority: "https://login.example.com/realms/ml",
      oidcConfiguration: { enabled: true, clientSecret: { secretRef: "openmetadata-oidc", secretKey: "client-secret" }, serverUrl: "https://catalog.dev.example.com" },
    });
    const oidc = one(result, "kubernetes:core/v1:Secret", "catalog-oidc");
    expect(oidc.hasSecretInputs).toBe(true);
    expect(JSON.stringify(values)).not.toContain("oidc-secret-123");
  });

  it("creates the teams in the cluster after OpenMetadata is up: a Job named by the desired state, run after the Release", async () => {
    const { result, manifests } = await render(args);
    const job = ofType(result, "kubernetes:batch/v1:Job")[0]!;
    expect(job.dependsOn).toContain(one(result, RELEASE, "catalog-openmetadata").urn);
    const spec = (manifests.find((m) => m.kind === "Job")!.object as any).spec.template.spec;
    expect(spec.containers[0].image).toBe(OPENMETADATA_INGESTION_IMAGE);
    expect(spec.automountServiceAccountToken).toBe(false);
    const desired = JSON.parse((manifests.find((m) => m.kind === "ConfigMap" && m.name === "catalog-desired")!.object as any).data["desired.json"]);
    expect(desired.teams.map((t: { name: string }) => t.name)).toEqual(["platform", "vision"]);
    expect(desired.services).toEqual([{ name: "gateway_db", owner: "platform", hostPort: "gateway-db-rw.mlp-gateway.svc:5432", database: "litellm", description: "The gateway's keys.", schedule: "0 * * * *" }]);
    // The sources' passwords travel in a Secret, never in the ConfigMap or the Job.
    const sources = one(result, "kubernetes:core/v1:Secret", "catalog-sources");
    expect(sources.hasSecretInputs).toBe(true);
    expect(JSON.parse((sources.plainInputs["stringData"] as any)["sources.json"])).toEqual({ gateway_db: { username: "litellm", password: "gw-password-123" } });
    for (const manifest of manifests.filter((m) => m.kind !== "Secret")) expect(JSON.stringify(manifest.object)).not.toContain("gw-password-123");
  });

  it("heals hourly: a CronJob runs the same reconciler, never two at once", async () => {
    const { result, manifests } = await render(args);
    const cron = manifests.find((m) => m.kind === "CronJob")!.object as any;
    expect(cron.spec).toMatchObject({ schedule: "30 * * * *", concurrencyPolicy: "Forbid" });
    const job = manifests.find((m) => m.kind === "Job")!.object as any;
    expect(cron.spec.jobTemplate.spec).toEqual(job.spec);
    expect(ofType(result, "kubernetes:batch/v1:CronJob")[0]!.dependsOn).toContain(one(result, RELEASE, "catalog-openmetadata").urn);
  });

  it("a new team is a new Job; the same teams keep the finished one", () => {
    const name = (a: DataCatalogArgs) => JSON.stringify(desiredCatalog(planDataCatalog("c", a)));
    expect(name(args)).toBe(name({ ...args }));
    expect(name(args)).not.toBe(name({ ...args, teams: [...args.teams!, { name: "nlp", owners: ["nlp-leads"] }] }));
  });

  it.each([
    ["a source owned by an unknown team", { sources: [{ ...args.sources![0]!, ownerTeam: "nlp" }] }, 'sources[0].ownerTeam: got "nlp"; name a team of teams: platform, vision'],
    ["two teams of one name", { teams: [...args.teams!, { name: "vision", owners: ["x"] }] }, 'teams[2].name: got "vision"; give every catalog team a unique name'],
    ["a source name with a dash", { sources: [{ ...args.sources![0]!, name: "gateway-db" }] }, "sources[0].name: got \"gateway-db\"; use a unique name of lower-case letters, digits and '_'"],
    ["exposure without https", { access: { host: "c.example.com", ingressClassName: "nginx", oidcIssuerUrl: "http://login", oidcClientId: "c", oidcClientSecret: "s" } }, 'access.oidcIssuerUrl: got "http://login"; use the issuer\'s https:// URL'],
    ["an unpinned ingestion image", { ingestionImage: "docker.getcollate.io/openmetadata/ingestion-base:latest" }, "ingestionImage"],
    ["a chart version range", { version: "1.13.x" }, 'version: got "1.13.x"; use an exact chart version without "v", such as "1.13.3"'],
  ])("fails on %s", (_case, extra, message) => {
    expect(() => planDataCatalog("catalog", { ...args, ...(extra as Partial<DataCatalogArgs>) })).toThrow(message);
  });
});
