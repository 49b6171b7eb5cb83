import { describe, expect, it } from "vitest";
import { checkMlPlatformArgs, ClusterOperator, GatewayProvider, MlPlatform, type MlPlatformArgs } from "@mlops-platform/components";
import { capture, one } from "../../helpers.js";

const vision = { name: "vision", owners: ["vision-leads"], members: ["vision-scientists"], quota: { cpu: 8, memoryGiB: 32, storageGiB: 100 } };
const platform: MlPlatformArgs = {
  teams: [vision],
  gateway: { models: [{ name: "chat", provider: GatewayProvider.Ollama, model: "llama3.2:3b", apiBase: "http://ollama:11434" }], database: { instances: 1, password: "gateway-pw-1" } },
  catalog: { database: { instances: 1, password: "catalog-pw-1" }, service: { adminPassword: "admin-pw-1" } },
};

type Captured = Awaited<ReturnType<typeof capture>>;
const desiredOf = (result: Captured) => {
  const configMap = result.resources.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && (r.inputs["metadata"] as { name: string }).name === "catalog-desired")!;
  return JSON.parse((configMap.inputs["data"] as Record<string, string>)["desired.json"]!);
};

describe("MlPlatform with a data catalog", () => {
  it("runs the catalog's database and OpenMetadata on it in mlp-catalog, after CloudNativePG (installed once for both databases)", async () => {
    const result = await capture(() => new MlPlatform("mlops", platform));
    expect(result.errors).toEqual([]);
    expect(result.resources.filter((r) => r.type === "mlops-platform:index:CloudNativePgOperator").map((r) => r.name)).toEqual(["mlops-cnpg"]);
    // A component's dependencies arrive as the resources inside them: the operator's chart, the databases' Clusters.
    const database = one(result, "mlops-platform:index:CatalogDatabase", "mlops-catalog-db");
    expect(database.dependsOn).toEqual(expect.arrayContaining([one(result, "kubernetes:helm.sh/v4:Chart", "mlops-cnpg-chart").urn]));
    const catalog = one(result, "mlops-platform:index:DataCatalog", "mlops-catalog");
    const cluster = (name: string) => one(result, "kubernetes:postgresql.cnpg.io/v1:Cluster", name).urn;
    expect(catalog.dependsOn).toEqual(expect.arrayContaining([cluster("mlops-catalog-db-postgres-cluster"), cluster("mlops-gateway-db-cluster")]));
  });

  it("makes the stack's teams catalog teams, beside the platform team that owns the gateway and catalog databases it ingests", async () => {
    const result = await capture(() => new MlPlatform("mlops", platform));
    const desired = desiredOf(result);
    expect(desired.teams.map((t: { name: string; description: string }) => [t.name, t.description])).toEqual([
      ["platform", "Team platform of the ML platform (groups: platform-admins). Owns the datasets it registers."],
      ["vision", "Team vision of the ML platform (groups: vision-leads, vision-scientists). Owns the datasets it registers."],
    ]);
    expect(desired.services.map((s: { name: string; owner: string; hostPort: string; database: string }) => [s.name, s.owner, s.hostPort, s.database])).toEqual([
      ["catalog_db", "platform", "catalog-db-rw.mlp-catalog.svc:5432", "openmetadata_db"],
      ["gateway_db", "platform", "gateway-db-rw.mlp-gateway.svc:5432", "litellm"],
    ]);
    // The ingestion reads each database with its owner's password: the databases' own, as secrets.
    const sources = one(result, "kubernetes:core/v1:Secret", "mlops-catalog-sources");
    expect(sources.hasSecretInputs).toBe(true);
    expect(JSON.parse((sources.plainInputs["stringData"] as Record<string, string>)["sources.json"]!)).toEqual({
      catalog_db: { username: "openmetadata", password: "catalog-pw-1" },
      gateway_db: { username: "litellm", password: "gateway-pw-1" },
    });
  });

  it("gives mlp-catalog the baseline Pod Security level with the catalog service (its charts' pods), restricted without it", async () => {
    const level = async (args: MlPlatformArgs) => {
      const result = await capture(() => new MlPlatform("mlops", args));
      const namespace = result.resources.find((r) => r.type === "kubernetes:core/v1:Namespace" && (r.inputs["metadata"] as { name: string }).name === "mlp-catalog")!;
      return (namespace.inputs["metadata"] as { labels: Record<string, string> }).labels["pod-security.kubernetes.io/enforce"];
    };
    expect(await level(platform)).toBe("baseline");
    const withoutService = await capture(() => new MlPlatform("mlops", { ...platform, catalog: { ...platform.catalog, service: { enabled: false } } }));
    expect(withoutService.resources.filter((r) => r.type === "mlops-platform:index:DataCatalog")).toEqual([]);
    expect(await level({ ...platform, catalog: { ...platform.catalog, service: { enabled: false } } })).toBe("restricted");
  });

  it("fails when a team takes the platform team's name, at that team, and when catalog backups lack the plugin next to a preinstalled CloudNativePG", () => {
    const errors = checkMlPlatformArgs({
      ...platform,
      teams: [{ ...vision, name: "platform" }],
      catalog: { database: { backup: { destinationPath: "s3://b/catalog", workloadIdentity: { awsRoleArn: "arn:aws:iam::111122223333:role/r" } } } },
      preinstalledOperators: [ClusterOperator.CloudNativePg],
    }).map((e) => `${e.property}: ${e.fix}`);
    expect(errors).toContain("teams[0].name: give every catalog team a unique name");
    expect(errors).toContainEqual(expect.stringMatching(/^catalog\.database\.backup: backups need the barman-cloud plugin/));
  });
});
