/**
 * `npm run bench`: how fast and how big the offline render is, per stack, and what our components cost
 * over registering the same resources directly. Every figure comes from this one run; the overhead is a
 * ratio of medians measured side by side (platform and direct alternate), so machine speed cancels out.
 * Not a test: nothing here asserts a time.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
const STACKS = ["local", "dev", "staging", "prod"];
/** A synthetic stack: prod's settings with this many teams, to see how the render scales. */
const SCALE_TEAMS = Number(process.env["BENCH_SCALE_TEAMS"] ?? 100);
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 5);
const RENDER = path.join(ROOT, "dist/infra/render.js");
const CHILD = path.join(ROOT, "dist/bench/render-child.js");

interface ChildResult {
  ms: number;
  resources: number;
  maxRssMiB: number;
}

function runChild(args: string[], cwd: string): ChildResult {
  const run = spawnSync(process.execPath, [CHILD, ...args], { cwd, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`render-child ${args.join(" ")} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").pop()!) as ChildResult;
}

function timeRender(stack: string, out: string, cwd: string): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, [RENDER, "--stack", stack, "--out", out], { cwd, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`render ${stack} failed:\n${run.stderr}`);
  return performance.now() - start;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-bench-"));

/** A project folder holding the real stacks plus the synthetic scale stack. */
function benchProject(): string {
  const dir = path.join(tmp, "project");
  fs.mkdirSync(path.join(dir, "stacks"), { recursive: true });
  fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  for (const stack of STACKS) {
    fs.copyFileSync(path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`), path.join(dir, "stacks", `Pulumi.${stack}.yaml`));
  }
  const teams = Array.from({ length: SCALE_TEAMS }, (_, i) =>
    [`    - name: team${i}`, `      owners: [team${i}-leads]`, `      members: [team${i}-members]`, "      quota: { cpu: 8, memoryGiB: 32, gpus: 1, storageGiB: 100 }"].join("\n"),
  );
  const scale = ["config:", "  mlops-platform:environment: prod", "  mlops-platform:cluster:", "    provider: aws", "  mlops-platform:teams:", ...teams, ""];
  fs.writeFileSync(path.join(dir, "stacks", `Pulumi.scale-${SCALE_TEAMS}.yaml`), scale.join("\n"));
  return dir;
}

const project = benchProject();
const rows: string[][] = [];
for (const stack of [...STACKS, `scale-${SCALE_TEAMS}`]) {
  const resourcesFile = path.join(tmp, `${stack}.json`);
  runChild(["platform", stack, resourcesFile], project); // warm-up, and the flat resource list for "direct"
  const wall: number[] = [];
  const platform: ChildResult[] = [];
  const direct: ChildResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    wall.push(timeRender(stack, path.join(tmp, `out-${stack}`), project));
    platform.push(runChild(["platform", stack], project));
    direct.push(runChild(["direct", stack, resourcesFile], project));
  }
  const platformMs = median(platform.map((r) => r.ms));
  const directMs = median(direct.map((r) => r.ms));
  rows.push([
    stack,
    String(platform[0]!.resources),
    median(wall).toFixed(0),
    Math.max(...platform.map((r) => r.maxRssMiB)).toFixed(0),
    platformMs.toFixed(1),
    directMs.toFixed(1),
    (platformMs / directMs).toFixed(2),
  ]);
}
fs.rmSync(tmp, { recursive: true, force: true });

const header = ["stack", "resources", "render wall ms", "peak RSS MiB", "capture ms (components)", "capture ms (direct)", "overhead ratio"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
console.log(`Offline render benchmark: node ${process.version}, ${os.cpus().length} CPUs, median of ${ROUNDS} rounds`);
console.log(line(header));
console.log(`| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`);
for (const row of rows) console.log(line(row));
console.log(
  "\nrender wall ms: the whole `npm run render` process, start-up and validation included. capture ms: running the program\n" +
    "under mocks until every registration is captured, modules already loaded; direct registers the same Kubernetes\n" +
    `resources flat, without components or provider. overhead ratio = components / direct. scale-${SCALE_TEAMS}: prod with ${SCALE_TEAMS} teams.`,
);
