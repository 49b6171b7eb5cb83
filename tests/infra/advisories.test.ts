/**
 * Advisories: valid settings that are probably not what the stack means, each at its key with the reason,
 * printed and never fatal. Several inputs per class, and the shipped stacks have none.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { formatAdvisory, stackAdvisories } from "../../infra/advisories.js";
import { parsePlatformConfig } from "../../infra/config.js";
import { findProject, readStackConfig } from "../../infra/stack-files.js";
import { FILE, loadStack, STACKS } from "./config-helpers.js";
import { projectWithStack, render } from "./render-helpers.js";

const AWS = { nodeRole: "KarpenterNodeRole", discoveryTag: "mlops", amiAlias: "al2023@v20250915" };
const team = (name: string, gpus: number) => ({ name, owners: [`${name}-leads`], quota: { cpu: 8, memoryGiB: 32, gpus, storageGiB: 100 } });
const pool = (name: string, maxGpus: number, extra: Record<string, unknown> = {}) => ({ name, gpu: "nvidia-l4", maxGpus, workloads: ["training"], ...extra });

/** The advisories of a stack (which must be valid), as the render prints them. */
function advisoriesOf(stack: Record<string, unknown>): string[] {
  return stackAdvisories(parsePlatformConfig({ cluster: { provider: "aws" }, ...stack }, FILE)).map((advisory) => formatAdvisory(advisory, FILE));
}

describe("GPU quotas the pools can never provide", () => {
  it.each([
    ["a team asks for more than every pool together", { environment: "dev", gpu: { aws: AWS, pools: [pool("l4", 4), pool("l4b", 2)] }, teams: [team("vision", 8)] }, "teams[0].quota.gpus", "team vision may use 8 GPUs, but the GPU pools provide at most 6 (the sum of gpu.pools[].maxGpus)", 8],
    ["a team has GPUs and the stack no pools", { environment: "dev", teams: [team("nlp", 0), team("vision", 2)] }, "teams[1].quota.gpus", "team vision may use 2 GPUs, but the stack has no GPU pools (gpu.pools)", 2],
    ["the teams together ask for more than the pools", { environment: "staging", gpu: { aws: AWS, pools: [pool("l4", 8)] }, teams: [team("vision", 6), team("nlp", 4)], training: { kueue: { enabled: false } } }, "teams[1].quota.gpus", "the teams' GPU quotas add up to 10 (vision 6, nlp 4), but the GPU pools provide at most 8", 4],
  ])("advises when %s", (_name, stack, key, reason, value) => {
    const [advisory, ...more] = advisoriesOf(stack);
    expect(more).toEqual([]);
    expect(advisory).toMatch(new RegExp(`^advisory: ${FILE.replace(/\./g, "\\.")}: mlops-platform:${key.replace(/[[\].]/g, "\\$&")}: `));
    expect(advisory).toContain(reason);
    expect(advisory!.endsWith(`, got ${value}`)).toBe(true);
  });

  it("says nothing when the pools can provide every quota", () => {
    expect(advisoriesOf({ environment: "dev", gpu: { aws: AWS, pools: [pool("l4", 8)] }, teams: [team("vision", 4), team("nlp", 4)] })).toEqual([]);
  });
});

describe("spot-only capacity for production serving", () => {
  const serving = (capacity: string[]) => pool("a10g", 4, { gpu: "nvidia-a10g", capacity, workloads: ["serving"] });
  it("advises a prod serving pool on spot alone", () => {
    expect(advisoriesOf({ environment: "prod", gpu: { aws: AWS, pools: [serving(["spot"])] } })).toEqual([
      `advisory: ${FILE}: mlops-platform:gpu.pools[0].capacity: pool a10g serves models in prod on spot capacity only: the cloud can reclaim every node at once (two minutes' notice on AWS, thirty seconds on Azure and GCP), taking the models offline; add "on-demand" (Karpenter prefers spot while it lasts), got ["spot"]`,
    ]);
  });
  it.each([
    ["spot and on-demand in prod", "prod", serving(["spot", "on-demand"])],
    ["spot serving in staging", "staging", serving(["spot"])],
    ["spot training in prod", "prod", pool("l4", 4, { capacity: ["spot"] })],
  ])("says nothing for %s", (_name, environment, gpuPool) => {
    expect(advisoriesOf({ environment, gpu: { aws: AWS, pools: [gpuPool] }, training: { kueue: { enabled: false } } })).toEqual([]);
  });
});

describe("timeouts and replica counts far outside sane ranges", () => {
  it.each([
    ["notebooks culled after 2 idle minutes", { notebooks: { culling: { enabled: true, idleMinutes: 2 } } }, "notebooks.culling.idleMinutes", "a short break loses the kernel's state", 2],
    ["notebooks kept idle for a week", { notebooks: { culling: { enabled: true, idleMinutes: 10080 } } }, "notebooks.culling.idleMinutes", "for more than a day (1440 minutes)", 10080],
    ["an empty GPU node kept a day", { gpu: { aws: AWS, pools: [pool("l4", 4, { consolidateAfterMinutes: 1440 })] } }, "gpu.pools[0].consolidateAfterMinutes", "kept for more than 4 hours before it is removed", 1440],
    ["50 replicas of every service", { availability: { replicas: 50 } }, "availability.replicas", "more than 10: two or three survive a node or zone", 50],
  ])("advises %s", (_name, stack, key, reason, value) => {
    const advisories = advisoriesOf({ environment: "dev", ...stack });
    expect(advisories).toHaveLength(1);
    expect(advisories[0]).toContain(`: mlops-platform:${key}: `);
    expect(advisories[0]).toContain(reason);
    expect(advisories[0]!.endsWith(`, got ${value}`)).toBe(true);
  });

  it.each([
    ["culling at 10 minutes", { notebooks: { culling: { enabled: true, idleMinutes: 10 } } }],
    ["culling at 1440 minutes", { notebooks: { culling: { enabled: true, idleMinutes: 1440 } } }],
    ["culling off (the notebook-culling policy speaks for it)", { notebooks: { culling: { enabled: false, idleMinutes: 1 } } }],
    ["10 replicas", { availability: { replicas: 10 } }],
  ])("says nothing for %s", (_name, stack) => {
    expect(advisoriesOf({ environment: "dev", ...stack })).toEqual([]);
  });
});

describe("advisories in the render", () => {
  it.each(STACKS)("the shipped %s stack has none", (stack) => {
    expect(stackAdvisories(loadStack(stack))).toEqual([]);
  });

  it("prints each with its reason and still renders (exit 0, files written)", () => {
    const dir = projectWithStack(
      "risky",
      [
        "config:",
        "  mlops-platform:environment: dev",
        "  mlops-platform:cluster: { provider: kind }",
        "  mlops-platform:availability: { replicas: 12 }",
        "  mlops-platform:notebooks: { culling: { enabled: true, idleMinutes: 5 } }",
        "  mlops-platform:teams:",
        "    - { name: vision, owners: [vision-leads], quota: { cpu: 4, memoryGiB: 8, gpus: 1, storageGiB: 10 } }",
        "",
      ].join("\n"),
    );
    const run = render(["--stack", "risky"], dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Advisories (3, not fatal):\n  advisory: stacks/Pulumi.risky.yaml: mlops-platform:teams[0].quota.gpus: team vision may use 1 GPU, but the stack has no GPU pools");
    expect(run.stdout).toContain("  advisory: stacks/Pulumi.risky.yaml: mlops-platform:notebooks.culling.idleMinutes: notebooks are stopped after 5 idle minutes");
    expect(run.stdout).toContain("  advisory: stacks/Pulumi.risky.yaml: mlops-platform:availability.replicas: every platform service");
    expect(fs.existsSync(path.join(dir, "out", "risky", "plan.json"))).toBe(true);
  });
});

describe("advisories under pulumi up", () => {
  it("are warnings of the program before anything deploys, and the program goes on", async () => {
    const dir = projectWithStack("risky", ["config:", "  mlops-platform:environment: dev", "  mlops-platform:cluster: { provider: kind }", "  mlops-platform:availability: { replicas: 12 }", ""].join("\n"));
    const offline = readStackConfig(path.join(dir, "stacks/Pulumi.risky.yaml"), findProject(dir).name);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const { captureProgram } = await import("@mlops-platform/components/testing");
      const result = await captureProgram(() => import("../../infra/program.js").then((program) => program.platformProgram({ preflight: false })), {
        project: "mlops-platform",
        stack: "risky",
        config: offline.config,
        secretKeys: offline.secretKeys,
      });
      expect(result.errors).toEqual([]);
      const warnings = warn.mock.calls.map((call) => String(call[0])).filter((text) => text.includes("advisory:"));
      expect(warnings).toEqual([expect.stringMatching(/^warning: \[runtime\] advisory: stacks\/Pulumi\.risky\.yaml: mlops-platform:availability\.replicas: every platform service .*, got 12$/)]);
      expect(result.resources.length).toBeGreaterThan(10);
    } finally {
      warn.mockRestore();
    }
  });
});

describe("README's advisory example", () => {
  it("is what the advisory says for dev with vision's GPU quota raised to 8", () => {
    const readme = fs.readFileSync(path.join(path.resolve(import.meta.dirname, "../.."), "README.md"), "utf8");
    const config = loadStack("dev");
    const vision = config.teams.findIndex((t) => t.name === "vision");
    const raised = { ...config, teams: config.teams.map((t, i) => (i === vision ? { ...t, quota: { ...t.quota, gpus: 8 } } : t)) };
    const [advisory] = stackAdvisories(raised).map((a) => formatAdvisory(a, "stacks/Pulumi.dev.yaml"));
    expect(readme).toContain(`Advisories (1, not fatal):\n  ${advisory}\n`);
  });
});
