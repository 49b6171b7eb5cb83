import { spawn } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const POLICIES = path.resolve(import.meta.dirname, "../../policies");

describe("the policy pack", () => {
  it("starts as a real @pulumi/policy analyzer and reports its port, with every rule accepted", async () => {
    // This is what `pulumi preview --policy-pack policies` runs: index.ts constructs the PolicyPack, whose
    // server validates each policy (names, levels, config schemas) and prints the port it listens on.
    const child = spawn(process.execPath, ["dist/index.js"], { cwd: POLICIES, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const port = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no port after 20 s; stderr: ${stderr}`)), 20_000);
      child.stdout.on("data", () => {
        const line = stdout.trim().split("\n")[0] ?? "";
        if (/^\d+$/.test(line)) {
          clearTimeout(timer);
          resolve(line);
        }
      });
      child.on("exit", (code) => reject(new Error(`exited with ${code}; stderr: ${stderr}`)));
    });
    child.kill();
    expect(Number(port)).toBeGreaterThan(0);
    expect(stderr).toBe("");
  });
});
