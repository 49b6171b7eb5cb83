import { describe, expect, it } from "vitest";
import type { OfflineResource } from "@mlops-platform/policies/rules";
import { object, violationsOf } from "../fixtures.js";

const cluster = (protect: boolean, plugins: unknown[] = [{ name: "barman-cloud.cloudnative-pg.io", isWALArchiver: true }]): OfflineResource => ({
  ...object("postgresql.cnpg.io/v1", "Cluster", "catalog-db", "mlp-catalog", { spec: { instances: 3, plugins } }),
  protect,
});
const schedule = (clusterName = "catalog-db", namespace = "mlp-catalog") =>
  object("postgresql.cnpg.io/v1", "ScheduledBackup", `${clusterName}-backup`, namespace, { spec: { cluster: { name: clusterName }, schedule: "0 0 2 * * *", method: "plugin" } });

const messages = (resources: OfflineResource[], environment: "local" | "dev" | "staging" | "prod" = "prod") =>
  violationsOf("database-safety", resources, environment).map((v) => `${v.enforcementLevel}: ${v.message}`);

describe("database-safety", () => {
  it("prod catalog database is protected, archives WAL and is backed up on a schedule: no violation", () => {
    expect(messages([cluster(true), schedule()])).toEqual([]);
  });

  it("fails in prod and staging, mandatory, when the cluster is not protected", () => {
    const expected = ["mandatory: PostgreSQL cluster mlp-catalog/catalog-db is not protected: pulumi destroy would delete it and its volumes; set database.protect: true for it"];
    expect(messages([cluster(false), schedule()])).toEqual(expected);
    expect(messages([cluster(false), schedule()], "staging")).toEqual(expected);
  });

  it("fails when WAL is not archived, or the archiver plugin is disabled", () => {
    const noWal = "mandatory: PostgreSQL cluster mlp-catalog/catalog-db archives no WAL, so it cannot be restored to a point in time: set database.backup for it";
    expect(messages([cluster(true, []), schedule()])).toEqual([noWal]);
    expect(messages([cluster(true, [{ name: "barman-cloud.cloudnative-pg.io", isWALArchiver: true, enabled: false }]), schedule()])).toEqual([noWal]);
  });

  it("fails when no ScheduledBackup names the cluster in its namespace", () => {
    const none = "mandatory: PostgreSQL cluster mlp-catalog/catalog-db has no ScheduledBackup: set database.backup for it (base backups run daily)";
    expect(messages([cluster(true)])).toEqual([none]);
    expect(messages([cluster(true), schedule("gateway-db")])).toEqual([none]);
    expect(messages([cluster(true), schedule("catalog-db", "mlp-gateway")])).toEqual([none]);
  });

  it("leaves local and dev databases alone (a laptop has no object store; dev is rebuilt at will)", () => {
    expect(messages([cluster(false, [])], "local")).toEqual([]);
    expect(messages([cluster(false, [])], "dev")).toEqual([]);
  });
});
