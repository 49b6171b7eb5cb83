/** The data catalog in the stack file: its database per environment, backups required, and the recovery stack. */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { catalogArgs } from "../../../infra/capabilities/catalog.js";
import { parsePlatformConfig } from "../../../infra/config.js";
import { FILE, problemsOf, ROOT } from "../config-helpers.js";
import { projectWithStack, readTree, render } from "../render-helpers.js";

const BACKUP = { destinationPath: "s3://b/catalog-db", workloadIdentity: { awsRoleArn: "arn:aws:iam::111122223333:role/backups" } };
const withCatalog = (environment: string, catalog: Record<string, unknown>) => ({ environment, cluster: { provider: "aws" }, catalog: { enabled: true, ...catalog } });

describe("the data catalog in the stack file", () => {
  it("sizes, spreads and protects the catalog database per environment", () => {
    const database = (environment: string) => parsePlatformConfig(withCatalog(environment, environment === "local" ? {} : { database: { backup: BACKUP } }), FILE).catalog.database;
    expect(["local", "dev", "staging", "prod"].map((env) => {
      const { instances, storageGiB, memoryMiB, podAntiAffinity, protect } = database(env);
      return [env, instances, storageGiB, memoryMiB, podAntiAffinity, protect];
    })).toEqual([
      ["local", 1, 5, 1024, "preferred", false],
      ["dev", 1, 10, 1024, "preferred", false],
      ["staging", 2, 20, 2048, "preferred", true],
      ["prod", 3, 50, 4096, "required", true],
    ]);
  });

  it("is off unless enabled, and then passes the database's settings and backup to MlPlatform", () => {
    expect(catalogArgs(parsePlatformConfig({ environment: "local", cluster: { provider: "kind" } }, FILE), {})).toBeUndefined();
    const args = catalogArgs(parsePlatformConfig(withCatalog("prod", { database: { backup: { ...BACKUP, retentionDays: 35 } } }), FILE), { catalogDatabasePassword: "pw" });
    expect(args).toEqual({
      database: { instances: 3, storageGiB: 50, memoryMiB: 4096, podAntiAffinity: "required", protect: true, password: "pw", backup: { ...BACKUP, retentionDays: 35 } },
      // The catalog service: prod's two replicas, a 30 GiB search volume, not exposed.
      service: { enabled: true, replicas: 2, searchStorageGiB: 30 },
    });
  });

  it("fails when a dev, staging or prod catalog database has no backup, naming the stack key", () => {
    expect(problemsOf(withCatalog("dev", {}))).toEqual([
      `${FILE}: mlops-platform:catalog.database.backup: required; required in dev: destinationPath of the object store for base backups and WAL, and workloadIdentity (the database's cloud identity) or credentials (secret config keys)`,
    ]);
  });

  it("fails when a prod catalog database is not protected", () => {
    expect(problemsOf(withCatalog("prod", { database: { protect: false, backup: BACKUP } }))).toEqual([
      `${FILE}: mlops-platform:catalog.database.protect: must be true in prod: the catalog's database is never deleted with the stack, got false`,
    ]);
  });

  it("fails on the database's own rules at the stack key that set them", () => {
    expect(problemsOf(withCatalog("prod", { database: { instances: 0, podAntiAffinity: "always", backup: BACKUP } }))).toEqual([
      `${FILE}: mlops-platform:catalog.database.instances: use a whole number of instances, at least 1, got 0`,
      `${FILE}: mlops-platform:catalog.database.podAntiAffinity: use one of preferred, required, got "always"`,
    ]);
  });

  it("reads object store keys from the secret config keys the backup names, which must be secrets", () => {
    const raw = { ...withCatalog("dev", { database: { backup: { destinationPath: "s3://b/c", credentials: { accessKeyId: "catalogBackupKeyId", secretAccessKey: "catalogBackupSecret" } } } }) };
    expect(problemsOf(raw)).toEqual([
      `${FILE}: mlops-platform:catalogBackupKeyId: required: a database's backup.credentials names it, an object store key of catalog.database's backups: pulumi config set --secret catalogBackupKeyId <value>`,
      `${FILE}: mlops-platform:catalogBackupSecret: required: a database's backup.credentials names it, an object store key of catalog.database's backups: pulumi config set --secret catalogBackupSecret <value>`,
    ]);
    const config = parsePlatformConfig({ ...raw, catalogBackupKeyId: "AKIA", catalogBackupSecret: "s" }, FILE, new Set(["catalogBackupKeyId", "catalogBackupSecret"]));
    expect(catalogArgs(config, { catalogBackupKeyId: "AKIA", catalogBackupSecret: "s" })!.database!.backup).toEqual({
      destinationPath: "s3://b/c",
      credentials: { accessKeyId: "AKIA", secretAccessKey: "s" },
      retentionDays: 30,
    });
  });
});

describe("the catalog service in the stack file", () => {
  const exposed = (access: Record<string, unknown>) => ({ ...withCatalog("dev", { database: { backup: BACKUP }, service: { access: { enabled: true, ...access } } }), cluster: { provider: "aws", ingressClass: "nginx" } });
  const oidc = { issuerUrl: "https://login.example.com/realms/ml", clientId: "catalog" };

  it("is exposed only with a host, OIDC and its client secret, as a secret", () => {
    expect(problemsOf(exposed({}))).toEqual([
      `${FILE}: mlops-platform:catalog.service.access.host: required; required when access is enabled`,
      `${FILE}: mlops-platform:catalog.service.access.oidc: required; required when access is enabled: issuerUrl, clientId`,
    ]);
    expect(problemsOf(exposed({ host: "catalog.dev.example.com", oidc }))).toEqual([
      `${FILE}: mlops-platform:catalogOidcClientSecret: required when catalog.service.access is enabled; the OIDC client secret of catalog sign-in: pulumi config set --secret catalogOidcClientSecret <secret>`,
    ]);
    const raw = { ...exposed({ host: "catalog.dev.example.com", oidc }), catalogOidcClientSecret: "s" };
    const args = catalogArgs(parsePlatformConfig(raw, FILE, new Set(["catalogOidcClientSecret"])), { catalogOidcClientSecret: "s" });
    expect(args!.service!.access).toEqual({ host: "catalog.dev.example.com", ingressClassName: "nginx", oidcIssuerUrl: oidc.issuerUrl, oidcClientId: "catalog", oidcClientSecret: "s" });
  });

  it("reports the catalog's problems at the stack key: an OIDC issuer without https", () => {
    const raw = { ...exposed({ host: "catalog.dev.example.com", oidc: { ...oidc, issuerUrl: "http://login" } }), catalogOidcClientSecret: "s" };
    expect(problemsOf(raw, ["catalogOidcClientSecret"])).toEqual([`${FILE}: mlops-platform:catalog.service.access.oidc.issuerUrl: use the issuer's https:// URL, got "http://login"`]);
  });
});

describe("the recovery stack", () => {
  it("renders prod with the catalog database restored to a point in time, archiving to a new folder, and passes every policy", () => {
    const prod = fs.readFileSync(path.join(ROOT, "stacks/Pulumi.prod.yaml"), "utf8");
    const restored = prod
      .replace("      # recovery: { sourceServerName: catalog-db, targetTime: \"2026-11-28T07:00:00Z\" }\n", "      recovery: { sourceServerName: catalog-db, targetTime: \"2026-11-28T07:00:00Z\" }\n")
      .replace('        destinationPath: "s3://mlops-prod-backups/catalog-db"\n', '        destinationPath: "s3://mlops-prod-backups/catalog-db"\n        serverName: catalog-db-restored-1\n');
    expect(restored).toContain("      recovery: {");
    expect(restored).toContain("serverName: catalog-db-restored-1");
    const dir = projectWithStack("recovery", restored);
    try {
      const run = render(["--stack", "recovery"], dir);
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      const cluster = readTree(path.join(dir, "out/recovery/manifests/mlp-catalog")).get("cluster-catalog-db.yaml")!;
      expect(cluster).toContain(
        "  bootstrap:\n    recovery:\n      database: openmetadata_db\n      owner: openmetadata\n      recoveryTarget:\n        targetTime: 2026-11-28T07:00:00Z\n      secret:\n        name: catalog-db-app-user\n      source: origin\n",
      );
      expect(cluster).toContain(
        "  externalClusters:\n    - name: origin\n      plugin:\n        name: barman-cloud.cloudnative-pg.io\n        parameters:\n          barmanObjectName: catalog-db-backups\n          serverName: catalog-db\n",
      );
      expect(cluster).toContain("        barmanObjectName: catalog-db-backups\n        serverName: catalog-db-restored-1\n");
      expect(cluster).not.toContain("initdb");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a restore that would archive over its source's folder, naming the key to set", () => {
    const prod = fs.readFileSync(path.join(ROOT, "stacks/Pulumi.prod.yaml"), "utf8");
    const dir = projectWithStack("overwrite", prod.replace("      # recovery: { sourceServerName", "      recovery: { sourceServerName"));
    try {
      const run = render(["--stack", "overwrite"], dir);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(
        'stacks/Pulumi.overwrite.yaml: mlops-platform:catalog.database.backup.serverName: a recovered cluster must archive to a new folder, not over its source "catalog-db": set backup.serverName, e.g. "catalog-db-restored"',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
