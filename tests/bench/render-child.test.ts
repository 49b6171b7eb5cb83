import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CHILD = path.join(ROOT, "dist/bench/render-child.js");

describe("npm run bench's measured render", () => {
  it("runs a stack through components and flat, registering the same Kubernetes resources (no timing asserted)", () => {
    const flat = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mlp-bench-")), "dev.json");
    const run = (mode: string) => spawnSync(process.execPath, [CHILD, mode, "dev", flat], { cwd: ROOT, encoding: "utf8" });
    const platform = run("platform");
    expect(platform.stderr).toBe("");
    expect(platform.status).toBe(0);
    const measured = JSON.parse(platform.stdout.trim()) as { ms: number; resources: number; maxRssMiB: number };
    expect(measured.resources).toBeGreaterThan(50);
    const kubernetes = (JSON.parse(fs.readFileSync(flat, "utf8")) as unknown[]).length;
    const direct = run("direct");
    expect(direct.status, direct.stderr).toBe(0);
    // Flat: the same Kubernetes resources plus the stack, without components or the provider.
    expect((JSON.parse(direct.stdout.trim()) as { resources: number }).resources).toBe(kubernetes + 1);
  });
});
