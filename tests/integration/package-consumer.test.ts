/**
 * The library as a team gets it: `npm pack` of @mlops-platform/components, installed from the tarball into
 * a throw-away project outside the workspace (nothing of the workspace is reachable from there), the
 * package README's program compiled against it by package name and run under its testing kit; and the
 * installed package as a Pulumi plugin: the real CLI derives the committed schema from its executable.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireEngine } from "./engine.js";
import { committedSchema, PACKAGE_VERSION, runPulumi, schemaChanges, type PackageSchema } from "./package-schema.js";
import { REPO_ROOT } from "./simulated-cluster.js";

const COMPONENTS_DIR = path.join(REPO_ROOT, "components");
const TSC = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
const rootPackage = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };

/** The `ts` code blocks of the package README that start with `// <file>`, by file name. */
export function readmePrograms(readme: string): Map<string, string> {
  const programs = new Map<string, string>();
  for (const match of readme.matchAll(/```ts\n\/\/ ([\w.-]+\.ts)\n([\s\S]*?)```/g)) programs.set(match[1]!, match[2]!);
  return programs;
}

interface PackedFile {
  path: string;
  mode: number;
}

describe("@mlops-platform/components packed, installed outside the workspace and used by package name", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-consumer-"));
  const consumer = path.join(work, "consumer");
  let packed: PackedFile[] = [];
  let tarball = "";

  beforeAll(() => {
    // The workspace's build (npm test builds first) is what gets packed.
    const json = execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: COMPONENTS_DIR, encoding: "utf8" });
    const [result] = JSON.parse(json) as Array<{ filename: string; files: PackedFile[] }>;
    packed = result!.files;
    tarball = path.join(work, result!.filename);

    fs.mkdirSync(consumer);
    const programs = readmePrograms(fs.readFileSync(path.join(COMPONENTS_DIR, "README.md"), "utf8"));
    for (const [file, text] of programs) fs.writeFileSync(path.join(consumer, file), text);
    fs.writeFileSync(
      path.join(consumer, "package.json"),
      JSON.stringify({
        name: "consumer",
        private: true,
        type: "module",
        dependencies: {
          "@mlops-platform/components": `file:${tarball}`,
          // The peers, at the versions the workspace uses (so the npm cache usually has them).
          "@pulumi/pulumi": rootPackage.dependencies["@pulumi/pulumi"],
          "@pulumi/kubernetes": rootPackage.dependencies["@pulumi/kubernetes"],
        },
      }),
    );
    fs.writeFileSync(
      path.join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, skipLibCheck: true, types: [], outDir: "." },
        files: [...programs.keys()],
      }),
    );
    // --ignore-scripts: @pulumi/kubernetes' install script wants a Pulumi CLI, which a TypeScript consumer does not need.
    const install = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline"], {
      cwd: consumer,
      encoding: "utf8",
      timeout: 600_000,
    });
    if (install.status !== 0) throw new Error(`npm install of the tarball failed:\n${install.stdout}\n${install.stderr}`);
  }, 660_000);
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it(`packs version ${PACKAGE_VERSION} with the JavaScript, the declarations of both entry points and the plugin's files, and nothing of the build's bookkeeping`, () => {
    const files = new Map(packed.map((f) => [f.path, f.mode]));
    const required = [
      "package.json", "README.md", "CHANGELOG.md",
      "dist/index.js", "dist/index.d.ts", "dist/testing/index.js", "dist/testing/index.d.ts", "dist/provider.js",
      "src/index.ts", "src/provider.ts", "tsconfig.json", "schema.json", "PulumiPlugin.yaml", "pulumi-resource-mlops-platform",
    ];
    expect(required.filter((file) => !files.has(file))).toEqual([]);
    expect([...files.keys()].filter((file) => file.startsWith("dist/api-report/") || file === "dist/.tsbuildinfo")).toEqual([]);
    // The plugin's launcher stays executable in the tarball.
    expect(files.get("pulumi-resource-mlops-platform")! & 0o111).not.toBe(0);
    expect(path.basename(tarball)).toBe(`mlops-platform-components-${PACKAGE_VERSION}.tgz`);
  });

  it("is installed from the tarball, not linked to the workspace", () => {
    const installed = path.join(consumer, "node_modules", "@mlops-platform", "components");
    expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")).version).toBe(PACKAGE_VERSION);
  });

  it("compiles the README's program (MlPlatform and Team by package name) and runs it under the testing kit", () => {
    const compile = spawnSync(process.execPath, [TSC, "-p", consumer], { encoding: "utf8" });
    expect(compile.stdout + compile.stderr, "tsc of the README's program").toBe("");
    const run = spawnSync(process.execPath, [path.join(consumer, "check.js")], { cwd: consumer, encoding: "utf8", timeout: 120_000 });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const [, resources, objects, problems] = /(\d+) resources, (\d+) Kubernetes objects, (\d+) problems/.exec(run.stdout) ?? [];
    expect(Number(problems)).toBe(0);
    expect(Number(objects)).toBeGreaterThan(20);
    expect(Number(resources)).toBeGreaterThan(Number(objects));
  });

  it("refuses a wrong argument with the component's own message", () => {
    const file = path.join(consumer, "wrong.mjs");
    fs.writeFileSync(
      file,
      `import { captureProgram } from "@mlops-platform/components/testing";
const { Team } = await import("@mlops-platform/components");
const capture = await captureProgram(() => new Team("t", { name: "Bad_Name", owners: ["o"], quota: { cpu: 1, memoryGiB: 1, storageGiB: 1 } }), { project: "p", stack: "s" });
console.log(capture.errors.map((e) => e.message).join("\\n"));`,
    );
    const run = spawnSync(process.execPath, [file], { cwd: consumer, encoding: "utf8", timeout: 60_000 });
    expect(run.stdout).toMatch(/Bad_Name/);
  });

  const engine = requireEngine();
  it.skipIf(!engine)("serves the committed package schema from the installed plugin executable (the real CLI's get-schema)", async () => {
    // The CLI reads `name@version` into a plugin path with an `@` in it (`.../node_modules/@mlops-platform/...`
    // fails); docs/delivery.md has users reach the installed package through a link without one, as here.
    const link = path.join(consumer, "mlops-platform");
    if (!fs.existsSync(link)) fs.symlinkSync(path.join("node_modules", "@mlops-platform", "components"), link);
    const plugin = path.join(link, "pulumi-resource-mlops-platform");
    const served = JSON.parse(await runPulumi(engine!, ["package", "get-schema", plugin], { timeoutMs: 180_000 })) as PackageSchema;
    expect(schemaChanges(committedSchema(), served)).toEqual([]);
  }, 240_000);
});
