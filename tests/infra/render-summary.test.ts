/**
 * What the render prints beyond the resources: progress on long renders (stderr only), the teams and GPU
 * pools it made, which price each cost column uses, and money printed one way everywhere.
 */
import { describe, expect, it } from "vitest";
import { formatUsd } from "../../infra/cost.js";
import { PROGRESS_EVERY_TEAMS, RenderProgress, type ProgressStream } from "../../infra/progress.js";
import { projectWithStack, render } from "./render-helpers.js";

/** A stream that keeps what is written, as a terminal or as a pipe. */
function stream(isTTY: boolean): ProgressStream & { text: string } {
  const out = { isTTY, text: "", write: (chunk: string) => ((out.text += chunk), true) };
  return out;
}

const namespaces = (count: number): string[] => Array.from({ length: count }, (_, i) => `team-t${i}`);
const register = (progress: RenderProgress, names: readonly string[]): void => {
  for (const name of names) {
    progress.registered("kubernetes:core/v1:ConfigMap", { metadata: { name: "x", namespace: name } });
    progress.registered("kubernetes:core/v1:Namespace", { metadata: { name } });
  }
};

describe("progress of a long render", () => {
  it("outside a terminal: a line every 50 teams and one per phase, nothing else", () => {
    const out = stream(false);
    const teams = namespaces(120);
    const progress = new RenderProgress(teams, out);
    progress.phase("running the program (120 teams)");
    register(progress, teams);
    progress.phase("validating the objects against their schemas");
    progress.done();
    expect(out.text.split("\n")).toEqual([
      "render: running the program (120 teams)",
      "render: 50/120 teams, 100 resources registered",
      "render: 100/120 teams, 200 resources registered",
      "render: 120/120 teams, 240 resources registered",
      "render: validating the objects against their schemas",
      "",
    ]);
  });

  it(`outside a terminal: nothing for a stack of fewer than ${PROGRESS_EVERY_TEAMS} teams`, () => {
    const out = stream(false);
    const teams = namespaces(PROGRESS_EVERY_TEAMS - 1);
    const progress = new RenderProgress(teams, out);
    progress.phase("running the program");
    register(progress, teams);
    progress.done();
    expect(out.text).toBe("");
  });

  it("on a terminal: one line rewritten in place, cleared at the end", () => {
    const out = stream(true);
    const teams = namespaces(3);
    const progress = new RenderProgress(teams, out);
    progress.phase("running the program (3 teams)");
    register(progress, teams);
    progress.done();
    expect(out.text).not.toContain("\n");
    expect(out.text.split("\r\x1b[K")).toEqual([
      "",
      "render: running the program (3 teams)",
      "render: 1/3 teams, 2 resources registered",
      "render: 2/3 teams, 4 resources registered",
      "render: 3/3 teams, 6 resources registered",
      "",
    ]);
  });

  it("a render of 60 teams shows progress on stderr and its summary on stdout, each team listed up to 20", () => {
    const teams = Array.from({ length: 60 }, (_, i) => `    - { name: t${i}, owners: [g], quota: { cpu: 2, memoryGiB: 4, storageGiB: 10 } }`);
    const dir = projectWithStack("many", ["config:", "  mlops-platform:environment: dev", "  mlops-platform:cluster: { provider: kind }", "  mlops-platform:teams:", ...teams, ""].join("\n"));
    const run = render(["--stack", "many", "--check"], dir);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("render: running the program (60 teams)\nrender: 50/60 teams, ");
    expect(run.stderr).toMatch(/\nrender: 60\/60 teams, [\d,]+ resources registered\n/);
    expect(run.stdout).not.toContain("render:");
    expect(run.stdout).toContain("Teams (60):\n  team  namespace  cpu  memory  gpus  storage\n  t0    team-t0    2    4Gi     0     10Gi\n");
    expect(run.stdout).toContain("  t19   team-t19   2    4Gi     0     10Gi\n  ... and 40 more teams, each in its namespace team-<name>\n");
    const section = run.stdout.slice(run.stdout.indexOf("Teams (60):"));
    expect(section.slice(0, section.indexOf("\n\n"))).not.toContain("team-t20");
  });
});

describe("the GPU pools and their cost", () => {
  it("lists each pool's instance types and says which price each cost column uses", () => {
    const dir = projectWithStack(
      "pools",
      [
        "config:",
        "  mlops-platform:environment: staging",
        "  mlops-platform:cluster: { provider: aws }",
        "  mlops-platform:gpu:",
        "    monthlyBudgetUsd: 100000",
        "    aws: { nodeRole: KarpenterNodeRole, discoveryTag: mlops, amiAlias: al2023@v20250915 }",
        "    pools:",
        "      - { name: mixed, gpu: nvidia-l4, capacity: [spot, on-demand], minNodes: 1, maxGpus: 10, workloads: [training] }",
        "      - { name: big, gpu: nvidia-h100, gpusPerNode: 8, maxGpus: 16, workloads: [training] }",
        "  mlops-platform:gateway: { enabled: false }",
        "",
      ].join("\n"),
    );
    const run = render(["--stack", "pools", "--check"], dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      [
        "GPU pools (2):",
        "  pool   gpu x per node  capacity         gpus (warm-max)  instance types",
        "  mixed  nvidia-l4 x1    spot, on-demand  1-10             g6.xlarge, g6.2xlarge",
        "  big    nvidia-h100 x8  on-demand        0-16             p5.48xlarge",
      ].join("\n"),
    );
    // 10 GPUs all month at on-demand ($0.81) and one warm node at spot ($0.38); two H100 nodes at on-demand.
    expect(run.stdout).toContain(
      [
        "  pool   gpu          $/GPU-hour                   max/month                idle/month",
        "  mixed  nvidia-l4    $0.38 spot, $0.81 on-demand  $5,876.50 at on-demand   $277.40 at spot",
        "  big    nvidia-h100  $6.88 on-demand              $80,358.40 at on-demand  $0.00 at on-demand",
        "  total                                            $86,234.90               $277.40",
        "  max/month: maxGpus GPUs all month at the dearest price the pool allows; idle/month: its minNodes nodes all month at the cheapest",
      ].join("\n"),
    );
  });
});

describe("money, one way", () => {
  it.each([
    [0, "$0.00"],
    [0.5, "$0.50"],
    [277.4, "$277.40"],
    [27740, "$27,740.00"],
    [1234567.891, "$1,234,567.89"],
    [-1109.6, "-$1,109.60"],
  ])("%d is %s in the render, npm run diff and the portal export", (value, text) => {
    expect(formatUsd(value)).toBe(text);
  });
});
