/** What the render does to its output folder: only ever replace a previous render, never a failure's. */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { projectWithStack, readTree, render, ROOT, tempDir } from "./render-helpers.js";

/** A folder holding someone's files, as `.` or a home folder would. */
function folderWithOwnFiles(): string {
  const dir = tempDir("mlp-not-a-render-");
  fs.writeFileSync(path.join(dir, "README.md"), "mine");
  fs.mkdirSync(path.join(dir, ".git"));
  fs.writeFileSync(path.join(dir, ".git", "HEAD"), "ref: refs/heads/main");
  return dir;
}

describe("the render's output folder", () => {
  it("refuses a folder that is not empty and holds no previous render, and leaves it untouched", () => {
    const dir = folderWithOwnFiles();
    const before = readTree(dir);
    const run = render(["--stack", "local", "--out", dir]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${dir} is not empty and holds no previous render (no .mlops-render.json): nothing was written`);
    expect(readTree(dir)).toEqual(before);
  });

  it("refuses the project folder itself (`--out .`), the mistake that once wiped .git", () => {
    const project = projectWithStack("local", fs.readFileSync(path.join(ROOT, "stacks/Pulumi.local.yaml"), "utf8"));
    const before = readTree(project);
    const run = render(["--stack", "local", "--out", "."], project);
    expect(run.status).toBe(2);
    expect(readTree(project)).toEqual(before);
  });

  it("refuses a file", () => {
    const file = path.join(tempDir("mlp-file-"), "plan.txt");
    fs.writeFileSync(file, "not a folder");
    const run = render(["--stack", "local", "--out", file]);
    expect(run.status).toBe(2);
    expect(fs.readFileSync(file, "utf8")).toBe("not a folder");
  });

  it("marks what it writes, so the next render of any stack may replace it", () => {
    const out = tempDir("mlp-render-mark-");
    expect(render(["--stack", "local", "--out", out]).status).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(out, ".mlops-render.json"), "utf8"))).toEqual({ stack: "local", project: "mlops-platform" });
    expect(render(["--stack", "dev", "--out", out]).status).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(out, ".mlops-render.json"), "utf8"))).toEqual({ stack: "dev", project: "mlops-platform" });
    // Only what dev renders: nothing of local's is left behind.
    expect(fs.existsSync(path.join(out, "manifests/_cluster/namespace-gpu-operator.yaml"))).toBe(true);
    expect(fs.readdirSync(path.dirname(out)).filter((f) => f.startsWith(`.${path.basename(out)}.rendering-`))).toEqual([]);
  });

  it("leaves the previous render as it was when a render fails, and says whose it is", () => {
    const out = tempDir("mlp-render-failed-");
    expect(render(["--stack", "local", "--out", out]).status).toBe(0);
    const before = readTree(out);
    const project = projectWithStack("broken", ["config:", "  mlops-platform:environment: prod", "  mlops-platform:cluster: { provider: moon }"].join("\n"));
    const run = render(["--stack", "broken", "--out", out], project);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`still holds the previous render of stack "local", not this one`);
    expect(readTree(out)).toEqual(before);
  });

  it("writes nothing with --check, and says so", () => {
    const out = path.join(tempDir("mlp-render-check-"), "out");
    const run = render(["--stack", "dev", "--out", out, "--check"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Checked: no problems (nothing written)");
    expect(fs.existsSync(out)).toBe(false);
  });
});
