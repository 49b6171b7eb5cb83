/**
 * promtool, built by `scripts/build promtool` from the Go module pinned in scripts/pins.env: the real
 * Prometheus rule checker and rule unit-test runner. Tests that need it are skipped with a visible notice
 * on a developer's machine without it, and fail under CI (`CI` set), where `.ci/run` builds it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const PROMTOOL_BUILD_COMMAND = "scripts/build promtool";

/** The cached promtool, or undefined (with a notice; an error under CI) when it is not built. */
export function requirePromtool(): string | undefined {
  const build = path.join(REPO_ROOT, "scripts", "build");
  try {
    execFileSync("bash", [build, "--check", "promtool"], { stdio: "ignore" });
    const dir = execFileSync("bash", [build, "--path", "promtool"], { encoding: "utf8" }).trim();
    return path.join(dir, "promtool");
  } catch {
    const message = `promtool is not built; \`${PROMTOOL_BUILD_COMMAND}\` builds it once (Go 1.26), then it is cached`;
    if (process.env["CI"]) throw new Error(`CI requires ${message}`);
    console.warn(`\n  NOTICE: skipping tests: ${message}\n`);
    return undefined;
  }
}

/** What one promtool run printed, and whether it succeeded. */
export interface PromtoolResult {
  ok: boolean;
  output: string;
}

/** Writes `files` into a fresh folder and runs promtool there with `args`. */
export function runPromtool(promtool: string, files: Record<string, string>, args: string[]): PromtoolResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-promtool-"));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    const result = spawnSync(promtool, args, { cwd: dir, encoding: "utf8" });
    return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
