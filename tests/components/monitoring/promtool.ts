/**
 * promtool and amtool, built by `scripts/build promtool` and `scripts/build amtool` from the Go modules
 * pinned in scripts/pins.env: the real Prometheus rule checker and rule unit-test runner, and the real
 * Alertmanager configuration checker and route tester. Tests that need one are skipped with a visible
 * notice on a developer's machine without it, and fail under CI (`CI` set), where `.ci/run` builds them.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** The cached promtool, or undefined (with a notice; an error under CI) when it is not built. */
export function requirePromtool(): string | undefined {
  return requireBuiltTool("promtool");
}

/** The cached amtool, or undefined (with a notice; an error under CI) when it is not built. */
export function requireAmtool(): string | undefined {
  return requireBuiltTool("amtool");
}

function requireBuiltTool(tool: "promtool" | "amtool"): string | undefined {
  const build = path.join(REPO_ROOT, "scripts", "build");
  try {
    execFileSync("bash", [build, "--check", tool], { stdio: "ignore" });
    const dir = execFileSync("bash", [build, "--path", tool], { encoding: "utf8" }).trim();
    return path.join(dir, tool);
  } catch {
    const message = `${tool} is not built; \`scripts/build ${tool}\` builds it once (Go 1.26), then it is cached`;
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
