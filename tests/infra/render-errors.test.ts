/** The render with bad input: stack files it refuses, and how it says so. */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { projectWithStack, render } from "./render-helpers.js";

describe("npm run render with bad input", () => {
  it("fails fast on an invalid stack file, listing every problem with file, key, value and what is allowed", () => {
    const dir = projectWithStack(
      "broken",
      [
        "config:",
        "  mlops-platform:environment: prod",
        "  mlops-platform:cluster:",
        "    provider: openstack",
        "    ingresClass: nginx",
        "  mlops-platform:teams:",
        "    - name: vision",
        "      owners: [vision-leads]",
        "      quota: { cpu: -1, memoryGiB: 8, storageGiB: 10 }",
        "",
      ].join("\n"),
    );
    const run = render(["--stack", "broken"], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('render of stack "broken" failed:');
    // The file's shape first: the components judge the values (teams[0].quota.cpu) once it is right.
    expect(run.stderr).toContain("stacks/Pulumi.broken.yaml has 2 configuration errors:");
    expect(run.stderr).toContain(
      'stacks/Pulumi.broken.yaml: mlops-platform:cluster.provider: expected one of "aws", "azure", "gcp", "kind", got "openstack"',
    );
    expect(run.stderr).toContain('stacks/Pulumi.broken.yaml: mlops-platform:cluster.ingresClass: unknown key; did you mean "ingressClass"?');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace: the message is the whole story
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
  });

  it("fails on values the components refuse, each at the stack key that set it", () => {
    const dir = projectWithStack(
      "badvalues",
      [
        "config:",
        "  mlops-platform:environment: prod",
        "  mlops-platform:cluster: { provider: aws, certManager: { version: latest } }",
        "  mlops-platform:teams:",
        "    - name: vision",
        "      owners: [vision-leads]",
        "      quota: { cpu: -1, memoryGiB: 8, storageGiB: 10 }",
        "",
      ].join("\n"),
    );
    const run = render(["--stack", "badvalues"], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("stacks/Pulumi.badvalues.yaml has 2 configuration errors:");
    expect(run.stderr).toContain('stacks/Pulumi.badvalues.yaml: mlops-platform:cluster.certManager.version: use an exact chart version such as "v1.20.2", got "latest"');
    expect(run.stderr).toContain("stacks/Pulumi.badvalues.yaml: mlops-platform:teams[0].quota.cpu: use a positive number, got -1");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
  });

  it("fails a prod stack that turns notebook culling off: a mandatory policy violation", () => {
    const dir = projectWithStack(
      "noculling",
      [
        "config:",
        "  mlops-platform:environment: prod",
        "  mlops-platform:cluster: { provider: aws }",
        "  mlops-platform:notebooks: { culling: { enabled: false, idleMinutes: 120 } }",
        "",
      ].join("\n"),
    );
    const run = render(["--stack", "noculling"], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("Policies: 1 violations (1 mandatory, 0 advisory):");
    // At the stack key that decides it, not at the object the rule looked at.
    expect(run.stderr).toContain("[mandatory] notebook-culling mlops-platform:notebooks.culling.enabled: the notebook controller");
    expect(run.stderr).not.toContain("kubernetes:kustomize/v2:Directory::mlops-notebooks-controller");
  });

  it("names the stacks that exist when asked for one that does not", () => {
    const run = render(["--stack", "qa"]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('unknown stack "qa": there is no stacks/Pulumi.qa.yaml (stacks: dev, local, prod, staging)');
  });

  it("explains its usage when --stack is missing", () => {
    const run = render([]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("missing --stack\nusage: npm run render -- --stack <local|dev|staging|prod> [--out <dir>]");
  });
});

describe("npm run render with numbers nothing downstream takes", () => {
  it("names file, line, column and key of every .inf and .nan (JSON, the form config travels in, would make them null)", () => {
    const dir = projectWithStack(
      "infinite",
      [
        "config:",
        "  mlops-platform:environment: dev",
        "  mlops-platform:cluster: { provider: kind }",
        "  mlops-platform:gpu: { monthlyBudgetUsd: .inf }",
        "  mlops-platform:notebooks:",
        "    culling: { enabled: true, idleMinutes: 1e400 }",
        "  mlops-platform:teams:",
        "    - name: vision",
        "      owners: [vision-leads]",
        "      quota: { cpu: .NaN, memoryGiB: 8, storageGiB: -.inf }",
        "",
      ].join("\n"),
    );
    const run = render(["--stack", "infinite"], dir);
    expect(run.status).toBe(1);
    const rule = "expected a finite number from -9007199254740991 to 9007199254740991 (.inf, .nan and larger numbers reach neither Kubernetes nor the cloud intact)";
    expect(run.stderr).toContain(`stacks/Pulumi.infinite.yaml:4:43: mlops-platform:gpu.monthlyBudgetUsd: ${rule}, got .inf`);
    expect(run.stderr).toContain(`stacks/Pulumi.infinite.yaml:6:44: mlops-platform:notebooks.culling.idleMinutes: ${rule}, got 1e400`);
    expect(run.stderr).toContain(`stacks/Pulumi.infinite.yaml:10:21: mlops-platform:teams[0].quota.cpu: ${rule}, got .NaN`);
    expect(run.stderr).toContain(`stacks/Pulumi.infinite.yaml:10:53: mlops-platform:teams[0].quota.storageGiB: ${rule}, got -.inf`);
    expect(run.stderr).not.toContain("got null");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
  });

  it("refuses a quota of 1e21 GiB at its key, before any manifest (where it would be the quantity 1e+21Gi)", () => {
    const dir = projectWithStack(
      "hugequota",
      [
        "config:",
        "  mlops-platform:environment: dev",
        "  mlops-platform:cluster: { provider: kind }",
        "  mlops-platform:teams:",
        "    - { name: vision, owners: [vision-leads], quota: { cpu: 4, memoryGiB: 1e21, storageGiB: 10 } }",
        "",
      ].join("\n"),
    );
    const run = render(["--stack", "hugequota", "--check"], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("stacks/Pulumi.hugequota.yaml has 1 configuration error:");
    expect(run.stderr).toContain("stacks/Pulumi.hugequota.yaml: mlops-platform:teams[0].quota.memoryGiB: expected a finite number from -9007199254740991 to 9007199254740991");
    expect(run.stderr).not.toContain("ResourceQuota");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
  });

  it("refuses cert-manager in a team's namespace at its key, not as two Namespace objects of two resources", () => {
    const dir = projectWithStack(
      "collision",
      [
        "config:",
        "  mlops-platform:environment: dev",
        "  mlops-platform:cluster: { provider: kind, certManager: { namespace: team-vision } }",
        "  mlops-platform:teams:",
        "    - { name: vision, owners: [vision-leads], quota: { cpu: 4, memoryGiB: 8, storageGiB: 10 } }",
        "",
      ].join("\n"),
    );
    const run = render(["--stack", "collision"], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'stacks/Pulumi.collision.yaml: mlops-platform:cluster.certManager.namespace: use a namespace of cert-manager\'s own, such as "cert-manager": team-vision is team vision\'s namespace, got "team-vision"',
    );
    expect(run.stderr).not.toContain("kubernetes:core/v1:Namespace");
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
  });
});

describe("policy violations at the stack key that decides them", () => {
  it("names the key of each rule a stack value breaks, not the object the rule looked at", () => {
    const dir = projectWithStack(
      "violations",
      [
        "config:",
        "  mlops-platform:environment: staging",
        "  mlops-platform:cluster: { provider: aws, ingressClass: nginx }",
        "  mlops-platform:gpu:",
        "    monthlyBudgetUsd: 100",
        "    aws: { nodeRole: KarpenterNodeRole, discoveryTag: mlops, amiAlias: al2023@v20250915 }",
        "    pools: [{ name: l4, gpu: nvidia-l4, maxGpus: 4, workloads: [training] }]",
        "  mlops-platform:gateway:",
        "    models:",
        "      - { name: chat, provider: openai, model: gpt-4.1-mini, apiKey: openaiApiKey, fallbacks: [claude] }",
        "      - { name: claude, provider: anthropic, model: claude-sonnet-4-5, apiKey: anthropicApiKey }",
        '    database: { backup: { destinationPath: "s3://b/gateway", credentialsSecretName: store-credentials } }',
        "  mlops-platform:monitoring: { retentionDays: 7 }",
        "  mlops-platform:teams:",
        "    - { name: vision, owners: [vision-leads], quota: { cpu: 4, memoryGiB: 8, storageGiB: 10 }, gateway: { monthlyBudgetUsd: 0 } }",
        "",
      ].join("\n"),
    );
    const run = render(["--stack", "violations", "--check"], dir);
    expect(run.status).toBe(1);
    const lines = run.stderr.split("\n").filter((line) => /^ {2}\[(advisory|mandatory)\]/.test(line));
    expect(lines.map((line) => line.split(": ")[0])).toEqual([
      "  [advisory] gateway-fallbacks mlops-platform:gateway.models[1].fallbacks",
      "  [mandatory] gateway-team-budgets mlops-platform:teams[0].gateway.monthlyBudgetUsd",
      "  [mandatory] gpu-cost mlops-platform:gpu.monthlyBudgetUsd",
      "  [mandatory] metrics-retention mlops-platform:monitoring.retentionDays",
    ]);
    expect(run.stderr).not.toMatch(/kubernetes:[a-z.]+\/v\d/);
  });

  it("names a warm dev pool's minNodes, of the pool the message names", () => {
    const dir = projectWithStack(
      "warm",
      [
        "config:",
        "  mlops-platform:environment: dev",
        "  mlops-platform:cluster: { provider: aws }",
        "  mlops-platform:gpu:",
        "    aws: { nodeRole: KarpenterNodeRole, discoveryTag: mlops, amiAlias: al2023@v20250915 }",
        "    pools:",
        "      - { name: t4, gpu: nvidia-t4, maxGpus: 1, workloads: [training] }",
        "      - { name: l4, gpu: nvidia-l4, minNodes: 1, maxGpus: 4, workloads: [training] }",
        "",
      ].join("\n"),
    );
    const run = render(["--stack", "warm", "--check"], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/\n {2}\[mandatory\] gpu-cost mlops-platform:gpu\.pools\[1\]\.minNodes: GPU pool "[a-z-]*l4" keeps nodes warm/);
  });
});
