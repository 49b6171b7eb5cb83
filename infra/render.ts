/**
 * `npm run render -- --stack <env> [--out <dir>]`: runs the real program offline under Pulumi's mocks with
 * the stack file's config and writes what the environment would create:
 *   out/<env>/manifests/<namespace or _cluster>/<kind>-<name>.yaml   every Kubernetes object, secrets masked
 *   out/<env>/releases.yaml                                          every Helm chart and bundle, with values
 *   out/<env>/plan.json                                              every registration and policy violation
 * and prints a summary. Exits 1 on invalid config, any schema problem or any mandatory policy violation,
 * 2 on bad usage.
 * No cluster, cloud account, Pulumi CLI or credentials are needed.
 */
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import {
  buildArtifacts,
  captureProgram,
  countByComponent,
  readRenderMarker,
  RenderOutputError,
  writeArtifacts,
  type CaptureResult,
  type RenderArtifacts,
} from "@mlops-platform/components/testing";
import { formatAdvisory, stackAdvisories } from "./advisories.js";
import { parsePlatformConfig, rawPlatformConfig, stackFileFor } from "./config.js";
import { formatCost, stackCost } from "./cost.js";
import { RenderProgress, type ProgressStream } from "./progress.js";
import { poolSummary, teamSummary } from "./summary.js";
import { checkPolicies, withStackKeys, type PlanViolation } from "./policy-check.js";
import { findProject, listStacks, loadOfflineStack, StackFileError, type OfflineStack } from "./stack-files.js";

export interface RenderOptions {
  stack: string;
  /** @default "<project>/out/<stack>" */
  outDir?: string;
  /**
   * Validate only: config, schemas and policies, no file written.
   * @default false
   */
  check?: boolean;
  /** Where to look for Pulumi.yaml. @default process.cwd() */
  cwd?: string;
  /** Where progress goes (the CLI: stderr). @default none */
  progress?: ProgressStream;
}

export interface RenderOutcome {
  /** 0 rendered cleanly, 1 config or schema problems or mandatory violations, 2 bad usage (unknown stack). */
  exitCode: number;
  /** What the CLI prints. */
  report: string;
  outDir?: string;
  capture?: CaptureResult;
  artifacts?: RenderArtifacts;
  violations?: PlanViolation[];
}

/** Renders one stack offline; never throws for user errors, it reports them. */
export async function renderStack(options: RenderOptions): Promise<RenderOutcome> {
  const project = findProject(options.cwd ?? process.cwd());
  const stacks = listStacks(project);
  if (!stacks.includes(options.stack)) {
    return {
      exitCode: 2,
      report: `unknown stack "${options.stack}": there is no ${project.stackConfigDir}/Pulumi.${options.stack}.yaml (stacks: ${stacks.join(", ")})`,
    };
  }
  const outDir = path.resolve(options.outDir ?? path.join(project.root, "out", options.stack));
  let offline: OfflineStack;
  try {
    offline = loadOfflineStack(project, options.stack);
  } catch (err) {
    if (!(err instanceof StackFileError)) throw err;
    return { exitCode: 1, report: [`render of stack "${options.stack}" failed:`, ...err.problems, ...(options.check ? [] : [leftAsItWas(outDir)])].join("\n") };
  }

  const teams = rawPlatformConfig(offline.config)["teams"];
  const teamNamespaces = Array.isArray(teams) ? teams.flatMap((team) => (typeof team?.name === "string" ? [`team-${team.name}`] : [])) : [];
  const progress = new RenderProgress(teamNamespaces, options.progress ?? { write: () => true });
  progress.phase(`running the program (${teamNamespaces.length} teams)`);
  // No preflight: there is no cluster to ask offline.
  const capture = await captureProgram(() => import("./program.js").then((program) => program.platformProgram({ preflight: false, advisories: false })), {
    project: project.name,
    stack: options.stack,
    config: offline.config,
    secretKeys: offline.secretKeys,
    mockState: (args) => (progress.registered(args.type, args.inputs as Record<string, unknown>), {}),
  });

  const lines: string[] = [];
  if (offline.missingSecrets.length > 0) {
    lines.push(`note: provider keys not set in the stack file (pulumi up requires them as secrets): ${offline.missingSecrets.join(", ")}`);
  }
  if (offline.placeholders.length > 0) {
    lines.push(
      `note: encrypted values cannot be decrypted offline; placeholders (marked secret) stand in for ${offline.placeholders.join(", ")}`,
    );
  }
  if (capture.errors.length > 0) {
    progress.done();
    lines.push(`render of stack "${options.stack}" failed:`);
    for (const error of uniqueMessages(capture.errors)) lines.push(error);
    if (!options.check) lines.push(leftAsItWas(outDir));
    return { exitCode: 1, report: lines.join("\n"), capture };
  }

  // The program accepted this config, so parsing it again (pure, no Pulumi) cannot fail here.
  const secretKeys = new Set(offline.secretKeys.map((key) => key.slice(key.indexOf(":") + 1)));
  const config = parsePlatformConfig(rawPlatformConfig(offline.config), stackFileFor(options.stack), secretKeys);
  progress.phase(`checking ${capture.resources.length.toLocaleString("en-US")} resources against the policies`);
  const violations = withStackKeys(checkPolicies(capture, config.environment, config.policies, config.gpu.monthlyBudgetUsd), config);
  const cost = stackCost(config);
  progress.phase("validating the objects against their schemas");
  const artifacts = await buildArtifacts(capture, { planSections: { violations, cost } });
  progress.done();
  const failed = artifacts.problems.length > 0 || violations.some((v) => v.enforcementLevel === "mandatory");
  lines.push(...summarize(capture, artifacts, violations));
  const advisories = stackAdvisories(config);
  if (advisories.length > 0) lines.push(`Advisories (${advisories.length}, not fatal):`, ...advisories.map((advisory) => `  ${formatAdvisory(advisory, stackFileFor(options.stack))}`));
  lines.push(...teamSummary(config, (capture.outputs["teamNamespaces"] ?? {}) as Record<string, string>));
  lines.push(...poolSummary(config, artifacts.manifests));
  lines.push("", ...formatCost(cost, config.gpu.monthlyBudgetUsd, config));
  // A failed render replaces nothing: the previous render stays, and the report says whose it is.
  if (options.check) lines.push(failed ? "Checked: the stack has problems (nothing written)" : "Checked: no problems (nothing written)");
  else if (failed) lines.push(leftAsItWas(outDir));
  else {
    try {
      writeArtifacts(outDir, artifacts, { project: project.name, stack: options.stack });
    } catch (err) {
      if (!(err instanceof RenderOutputError)) throw err;
      lines.push(err.message);
      return { exitCode: 2, report: lines.join("\n"), capture, artifacts, violations };
    }
    lines.push(`Wrote ${path.relative(process.cwd(), outDir) || "."}/ (manifests/, releases.yaml, plan.json)`);
  }
  return { exitCode: failed ? 1 : 0, report: lines.join("\n"), ...(options.check || failed ? {} : { outDir }), capture, artifacts, violations };
}

/** What a failed render did to its output folder: nothing; and what the folder holds. */
function leftAsItWas(outDir: string): string {
  const previous = readRenderMarker(outDir);
  const where = path.relative(process.cwd(), outDir) || ".";
  return previous === undefined
    ? `Nothing written to ${where}/.`
    : `Nothing written: ${where}/ still holds the previous render of stack "${previous.stack}", not this one.`;
}

function uniqueMessages(errors: readonly Error[]): string[] {
  return [...new Set(errors.map((e) => e.message.trim()))];
}

/** The human summary: what each component creates, what gets installed, and every problem. */
export function summarize(capture: CaptureResult, artifacts: RenderArtifacts, violations: readonly PlanViolation[]): string[] {
  const outputs = capture.outputs;
  const lines = [
    `${capture.project} · stack ${capture.stack} (environment ${String(outputs["environment"])}, cluster ${String(outputs["clusterProvider"])})`,
    `${artifacts.plan.resources.length} resources: ${artifacts.manifests.length} Kubernetes objects, ${artifacts.releases.length} Helm/kustomize releases`,
    "",
    "Resources per component:",
  ];
  const counts = countByComponent(artifacts.plan);
  const width = Math.max(0, ...[...counts.keys()].map((k) => k.length));
  for (const [component, count] of counts) lines.push(`  ${component.padEnd(width)}  ${String(count).padStart(4)}`);
  if (artifacts.releases.length > 0) {
    lines.push("", "Releases:");
    for (const release of artifacts.releases) {
      const what = release.chart ? `${release.chart} ${release.version ?? "(unpinned)"}` : String(release.source);
      lines.push(`  ${release.kind.padEnd(22)} ${what}  ->  ${release.namespace ?? "(namespaces set by the source)"}`);
    }
  }
  lines.push("");
  if (artifacts.problems.length === 0) {
    lines.push(`Schema: ${artifacts.manifests.length} objects validated, no problems`);
  } else {
    lines.push(`Problems (${artifacts.problems.length}):`);
    for (const problem of artifacts.problems) lines.push(`  [${problem.stage}] ${problem.resource}: ${problem.message}`);
  }
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  if (violations.length === 0) {
    lines.push("Policies: no violations");
  } else {
    lines.push(`Policies: ${violations.length} violations (${mandatory} mandatory, ${violations.length - mandatory} advisory):`);
    // The stack key a user changes, where one decides the violation; otherwise the object it is about.
    for (const v of violations) lines.push(`  [${v.enforcementLevel}] ${v.policy} ${v.stackKey ?? (v.resource || "(stack)")}: ${v.message}`);
  }
  return lines;
}

const USAGE = "usage: npm run render -- --stack <local|dev|staging|prod> [--out <dir>] [--check]";

export function parseArgs(argv: readonly string[]): RenderOptions | string {
  let stack: string | undefined;
  let outDir: string | undefined;
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    if (flag === "--stack" || flag === "-s") stack = value();
    else if (flag === "--out") outDir = value();
    else if (flag === "--check" && inline === undefined) check = true;
    else if (flag === "--help" || flag === "-h") return USAGE;
    else return `unknown argument "${arg}"\n${USAGE}`;
  }
  if (!stack) return `missing --stack\n${USAGE}`;
  return { stack, ...(outDir === undefined ? {} : { outDir }), ...(check ? { check } : {}) };
}

async function main(): Promise<void> {
  const parsed = parseArgs(process.argv.slice(2));
  if (typeof parsed === "string") {
    console.error(parsed);
    process.exit(parsed === USAGE ? 0 : 2);
  }
  const outcome = await renderStack({ ...parsed, progress: process.stderr });
  (outcome.exitCode === 0 ? console.log : console.error)(outcome.report);
  process.exit(outcome.exitCode);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  void main();
}
