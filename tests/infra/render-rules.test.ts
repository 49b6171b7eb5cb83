/**
 * Every PrometheusRule a shipped stack renders, as written to out/<env>/manifests, passes the real
 * `promtool check rules`: what reaches the cluster is what was unit-tested, for every stack's settings.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { requirePromtool, runPromtool } from "../components/monitoring/promtool.js";
import { readTree, render, tempDir } from "./render-helpers.js";

const promtool = requirePromtool();

describe.skipIf(!promtool).each(["local", "dev", "staging", "prod"])("the rendered rules of stacks/Pulumi.%s.yaml", (stack) => {
  it("pass promtool check rules, every group of them", () => {
    const out = tempDir(`mlp-rules-${stack}-`);
    try {
      const run = render(["--stack", stack, "--out", out]);
      expect(run.status, run.stderr).toBe(0);
      const rules = [...readTree(path.join(out, "manifests")).entries()].filter(([file]) => path.basename(file).startsWith("prometheusrule-"));
      const groups = rules.flatMap(([, text]) => (parse(text) as { spec: { groups: unknown[] } }).spec.groups);
      expect(groups.length).toBeGreaterThan(3);
      const result = runPromtool(promtool!, { "rules.yaml": stringify({ groups }, { lineWidth: 0 }) }, ["check", "rules", "rules.yaml"]);
      expect(result.output).toMatch(/SUCCESS: \d+ rules found/);
      expect(result.ok, result.output).toBe(true);
      // The shipped dev and prod stacks monitor a model: its group is among them.
      if (stack === "dev" || stack === "prod") expect(groups.map((group) => (group as { name: string }).name)).toContain("mlp-model-team-vision-churn");
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
