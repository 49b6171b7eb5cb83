import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const COMPONENTS = path.join(ROOT, "components");
const API_EXTRACTOR = path.join(
  path.dirname(createRequire(path.join(COMPONENTS, "package.json")).resolve("@microsoft/api-extractor/package.json")),
  "bin/api-extractor",
);

/** One entry point of @mlops-platform/components, its api-extractor config and its committed report. */
const ENTRY_POINTS = [
  { entry: "@mlops-platform/components", config: "api-extractor.json", report: "components.api.md" },
  { entry: "@mlops-platform/components/testing", config: "api-extractor.testing.json", report: "testing.api.md" },
];

/** Lines only in `a`, prefixed with `prefix` (enough to show which declarations appeared or went). */
function onlyIn(a: string, b: string, prefix: string): string[] {
  const other = new Set(b.split("\n"));
  return a.split("\n").filter((line) => line.trim() !== "" && !other.has(line)).map((line) => `${prefix} ${line}`);
}

// `npm test` builds first (tsc -b), so components/dist holds the declarations of the code under test.
describe("the public API of @mlops-platform/components (api-extractor, components/api/)", () => {
  it.each(ENTRY_POINTS)("$entry matches the committed report $report", ({ config, report }) => {
    // Check mode (no --local): api-extractor fails instead of rewriting the committed report.
    const run = spawnSync(process.execPath, [API_EXTRACTOR, "run", "-c", config], { cwd: COMPONENTS, encoding: "utf8" });
    const committed = fs.readFileSync(path.join(COMPONENTS, "api", report), "utf8");
    const builtPath = path.join(COMPONENTS, "dist/api-report", report);
    const built = fs.existsSync(builtPath) ? fs.readFileSync(builtPath, "utf8") : "";
    const changes = [...onlyIn(committed, built, "-"), ...onlyIn(built, committed, "+")];
    expect(
      { status: run.status, changes },
      `${run.stdout}${run.stderr}\nIf the change is deliberate: npm run api -w components, and commit components/api/${report}`,
    ).toEqual({ status: 0, changes: [] });
  });

  it("the program, the bench and the policy pack use only the supported entry points, never /internal", () => {
    const offenders: string[] = [];
    for (const dir of ["infra", "bench", "policies/src"]) {
      for (const file of fs.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })) {
        if (!file.endsWith(".ts")) continue;
        const text = fs.readFileSync(path.join(ROOT, dir, file), "utf8");
        if (text.includes("@mlops-platform/components/internal")) offenders.push(`${dir}/${file}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
