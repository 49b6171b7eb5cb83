/**
 * One source of truth for validation: every rule a component checks, shown from a stack file. Each row
 * breaks one value of a stack that turns everything on and expects the exact message at the exact key;
 * a rule no stack file can reach says why. The guard below fails when a component gains a rule (a
 * `problems.add(` or `problems.push(` call) that no row names.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { isStackKey, keyPath, parsePlatformConfig } from "../../infra/config.js";
import { baseStack, SECRETS, type RuleCase } from "./component-rules/cases.js";
import { COMPUTE_RULES } from "./component-rules/compute-rules.js";
import { MONITORING_RULES } from "./component-rules/monitoring-rules.js";
import { PLATFORM_RULES } from "./component-rules/platform-rules.js";
import { SERVICE_RULES } from "./component-rules/service-rules.js";
import { FILE, problemsOf, ROOT } from "./config-helpers.js";

const RULES: RuleCase[] = [...PLATFORM_RULES, ...COMPUTE_RULES, ...SERVICE_RULES, ...MONITORING_RULES];
const SOURCES = path.join(ROOT, "components/src");

/** A rule's call and its text, up to the closing parenthesis. */
interface RuleCall {
  file: string;
  line: number;
  text: string;
}

/** Every `problems.add(`/`problems.push(` call of the components (the render kit and manifest validators check objects, not args). */
function ruleCalls(): RuleCall[] {
  const files = fs
    .readdirSync(SOURCES, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.startsWith("testing") && !file.endsWith("validators.ts"));
  return files.flatMap((file) => {
    const source = fs.readFileSync(path.join(SOURCES, file), "utf8");
    return [...source.matchAll(/\bproblems\.(add|push)\(/g)].map((match) => {
      let depth = 0;
      let end = match.index;
      for (; end < source.length; end++) {
        if (source[end] === "(") depth++;
        else if (source[end] === ")" && --depth === 0) break;
      }
      return { file: file.split(path.sep).join("/"), line: source.slice(0, match.index).split("\n").length, text: source.slice(match.index, end + 1) };
    });
  });
}

/** The key path of a message (`<file>: mlops-platform:gpu.pools[0].name: ...` -> gpu, pools, 0, name). */
function keyOf(message: string): PropertyKey[] {
  const key = message.slice(`${FILE}: mlops-platform:`.length).split(": ")[0]!;
  return key
    .split(/[.[\]]/)
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

describe("every rule a component checks, from a stack file", () => {
  it("the stack every row starts from is valid", () => {
    expect(() => parsePlatformConfig(baseStack(), FILE, new Set(SECRETS))).not.toThrow();
  });

  const reachable = RULES.flatMap((row) => ("stack" in row ? [row] : []));
  it.each(reachable.map((row) => [`${row.file}: ${row.rule}`, row] as const))("%s", (_name, row) => {
    const stack = baseStack();
    row.stack(stack);
    expect(problemsOf(stack, SECRETS)).toEqual(row.expected);
  });

  it("reports every component problem at a key the stack schema has", () => {
    for (const row of reachable) {
      for (const message of row.expected) expect(isStackKey(keyOf(message)), `${row.rule}: ${message}`).toBe(true);
    }
    // And the check itself: a key the schema does not have is refused.
    expect(isStackKey(["gpu", "pools", 0, "migProfile"])).toBe(false);
    expect(keyPath(["gpu", "pools", 0, "sharing", "mig"])).toBe("mlops-platform:gpu.pools[0].sharing.mig");
  });

  it("says why each rule no stack file reaches is unreachable", () => {
    for (const row of RULES) if ("unreachable" in row) expect(row.unreachable.length, row.rule).toBeGreaterThan(20);
  });
});

describe("the table of rules stays complete", () => {
  const calls = ruleCalls();

  it("finds the components' rules", () => {
    expect(calls.length).toBeGreaterThan(100);
  });

  it("names every rule a component checks, and each row names one rule", () => {
    const problems: string[] = [];
    const covered = new Set<RuleCall>();
    for (const row of RULES) {
      const found = calls.filter((call) => call.file === row.file && call.text.includes(row.site));
      if (found.length !== 1) problems.push(`row "${row.rule}": site ${JSON.stringify(row.site)} is in ${found.length} calls of ${row.file}, not 1`);
      else covered.add(found[0]!);
    }
    for (const call of calls) {
      if (!covered.has(call)) problems.push(`components/src/${call.file}:${call.line}: no row of the table names this rule: ${call.text.slice(0, 120)}`);
    }
    expect(problems).toEqual([]);
  });
});
