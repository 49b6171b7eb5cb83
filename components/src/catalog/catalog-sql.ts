/**
 * The SQL the catalog database is created with, shipped as files beside this module (`sql/`, in the
 * package's `src/`): extensions, the platform's schema, and the roles (the analysts' read-only role among
 * them). Each file is one `postInitApplicationSQL` entry, which CloudNativePG sends as one simple query,
 * so a file may hold several statements and DO blocks. Every file is idempotent: tests apply them twice
 * to a real PostgreSQL server.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The analysts' role: reads every table of the catalog database, writes nothing. */
export const CATALOG_READONLY_ROLE = "catalog_readonly";

/**
 * Where the files are: beside the source (`src/catalog/sql`), which the compiled module (`dist/catalog`)
 * reaches through the package's shipped `src/`.
 */
export function catalogSqlDirectory(): string {
  for (const relative of ["./sql/", "../../src/catalog/sql/"]) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  throw new Error("the catalog database's SQL files (src/catalog/sql) are missing from @mlops-platform/components");
}

/** The SQL files in the order they run (by name: `01-extensions.sql`, ...), each with its text. */
export function catalogSqlFiles(): Array<{ name: string; sql: string }> {
  const dir = catalogSqlDirectory();
  return readdirSync(dir)
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .map((name) => ({ name, sql: readFileSync(`${dir}${name}`, "utf8") }));
}
