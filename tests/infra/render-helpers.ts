/** Running the render CLI the way `npm run render -- ...` does, in throwaway folders. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const CLI = path.join(ROOT, "dist/infra/render.js");

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the render CLI the way `npm run render -- ...` does (after the build). */
export function render(args: string[], cwd = ROOT): Run {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Every file below `dir`, relative path to contents. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full), fs.readFileSync(full, "utf8"));
  }
  return files;
}

/** A throwaway project with the real Pulumi.yaml and one stack file, for stacks the repo must not hold. */
export function projectWithStack(stack: string, stackYaml: string): string {
  const dir = tempDir("mlp-project-");
  fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  fs.mkdirSync(path.join(dir, "stacks"));
  fs.writeFileSync(path.join(dir, "stacks", `Pulumi.${stack}.yaml`), stackYaml);
  return dir;
}
