/**
 * The PR preview's diff (infra/diff.ts): what a change does to a stack, from two renders. Table tests over
 * plans built here, then the CLI over two real renders of the dev stack, one of them changed.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { GpuType, StackCost } from "@mlops-platform/components";
import type { PlanResource } from "@mlops-platform/components/testing";
import { describe, expect, it } from "vitest";
import {
  compareViolations,
  describeField,
  diffPlans,
  fieldChanges,
  formatStackDiff,
  lineChanges,
  parseArgs,
  readRenders,
  runDiff,
  type RenderedPlan,
} from "../../infra/diff.js";
import type { PlanViolation } from "../../infra/policy-check.js";
import { projectWithStack, render, ROOT, tempDir } from "./render-helpers.js";

const DIFF_CLI = path.join(ROOT, "dist/infra/diff.js");

function resource(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<PlanResource> = {}): PlanResource {
  return { type, name, parent: "", component: "", inputs, protect: false, retainOnDelete: false, dependsOn: [], ...extra };
}

const deployment = (spec: Record<string, unknown>, namespace = "mlp-gateway") =>
  resource("kubernetes:apps/v1:Deployment", "mlops-gateway-deployment", { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "ai-gateway", namespace }, spec }, {
    component: "AiGateway::mlops-gateway",
    parent: "mlops-platform:index:AiGateway::mlops-gateway",
  });

const podSpec = (image: string, extra: Record<string, unknown> = {}) => ({
  replicas: 1,
  selector: { matchLabels: { app: "gw" } },
  template: { spec: { containers: [{ name: "sidecar", image: "busybox" }, { name: "litellm", image, ...extra }] } },
});

function plan(resources: PlanResource[], sections: { violations?: PlanViolation[]; cost?: StackCost } = {}): RenderedPlan {
  return { stack: "dev", resources, ...sections };
}

function cost(pools: Array<[string, number]>): StackCost {
  const list = pools.map(([pool, max]) => ({ pool, gpu: "nvidia-l4" as GpuType, hourlyPerGpuUsd: { min: 0.38, max: 0.38 }, maxMonthlyUsd: max, idleMonthlyUsd: 0 }));
  return { currency: "USD", hoursPerMonth: 730, priceSource: "test", pools: list, maxMonthlyUsd: list.reduce((s, p) => s + p.maxMonthlyUsd, 0), idleMonthlyUsd: 0 };
}

describe("changed fields", () => {
  it("names containers, env and other named list items by name, so reordering is not a change", () => {
    const before = podSpec("litellm:1");
    const after = { ...podSpec("litellm:2"), template: { spec: { containers: [{ name: "litellm", image: "litellm:2" }, { name: "sidecar", image: "busybox" }] } } };
    expect(fieldChanges(before, after)).toEqual([{ path: "template.spec.containers[name=litellm].image", before: "litellm:1", after: "litellm:2" }]);
  });

  it("compares other lists by position and says what was added or removed", () => {
    expect(fieldChanges({ args: ["--port", "4000"] }, { args: ["--port", "4000", "--debug"] })).toEqual([{ path: "args[2]", before: undefined, after: "--debug" }]);
  });

  it("quotes keys that are not identifiers, as in a ConfigMap's data", () => {
    expect(fieldChanges({ data: { "config.yaml": "a" } }, { data: { "config.yaml": "b" } })).toEqual([{ path: 'data["config.yaml"]', before: "a", after: "b" }]);
  });

  it("shows the changed lines of a multi-line value, not its truncated start", () => {
    expect(describeField({ path: "data.x", before: "a: 1\nb: 2\nc: 3", after: "a: 1\nb: 5\nc: 3" })).toBe("`data.x` (1 line(s) removed, 1 added): -2: `b: 2` +2: `b: 5`");
  });

  it("finds a removed block of lines as removed, not as every following line changed", () => {
    const before = ["model_list:", "- a", "- b", "router:", "  fallbacks:", "  - b: [a]", "cache: true"].join("\n");
    const after = ["model_list:", "- a", "- b", "router:", "cache: true"].join("\n");
    expect(lineChanges(before, after)).toEqual({ removed: [[5, "  fallbacks:"], [6, "  - b: [a]"]], added: [] });
    expect(describeField({ path: "data.y", before, after })).toBe("`data.y` (2 line(s) removed, 0 added): -5: `fallbacks:` -6: `- b: [a]`");
  });
});

describe("which changes replace an object (pulumi-kubernetes' force-new fields)", () => {
  const cm = (data: Record<string, string>, name = "ai-gateway-config") =>
    resource("kubernetes:core/v1:ConfigMap", "cm", { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "ns" }, data });
  const service = (spec: Record<string, unknown>) => resource("kubernetes:core/v1:Service", "svc", { metadata: { name: "svc", namespace: "ns" }, spec });
  const binding = (role: string) => resource("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "rb", { metadata: { name: "rb", namespace: "ns" }, roleRef: { name: role }, subjects: [] });
  const job = (image: string, parallelism = 1) => resource("kubernetes:batch/v1:Job", "job", { metadata: { name: "j", namespace: "ns" }, spec: { parallelism, template: { spec: { containers: [{ name: "c", image }] } } } });
  const password = (length: number) => resource("random:index/randomPassword:RandomPassword", "pw", { length, special: false });
  const release = (namespace: string, tag: string) => resource("kubernetes:helm.sh/v3:Release", "trainer", { chart: "trainer", name: "trainer", namespace, values: { image: { tag } } });
  const chart = (version: string) => resource("kubernetes:helm.sh/v4:Chart", "kps", { chart: "kube-prometheus-stack", namespace: "mon", version });

  it.each([
    ["a Deployment's replicas and image", deployment(podSpec("a")), deployment({ ...podSpec("b"), replicas: 2 }), "update", []],
    ["a Deployment's selector", deployment(podSpec("a")), deployment({ ...podSpec("a"), selector: { matchLabels: { app: "x" } } }), "replace", ["spec.selector"]],
    ["an object's namespace", deployment(podSpec("a")), deployment(podSpec("a"), "elsewhere"), "replace", ["metadata.namespace"]],
    ["a ConfigMap's data (ConfigMaps are not mutable for the provider)", cm({ a: "1" }), cm({ a: "2" }), "replace", ["data"]],
    ["a ConfigMap's name", cm({ a: "1" }), cm({ a: "1" }, "renamed"), "replace", ["metadata.name"]],
    ["a Service's ports", service({ ports: [{ name: "http", port: 80 }] }), service({ ports: [{ name: "http", port: 8080 }] }), "update", []],
    ["a Service's clusterIP", service({ clusterIP: "None" }), service({ clusterIP: "10.0.0.1" }), "replace", ["spec.clusterIP"]],
    ["a RoleBinding's role", binding("view"), binding("edit"), "replace", ["roleRef"]],
    ["a Job's pod template (Jobs are immutable)", job("a"), job("b"), "replace", ["spec.template"]],
    ["a Job's parallelism and template", job("a"), job("b", 2), "replace", ["spec.parallelism", "spec.template"]],
    ["any input of a random resource", password(32), password(40), "replace", ["length"]],
    ["a v3 release's values", release("kubeflow-system", "a"), release("kubeflow-system", "b"), "update", []],
    ["a v3 release's namespace", release("kubeflow-system", "a"), release("trainer", "a"), "replace", ["namespace"]],
    ["a v4 chart's version (a component: its objects are updated)", chart("88.5.0"), chart("88.6.0"), "update", []],
  ] as const)("%s", (_what, before, after, action, reasons) => {
    const diff = diffPlans("dev", plan([before]), plan([after]));
    expect(diff.changes.map((c) => [c.action, c.replaceReasons])).toEqual([[action, reasons]]);
  });

  it("replaces an object whose parent changed: its URN is new", () => {
    const before = deployment(podSpec("a"));
    const diff = diffPlans("dev", plan([before]), plan([{ ...before, parent: "mlops-platform:index:MlPlatform::mlops" }]));
    expect(diff.changes[0]!.action).toBe("replace");
    expect(diff.changes[0]!.replaceReasons).toEqual(["parent mlops-platform:index:AiGateway::mlops-gateway -> mlops-platform:index:MlPlatform::mlops (a new URN)"]);
  });

  it("reports protect turned off as an update of that option", () => {
    const before = { ...deployment(podSpec("a")), protect: true };
    const diff = diffPlans("dev", plan([before]), plan([{ ...before, protect: false }]));
    expect(diff.changes.map((c) => [c.action, c.fields])).toEqual([["update", [{ path: "(protect)", before: true, after: false }]]]);
  });
});

describe("a stack's diff", () => {
  const team = (name: string) =>
    resource("kubernetes:core/v1:Namespace", `mlops-team-${name}-namespace`, { metadata: { name: `team-${name}` } }, { component: `Team::mlops-team-${name}` });
  const stackResource = resource("pulumi:pulumi:Stack", "mlops-platform-dev", {});
  const component = resource("mlops-platform:index:Team", "mlops-team-vision", { owners: ["a"] });
  const violation = (policy: string, message = "m"): PlanViolation => ({ policy, enforcementLevel: "mandatory", resource: "kubernetes:core/v1:Namespace::x", message });

  it("lists objects created, updated and deleted, never the stack or the platform's components", () => {
    const base = plan([stackResource, component, team("vision"), team("audio"), deployment(podSpec("a"))]);
    const head = plan([stackResource, { ...component, inputs: { owners: ["b"] } }, team("vision"), team("nlp"), deployment(podSpec("b"))]);
    const diff = diffPlans("dev", base, head);
    expect(diff.changes.map((c) => [c.action, c.component, c.namespace, c.title])).toEqual([
      ["update", "AiGateway::mlops-gateway", "mlp-gateway", "Deployment ai-gateway"],
      ["delete", "Team::mlops-team-audio", "", "Namespace team-audio"],
      ["create", "Team::mlops-team-nlp", "", "Namespace team-nlp"],
    ]);
  });

  it("finds nothing between a render and itself", () => {
    const same = plan([team("vision"), deployment(podSpec("a"))], { violations: [violation("a")], cost: cost([["l4", 100]]) });
    const diff = diffPlans("dev", same, structuredClone(same));
    expect([diff.changes, diff.newViolations, diff.fixedViolations, diff.remainingViolations]).toEqual([[], [], [], 1]);
    expect(formatStackDiff(diff)).toContain("### Stack `dev`: no changes to the stack's objects");
  });

  it("tells new policy violations from fixed ones and unchanged ones", () => {
    const diff = diffPlans("dev", plan([], { violations: [violation("old"), violation("kept")] }), plan([], { violations: [violation("kept"), violation("new")] }));
    expect([diff.newViolations.map((v) => v.policy), diff.fixedViolations.map((v) => v.policy), diff.remainingViolations]).toEqual([["new"], ["old"], 1]);
    const text = formatStackDiff(diff);
    expect(text).toContain("**Policy violations**: 1 new, 1 fixed (1 unchanged)");
    expect(text).toContain("New:\n- **mandatory** `new` `kubernetes:core/v1:Namespace::x`: m");
    expect(text).toContain("Fixed:\n- **mandatory** `old`");
  });

  it("tells a rule that still fails at a resource for other reasons apart from a new and a fixed violation", () => {
    const at = (policy: string, message: string, resource = "r"): PlanViolation => ({ policy, enforcementLevel: "advisory", resource, message });
    expect(compareViolations([at("fallbacks", "a"), at("x", "same")], [at("fallbacks", "a, b"), at("x", "same"), at("x", "more")])).toEqual({
      newViolations: [at("x", "more")],
      fixedViolations: [],
      changedViolations: [at("fallbacks", "a, b")],
      remainingViolations: 1,
    });
    expect(formatStackDiff(diffPlans("dev", plan([], { violations: [at("fallbacks", "a")] }), plan([], { violations: [at("fallbacks", "a, b")] })))).toContain(
      "**Policy violations**: 0 new, 0 fixed, 1 changed (0 unchanged)\n\nChanged (the rule still fails there; what it says now):\n- **advisory** `fallbacks` `r`: a, b",
    );
  });

  it("gives the GPU cost delta of the stack and of each pool that changed", () => {
    const text = formatStackDiff(diffPlans("dev", plan([], { cost: cost([["l4", 1109.6], ["a100", 500]]) }), plan([], { cost: cost([["l4", 2219.2], ["a100", 500], ["h100", 10]]) })));
    expect(text).toContain("**GPU cost** (USD/month, at each pool's maximum): $1,609.60 → $2,729.20 (+$1,119.60); idle: $0.00 → $0.00 (±$0.00)");
    expect(text).toContain("| `l4` | $1,109.60 → $2,219.20 (+$1,109.60) | $0.00 → $0.00 (±$0.00) |");
    expect(text).toContain("| `h100` | $10.00 (new) | $0.00 (new) |");
    expect(text).not.toContain("`a100`");
  });

  it("groups by component, then namespace, and calls replacements out above the tables", () => {
    const cm = (data: string) =>
      resource("kubernetes:core/v1:ConfigMap", "mlops-gateway-config", { metadata: { name: "ai-gateway-config", namespace: "mlp-gateway" }, data: { "config.yaml": data } }, { component: "AiGateway::mlops-gateway" });
    const text = formatStackDiff(diffPlans("dev", plan([cm("a"), deployment(podSpec("a"))]), plan([cm("b"), deployment(podSpec("a")), team("nlp")])));
    expect(text).toBe(
      [
        "### Stack `dev`: 1 to create, 0 to update, 1 to replace, 0 to delete",
        "",
        "> [!WARNING]",
        "> 1 object(s) will be **replaced** (deleted, then created again):",
        "> - `ConfigMap ai-gateway-config` in `mlp-gateway`: forced by `data`",
        "",
        "#### AiGateway::mlops-gateway",
        "",
        "Namespace `mlp-gateway`:",
        "",
        "| | object | changed fields |",
        "|---|---|---|",
        '| +- replace | `ConfigMap ai-gateway-config` | `data["config.yaml"]`: `a` → `b` |',
        "",
        "#### Team::mlops-team-nlp",
        "",
        "Cluster-scoped or outside Kubernetes:",
        "",
        "| | object | changed fields |",
        "|---|---|---|",
        "| + create | `Namespace team-nlp` |  |",
        "",
        "**Policy violations**: none new, none fixed (0 unchanged)",
        "",
      ].join("\n"),
    );
  });

  it("says when a whole stack is new", () => {
    expect(formatStackDiff(diffPlans("prod", undefined, plan([team("a")])))).toContain("### Stack `prod` (new stack): 1 to create");
  });

  it("stays under the length a PR comment allows, saying how many objects it leaves out", () => {
    const many = Array.from({ length: 400 }, (_, i) => team(`t${String(i).padStart(3, "0")}`));
    const text = formatStackDiff(diffPlans("dev", plan([]), plan(many)), { maxLength: 5000 });
    expect(text.length).toBeLessThanOrEqual(5000);
    expect(text).toMatch(/_\d+ more changed object\(s\) not shown: the comment would be too long/);
    expect(text).toContain("**Policy violations**");
  });
});

describe("reading render folders", () => {
  const write = (dir: string, p: RenderedPlan) => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "plan.json"), JSON.stringify(p));
  };

  it("reads one stack's output, or a folder with one per stack", () => {
    const out = tempDir("mlp-renders-");
    write(path.join(out, "dev"), { ...plan([]), stack: "dev" });
    write(path.join(out, "prod"), { ...plan([]), stack: "prod" });
    expect([...readRenders(out).keys()]).toEqual(["dev", "prod"]);
    expect([...readRenders(path.join(out, "prod")).keys()]).toEqual(["prod"]);
  });

  it("fails with exit code 2 and says why for a folder with no render", () => {
    const empty = tempDir("mlp-empty-");
    expect(runDiff({ base: empty, head: empty })).toEqual({ exitCode: 2, output: expect.stringContaining(`${empty} holds no render`) });
    expect(runDiff({ base: path.join(empty, "nope"), head: empty }).output).toContain("is not a folder");
  });

  it("parses its arguments and requires both folders", () => {
    expect(parseArgs(["--base", "a", "--head=b", "--stack", "dev"])).toEqual({ base: "a", head: "b", stack: "dev" });
    expect(parseArgs(["--base", "a"])).toContain("--base and --head are required");
  });
});

describe("npm run diff over two real renders of the dev stack", () => {
  it("shows the pool's cost doubling, the new team's objects, and the violation a removed fallback brings", () => {
    const dev = fs.readFileSync(path.join(ROOT, "stacks/Pulumi.dev.yaml"), "utf8");
    const changed = dev
      .replace("maxGpus: 4", "maxGpus: 8")
      .replace("rpm: 60, fallbacks: [chat-default] }", "rpm: 60 }")
      .concat("    - name: nlp\n      owners: [nlp-leads]\n      quota: { cpu: 8, memoryGiB: 32, gpus: 1, storageGiB: 100 }\n");
    expect(changed).not.toBe(dev);
    const out = tempDir("mlp-diff-renders-");
    const base = render(["--stack", "dev", "--out", path.join(out, "base")]);
    const head = render(["--stack", "dev", "--out", path.join(out, "head")], projectWithStack("dev", changed));
    expect([base.status, head.status], base.stderr + head.stderr).toEqual([0, 0]);

    const run = spawnSync(process.execPath, [DIFF_CLI, "--base", path.join(out, "base"), "--head", path.join(out, "head")], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const text = run.stdout;
    expect(text).toMatch(/^### Stack `dev`: \d+ to create, \d+ to update, \d+ to replace, 0 to delete$/m);
    expect(text).toContain("#### Team::mlops-team-nlp");
    expect(text).toContain("| + create | `Namespace team-nlp` |  |");
    expect(text).toContain("| + create | `ResourceQuota team-quota` |  |");
    expect(text).toContain("**GPU cost** (USD/month, at each pool's maximum): $1,109.60 → $2,219.20 (+$1,109.60)");
    // The gateway's config is a ConfigMap: a change to it replaces it (and rolls the gateway).
    expect(text).toMatch(/> - `ConfigMap ai-gateway-config` in `mlp-gateway`: forced by `data`/);
    // The fallback rule already failed at the gateway's config (embed-default); now it names chat-claude too.
    expect(text).toContain("Changed (the rule still fails there; what it says now):\n- **advisory** `gateway-fallbacks` `kubernetes:core/v1:ConfigMap::mlops-gateway-config`: gateway models without a fallback: chat-claude, embed-default");
    // The gateway config loses chat-claude's fallback lines, and nothing else of it moves.
    expect(text).toMatch(/`data\["config\.yaml"\]` \(\d line\(s\) removed, 0 added\): -\d+: `- chat-claude:`/);
  });
});
