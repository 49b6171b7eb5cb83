import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { requireTool } from "../helpers.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const actionlint = requireTool("actionlint", "go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12");
const shellcheck = requireTool("shellcheck", "apt-get install shellcheck");

describe.skipIf(!actionlint)("GitHub workflows (actionlint)", () => {
  it("every workflow passes actionlint", () => {
    const workflows = fs.readdirSync(path.join(ROOT, ".github/workflows")).filter((f) => /\.ya?ml$/.test(f));
    expect(workflows.length).toBeGreaterThan(0);
    const run = spawnSync(actionlint!, ["-no-color", ...workflows.map((f) => `.github/workflows/${f}`)], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(run.stdout + run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});

/** Every shell script of the project: CI's entry point, the cluster and engine scripts, launchers. */
const SHELL_SCRIPTS = [".ci/run", "scripts/build", "scripts/cluster", "scripts/lib.sh", "scripts/pr-comment", "scripts/record-deployment", "policies/run-analyzer"];

describe.skipIf(!shellcheck)("shell scripts (shellcheck)", () => {
  it.each(SHELL_SCRIPTS)("%s passes shellcheck", (script) => {
    const run = spawnSync(shellcheck!, ["-x", script], { cwd: ROOT, encoding: "utf8" });
    expect(run.stdout + run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
