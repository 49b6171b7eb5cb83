import { describe, expect, it } from "vitest";
import { buildArtifacts } from "@mlops-platform/components/testing";
import { capture, one } from "../../helpers.js";
import { DATABASE_VALIDATORS } from "../database/database-api.js";
import { CatalogDatabase, catalogSqlFiles, PodAntiAffinity, planCatalogDatabase, type CatalogDatabaseArgs } from "./catalog-api.js";

const CLUSTER = "kubernetes:postgresql.cnpg.io/v1:Cluster";
const backup = { destinationPath: "s3://mlops-prod-backups/catalog-db", workloadIdentity: { awsRoleArn: "arn:aws:iam::111122223333:role/catalog-backups" }, retentionDays: 35 };

async function render(args: CatalogDatabaseArgs) {
  const result = await capture(() => {
    new CatalogDatabase("catalog", args);
  });
  expect(result.errors).toEqual([]);
  const artifacts = await buildArtifacts(result, { validators: DATABASE_VALIDATORS });
  expect(artifacts.problems).toEqual([]);
  return { result, manifests: artifacts.manifests };
}

describe("CatalogDatabase", () => {
  it("creates openmetadata_db owned by openmetadata in mlp-catalog, with the shipped SQL run once at creation", async () => {
    const { manifests } = await render({});
    const cluster = manifests.find((m) => m.kind === "Cluster")!;
    expect(cluster.namespace).toBe("mlp-catalog");
    expect(cluster.name).toBe("catalog-db");
    const initdb = (cluster.object as any).spec.bootstrap.initdb;
    expect(initdb).toMatchObject({ database: "openmetadata_db", owner: "openmetadata", secret: { name: "catalog-db-app-user" } });
    expect(initdb.postInitApplicationSQL).toEqual(catalogSqlFiles().map((file) => file.sql));
    expect(initdb.postInitApplicationSQL.join("\n")).toContain("CREATE ROLE catalog_readonly NOLOGIN");
  });

  it("prod catalog database is protected, spread over nodes and backed up: cluster, store and password kept on destroy", async () => {
    const { result, manifests } = await render({ instances: 3, podAntiAffinity: PodAntiAffinity.Required, backup, protect: true });
    const spec = (manifests.find((m) => m.kind === "Cluster")!.object as any).spec;
    expect(spec.instances).toBe(3);
    expect(spec.affinity).toEqual({ enablePodAntiAffinity: true, podAntiAffinityType: "required", topologyKey: "kubernetes.io/hostname" });
    expect(spec.plugins[0]).toMatchObject({ isWALArchiver: true });
    expect(manifests.map((m) => m.kind).sort()).toEqual(["Cluster", "ObjectStore", "PodMonitor", "ScheduledBackup", "Secret"]);
    for (const [type, name] of [
      [CLUSTER, "catalog-postgres-cluster"],
      ["kubernetes:barmancloud.cnpg.io/v1:ObjectStore", "catalog-postgres-object-store"],
      ["kubernetes:core/v1:Secret", "catalog-postgres-app-user"],
    ]) {
      expect(one(result, type!, name!)).toMatchObject({ protect: true, retainOnDelete: true });
    }
    expect(one(result, "mlops-platform:index:CatalogDatabase", "catalog").outputs).toMatchObject({ host: "catalog-db-rw.mlp-catalog.svc", readOnlyRole: "catalog_readonly" });
  });

  it("restores to a point in time: recovery from its backups replaces initdb and its SQL", async () => {
    const { manifests } = await render({ backup: { ...backup, serverName: "catalog-db-r1" }, recovery: { sourceServerName: "catalog-db", targetTime: "2026-11-27T23:30:00Z" } });
    const spec = (manifests.find((m) => m.kind === "Cluster")!.object as any).spec;
    expect(spec.bootstrap.initdb).toBeUndefined();
    expect(spec.bootstrap.recovery).toMatchObject({ database: "openmetadata_db", owner: "openmetadata", recoveryTarget: { targetTime: "2026-11-27T23:30:00Z" } });
  });

  it("fails when the namespace is not a DNS label, and on its PostgresCluster's rules", () => {
    expect(() => planCatalogDatabase("catalog", { namespace: "Catalog" })).toThrow('CatalogDatabase "catalog": namespace: got "Catalog"; use a namespace name');
    expect(() => planCatalogDatabase("catalog", { instances: 0 })).toThrow("instances: got 0; use a whole number of instances, at least 1");
  });
});
