import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { captureProgram, type CaptureOptions, type CaptureResult, type CapturedResource } from "@mlops-platform/components/testing";

/**
 * Runs `program` under mocks as stack `test` of project `mlops-platform`; `mockState` adds what the engine
 * would compute for a resource (e.g. a Secret's resourceVersion).
 */
export function capture(
  program: () => unknown,
  config: Record<string, string> = {},
  secretKeys: string[] = [],
  mockState?: CaptureOptions["mockState"],
): Promise<CaptureResult> {
  return captureProgram(program, { project: "mlops-platform", stack: "test", config, secretKeys, ...(mockState ? { mockState } : {}) });
}

/** The captured resources of one type token. */
export function ofType(result: CaptureResult, type: string): CapturedResource[] {
  return result.resources.filter((r) => r.type === type);
}

/** The one captured resource with this type and name; fails loudly when missing. */
export function one(result: CaptureResult, type: string, name: string): CapturedResource {
  const found = result.resources.find((r) => r.type === type && r.name === name);
  if (!found) {
    const seen = result.resources.map((r) => `${r.type}::${r.name}`).join("\n  ");
    throw new Error(`no ${type}::${name}; registered:\n  ${seen}`);
  }
  return found;
}

/** Reads a nested input value by dotted path, e.g. `metadata.labels`. */
export function at(resource: CapturedResource, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], resource.inputs);
}

/**
 * Locates a real tool a test needs (on PATH or in Go's bin folder). When it is missing, tests that need
 * it are skipped with a visible notice on a developer's machine, and fail under CI (`CI` set), where
 * `.ci/run` must have installed it.
 */
export function requireTool(name: string, installHint: string, probeArgs: string[] = ["--version"]): string | undefined {
  const candidates = [name, `${process.env["GOBIN"] ?? `${homedir()}/go/bin`}/${name}`, `/usr/sbin/${name}`];
  for (const candidate of candidates) {
    try {
      if (candidate.includes("/") && !existsSync(candidate)) continue;
      execFileSync(candidate, probeArgs, { stdio: "ignore" });
      return candidate;
    } catch {
      // not this one
    }
  }
  const message = `${name} is not installed (${installHint}); .ci/run installs it`;
  if (process.env["CI"]) throw new Error(`CI requires ${message}`);
  console.warn(`\n  NOTICE: skipping tests: ${message}\n`);
  return undefined;
}
