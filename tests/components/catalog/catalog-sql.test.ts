/**
 * The SQL the catalog database is created with, applied to a real PostgreSQL server (Debian's, started
 * here with initdb and pg_ctl on a Unix socket in a temporary directory) the way CloudNativePG applies
 * postInitApplicationSQL: as the superuser, in the application database, each file as one simple query.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOG_READONLY_ROLE, catalogSqlFiles } from "./catalog-api.js";

/** Debian keeps the server binaries out of PATH, per major version. */
function postgresBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, "bin", "pg_ctl"))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest !== undefined) return path.join(root, newest, "bin");
  const message = "PostgreSQL is not installed (apt-get install postgresql); .ci/run installs it";
  if (process.env["CI"]) throw new Error(`CI requires ${message}`);
  console.warn(`\n  NOTICE: skipping tests: ${message}\n`);
  return undefined;
}

const bin = postgresBin();
// initdb refuses to run as root: the server then runs as Debian's postgres user.
const asRoot = process.getuid?.() === 0;
const OWNER = "openmetadata";
const DATABASE = "openmetadata_db";

let dir = "";
const port = String(20000 + (process.pid % 20000));

function run(command: string, args: string[]): string {
  const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  return execFileSync(file, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** One simple query (several statements allowed), as `user`, in `database`; the error text on failure. */
function sql(query: string, user = "postgres", database = DATABASE): { ok: boolean; out: string; err: string } {
  const args = ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", dir, "-p", port, "-U", user, "-d", database, "-c", query];
  const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", `${bin}/psql`, ...args]] : [`${bin}/psql`, args];
  const result = spawnSync(file, argv, { encoding: "utf8" });
  return { ok: result.status === 0, out: result.stdout.trim(), err: result.stderr.trim() };
}

function must(query: string, user?: string): string {
  const result = sql(query, user);
  if (!result.ok) throw new Error(`${query}\n${result.err}`);
  return result.out;
}

/** What CloudNativePG's initdb does before postInitApplicationSQL: the owner, and the database it owns. */
function createLikeCloudNativePg(): void {
  const admin = (query: string) => {
    const result = sql(query, "postgres", "postgres");
    if (!result.ok) throw new Error(result.err);
  };
  admin(`CREATE ROLE ${OWNER} LOGIN PASSWORD 'owner-password'`);
  admin(`CREATE DATABASE ${DATABASE} OWNER ${OWNER}`);
}

function applyShippedSql(): void {
  for (const file of catalogSqlFiles()) {
    const result = sql(file.sql);
    if (!result.ok) throw new Error(`${file.name}: ${result.err}`);
  }
}

describe.skipIf(bin === undefined)("the catalog database's SQL on a real PostgreSQL", () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "catalog-pg-"));
    chmodSync(dir, 0o755);
    if (asRoot) {
      const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
      chownSync(dir, uid, gid);
    }
    run(`${bin}/initdb`, ["-D", path.join(dir, "data"), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
    // No TCP: only the socket in the temporary directory, so parallel runs and other servers never clash.
    run(`${bin}/pg_ctl`, ["-D", path.join(dir, "data"), "-w", "-l", path.join(dir, "log"), "-o", `-c listen_addresses='' -c unix_socket_directories='${dir}' -p ${port} -c fsync=off`, "start"]);
    createLikeCloudNativePg();
  });

  afterAll(() => {
    if (dir === "") return;
    try {
      run(`${bin}/pg_ctl`, ["-D", path.join(dir, "data"), "-m", "immediate", "stop"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("ships extensions, schema and roles, in that order", () => {
    expect(catalogSqlFiles().map((file) => file.name)).toEqual(["01-extensions.sql", "02-schema.sql", "03-roles.sql"]);
  });

  it("applies cleanly, and again (every file is idempotent)", () => {
    applyShippedSql();
    applyShippedSql();
    expect(must("SELECT extname FROM pg_extension WHERE extname IN ('pg_trgm', 'pgcrypto') ORDER BY 1")).toBe("pg_trgm\npgcrypto");
    expect(must("SELECT level FROM platform.sensitivity_levels ORDER BY rank")).toBe("public\ninternal\nconfidential\nrestricted");
    expect(must("SELECT nspowner::regrole FROM pg_namespace WHERE nspname = 'platform'")).toBe(OWNER);
    expect(must("SELECT tableowner FROM pg_tables WHERE schemaname = 'platform'")).toBe(OWNER);
    expect(must(`SELECT rolcanlogin FROM pg_roles WHERE rolname = '${CATALOG_READONLY_ROLE}'`)).toBe("f");
  });

  describe("once applied", () => {
    beforeAll(() => {
      applyShippedSql();
      // The catalog's migrations run as the owner, after the database is created.
      must("CREATE TABLE IF NOT EXISTS public.table_entity (id serial PRIMARY KEY, name text NOT NULL)", OWNER);
      must("INSERT INTO public.table_entity (name) VALUES ('churn_features')", OWNER);
      must(`DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'alice') THEN CREATE ROLE alice LOGIN IN ROLE ${CATALOG_READONLY_ROLE}; END IF; END $$`);
    });

    it("lets an analyst with the read-only role read the owner's tables, those created after the SQL ran included", () => {
      expect(must("SELECT name FROM public.table_entity", "alice")).toBe("churn_features");
      expect(must("SELECT count(*) FROM platform.sensitivity_levels", "alice")).toBe("4");
    });

    it.each([
      ["insert a row", "INSERT INTO public.table_entity (name) VALUES ('x')"],
      ["update a row", "UPDATE platform.sensitivity_levels SET rank = 9 WHERE level = 'public'"],
      ["delete rows", "DELETE FROM public.table_entity"],
      ["create a table", "CREATE TABLE public.mine (id int)"],
      ["create a table in the platform schema", "CREATE TABLE platform.mine (id int)"],
    ])("refuses the read-only role to %s", (_case, statement) => {
      const result = sql(statement, "alice");
      expect(result.ok).toBe(false);
      expect(result.err).toMatch(/permission denied|read-only transaction/);
      // Not the session's read-only default alone: the grants refuse it too.
      const explicit = sql(`SET default_transaction_read_only = off; ${statement}`, "alice");
      expect(explicit.ok).toBe(false);
      expect(explicit.err).toMatch(/permission denied/);
    });

    it("lets the owner write", () => {
      must("INSERT INTO public.table_entity (name) VALUES ('orders')", OWNER);
      must("UPDATE platform.sensitivity_levels SET description = description WHERE level = 'internal'", OWNER);
      must("CREATE TABLE IF NOT EXISTS platform.owner_notes (id int)", OWNER);
      expect(must("SELECT count(*) FROM public.table_entity", OWNER)).toBe("2");
    });
  });
});
