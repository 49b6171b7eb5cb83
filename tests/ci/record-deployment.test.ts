/**
 * scripts/record-deployment, which the deploy workflow runs after each `pulumi up` (DORA): against a
 * stand-in `kubectl` that records every call with what it was given and lists the environment's records
 * from a fixture, so the test sees the record it writes (checked against the CRD's schema) and what it
 * prunes. The end-to-end test writes one through the real API server (tests/integration/deploy.test.ts).
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { MONITORING_NAMESPACE } from "@mlops-platform/components";
import { DEPLOYMENT_ENVIRONMENT_LABEL, DEPLOYMENT_RECORD, deploymentRecordCrd, RECORD_RETENTION_DAYS } from "@mlops-platform/components/internal";
import { requireTool } from "../helpers.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SCRIPT = path.join(ROOT, "scripts/record-deployment");
const git = requireTool("git", "apt-get install git");
const COMMIT = "3fa2b1c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3";

interface Call {
  args: string[];
  stdin: string;
}

/** Runs the script with a stand-in kubectl whose `get` prints `listed` ("<name> <deployedAt>" lines). */
function run(args: string[], listed: string[] = [], cwd = ROOT) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-record-"));
  try {
    const log = path.join(dir, "calls.jsonl");
    const kubectl = path.join(dir, "kubectl");
    fs.writeFileSync(path.join(dir, "listed.txt"), listed.map((line) => `${line}\n`).join(""));
    fs.writeFileSync(
      kubectl,
      `#!/usr/bin/env bash
set -euo pipefail
stdin=""; case " $* " in *" -f - "*) stdin=$(cat) ;; esac
STDIN="$stdin" node -e 'require("fs").appendFileSync(process.argv[1], JSON.stringify({ args: process.argv.slice(2), stdin: process.env.STDIN }) + "\\n")' -- "${log}" "$@"
case " $* " in *" get "*) cat "${dir}/listed.txt" ;; esac
`,
      { mode: 0o755 },
    );
    const result = spawnSync("bash", [SCRIPT, ...args], { cwd, encoding: "utf8", env: { ...process.env, KUBECTL: kubectl } });
    const calls: Call[] = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Call) : [];
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const base = ["--environment", "prod", "--commit", COMMIT, "--result", "failed", "--merged-at", "2026-11-28T08:05:00+01:00", "--deployed-at", "2026-11-28T07:20:12Z"];

type Schema = { type?: string; required?: string[]; properties?: Record<string, Schema>; pattern?: string; enum?: string[]; format?: string; maxLength?: number };

/** What the API server checks of a record's spec against the CRD's structural schema. */
function schemaProblems(spec: Record<string, unknown>): string[] {
  const schema = deploymentRecordCrd().spec.versions[0]!.schema!.openAPIV3Schema!.properties!["spec"] as Schema;
  const problems = (schema.required ?? []).filter((key) => !(key in spec)).map((key) => `missing ${key}`);
  for (const [key, value] of Object.entries(spec)) {
    const field = schema.properties?.[key];
    if (!field) problems.push(`unknown field ${key}`);
    else if (typeof value !== "string") problems.push(`${key} is not a string`);
    else {
      if (field.pattern && !new RegExp(field.pattern).test(value)) problems.push(`${key} does not match ${field.pattern}`);
      if (field.enum && !field.enum.includes(value)) problems.push(`${key} is not one of ${field.enum.join(", ")}`);
      if (field.format === "date-time" && Number.isNaN(Date.parse(value))) problems.push(`${key} is not a date-time`);
    }
  }
  return problems;
}

describe("scripts/record-deployment: one DeploymentRecord per deployment", () => {
  it("creates the record of the CRD's kind in the monitoring namespace, with every time in UTC", () => {
    const { status, stderr, stdout, calls } = run([...base, "--run-url", "https://github.com/o/r/actions/runs/42"]);
    expect(status, stderr).toBe(0);
    expect(calls[0]!.args.slice(0, 4)).toEqual(["create", "-o", "name", "-f"]);
    const record = JSON.parse(calls[0]!.stdin) as { apiVersion: string; kind: string; metadata: { name: string; namespace: string; labels: Record<string, string> }; spec: Record<string, unknown> };
    expect(record.apiVersion).toBe(`${DEPLOYMENT_RECORD.group}/${DEPLOYMENT_RECORD.version}`);
    expect(record.kind).toBe(DEPLOYMENT_RECORD.kind);
    expect(record.metadata).toEqual({
      name: "prod-20261128t072012-3fa2b1c",
      namespace: MONITORING_NAMESPACE,
      labels: { "app.kubernetes.io/managed-by": "mlops-platform", "app.kubernetes.io/component": "monitoring", [DEPLOYMENT_ENVIRONMENT_LABEL]: "prod" },
    });
    expect(record.spec).toEqual({
      environment: "prod",
      commit: COMMIT,
      result: "failed",
      mergedAt: "2026-11-28T07:05:00Z",
      deployedAt: "2026-11-28T07:20:12Z",
      runUrl: "https://github.com/o/r/actions/runs/42",
    });
    expect(schemaProblems(record.spec)).toEqual([]);
    expect(stdout).toContain("recorded mlp-monitoring/prod-20261128t072012-3fa2b1c: prod 3fa2b1c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3 failed");
  });

  it(`prunes the environment's records deployed more than ${RECORD_RETENTION_DAYS} days before, and only those`, () => {
    const { status, stderr, stdout, calls } = run(base, ["prod-20260801t000000-aaaaaaa 2026-08-01T00:00:00Z", "prod-20261001t000000-bbbbbbb 2026-10-01T00:00:00Z", "prod-20261128t072012-3fa2b1c 2026-11-28T07:20:12Z"]);
    expect(status, stderr).toBe(0);
    expect(calls[1]!.args).toEqual(["get", `${DEPLOYMENT_RECORD.plural}.${DEPLOYMENT_RECORD.group}`, "-n", MONITORING_NAMESPACE, "-l", `${DEPLOYMENT_ENVIRONMENT_LABEL}=prod`, "-o", expect.stringContaining("jsonpath=")]);
    expect(calls[2]!.args).toEqual(["delete", `${DEPLOYMENT_RECORD.plural}.${DEPLOYMENT_RECORD.group}`, "-n", MONITORING_NAMESPACE, "prod-20260801t000000-aaaaaaa"]);
    expect(calls).toHaveLength(3);
    expect(stdout).toContain("pruned 1 record(s) of prod");
  });

  it("uses the kubeconfig context it is given", () => {
    const { status, calls } = run([...base, "--context", "mlops-prod"]);
    expect(status).toBe(0);
    for (const call of calls) expect(call.args.slice(0, 2)).toEqual(["--context", "mlops-prod"]);
  });

  it.skipIf(!git)("takes the merge time from the commit's committer time when not given", () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-record-git-"));
    try {
      const env = { ...process.env, GIT_AUTHOR_NAME: "a", GIT_AUTHOR_EMAIL: "a@example.com", GIT_COMMITTER_NAME: "a", GIT_COMMITTER_EMAIL: "a@example.com", GIT_AUTHOR_DATE: "2026-11-20T10:00:00Z", GIT_COMMITTER_DATE: "2026-11-28T09:00:00+02:00" };
      execFileSync(git!, ["init", "-q"], { cwd: repo, env });
      execFileSync(git!, ["commit", "-q", "--allow-empty", "-m", "merge"], { cwd: repo, env });
      const sha = execFileSync(git!, ["rev-parse", "HEAD"], { cwd: repo, env, encoding: "utf8" }).trim();
      const { status, stderr, calls } = run(["--environment", "dev", "--commit", sha, "--result", "succeeded", "--deployed-at", "2026-11-28T07:30:00Z"], [], repo);
      expect(status, stderr).toBe(0);
      expect(JSON.parse(calls[0]!.stdin).spec).toMatchObject({ mergedAt: "2026-11-28T07:00:00Z", commit: sha });
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it("fails when given a bad environment, commit, result or URL, naming each, before touching the cluster", () => {
    const { status, stderr, calls } = run(["--environment", "Prod", "--commit", "main", "--result", "ok", "--run-url", 'https://x/"y', "--merged-at", "2026-11-28T07:00:00Z"]);
    expect(status).toBe(2);
    expect(stderr).toContain('--environment "Prod": use an environment name');
    expect(stderr).toContain('--commit "main": use a commit id');
    expect(stderr).toContain('--result "ok": use succeeded or failed');
    expect(stderr).toContain("--run-url");
    expect(calls).toEqual([]);
  });

  it("fails when the commit was merged after the deployment ended", () => {
    const { status, stderr, calls } = run(["--environment", "prod", "--commit", COMMIT, "--result", "succeeded", "--merged-at", "2026-11-28T08:00:00Z", "--deployed-at", "2026-11-28T07:00:00Z"]);
    expect(status).toBe(2);
    expect(stderr).toContain("a commit is merged before it is deployed");
    expect(calls).toEqual([]);
  });

  it("keeps its defaults in step with the monitoring stack: namespace and retention", () => {
    const script = fs.readFileSync(SCRIPT, "utf8");
    expect(script).toContain(`namespace=${MONITORING_NAMESPACE} keep_days=${RECORD_RETENTION_DAYS}\n`);
  });
});
