/**
 * scripts/pr-comment, which the preview workflow uses to keep one comment per stack on a pull request:
 * run against a stand-in `gh` that answers the comment list from a fixture with the script's own jq filter
 * (through the real jq) and records every call, so the test sees which comment it edits or that it creates one.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { requireTool } from "../helpers.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const jq = requireTool("jq", "apt-get install jq");

/** A `gh` that lists `comments` (one page) through the real jq and records every other call with its body. */
function fakeGh(dir: string, comments: unknown[]): { bin: string; calls: () => Array<{ args: string[]; body?: string }> } {
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(dir, "comments.json"), JSON.stringify(comments));
  fs.writeFileSync(
    path.join(bin, "gh"),
    `#!/usr/bin/env bash
set -euo pipefail
node -e 'const fs = require("fs"); const a = process.argv.slice(1); const f = a.find((x) => x.startsWith("body=@"));
  fs.appendFileSync(process.env.GH_LOG, JSON.stringify({ args: a, ...(f ? { body: fs.readFileSync(f.slice(6), "utf8") } : {}) }) + "\\n")' -- "$@"
prog=""; prev=""
for arg in "$@"; do [ "$prev" = --jq ] && prog=$arg; prev=$arg; done
case " $* " in
  *" --paginate "*) ${jq} -r "$prog" "${dir}/comments.json" ;;
  *) echo "https://github.com/o/r/pull/7#issuecomment-1" ;;
esac
`,
    { mode: 0o755 },
  );
  const log = path.join(dir, "calls.jsonl");
  return {
    bin,
    calls: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line)) : []),
  };
}

function run(comments: unknown[], args = ["mlops-platform-preview:dev", "BODY"]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-pr-comment-"));
  const gh = fakeGh(dir, comments);
  const body = path.join(dir, "comment.md");
  fs.writeFileSync(body, "### Stack `dev`: 1 to create\n");
  const result = spawnSync("bash", [path.join(ROOT, "scripts/pr-comment"), ...args.map((a) => (a === "BODY" ? body : a))], {
    encoding: "utf8",
    env: { ...process.env, PATH: `${gh.bin}:${process.env["PATH"]}`, GH_LOG: path.join(dir, "calls.jsonl"), GH_REPO: "o/r", PR_NUMBER: "7" },
  });
  return { status: result.status, stderr: result.stderr, calls: gh.calls() };
}

const bot = "github-actions[bot]";
const comment = (id: number, login: string, body: string) => ({ id, user: { login }, body });

describe.skipIf(!jq)("scripts/pr-comment: one preview comment per stack", () => {
  it("creates the stack's comment, marker first, when the PR has none (another stack's or a person's quote do not count)", () => {
    const { status, stderr, calls } = run([
      comment(11, bot, "<!-- mlops-platform-preview:staging -->\nold"),
      comment(12, "alice", "<!-- mlops-platform-preview:dev -->\nquoted by a person"),
      comment(13, bot, "unrelated <!-- mlops-platform-preview:dev --> not first"),
    ]);
    expect(status, stderr).toBe(0);
    expect(calls.map((c) => c.args.slice(0, 3))).toEqual([
      ["api", "--paginate", "repos/o/r/issues/7/comments"],
      ["api", "--method", "POST"],
    ]);
    expect(calls[1]!.args[3]).toBe("repos/o/r/issues/7/comments");
    expect(calls[1]!.body).toBe("<!-- mlops-platform-preview:dev -->\n### Stack `dev`: 1 to create\n");
  });

  it("edits the stack's own comment instead of adding another", () => {
    const { status, calls } = run([
      comment(21, bot, "<!-- mlops-platform-preview:staging -->\nstaging"),
      comment(22, bot, "<!-- mlops-platform-preview:dev -->\nprevious push"),
    ]);
    expect(status).toBe(0);
    expect(calls.slice(1).map((c) => c.args.slice(0, 4))).toEqual([["api", "--method", "PATCH", "repos/o/r/issues/comments/22"]]);
    expect(calls[1]!.body).toContain("### Stack `dev`: 1 to create");
  });

  it("fails with its usage and calls nothing without a marker and a body", () => {
    const { status, stderr, calls } = run([], ["only-a-marker"]);
    expect(status).toBe(2);
    expect(stderr).toContain("usage: scripts/pr-comment <marker> <body file>");
    expect(calls).toEqual([]);
  });
});
