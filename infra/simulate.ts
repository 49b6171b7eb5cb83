/**
 * `npm run simulate -- <up|preview|destroy> [--stack local] [--crds <dir>]`: deploys a stack onto the
 * simulated cluster (`scripts/cluster`) with the real Pulumi engine (`scripts/build`), no Docker and no
 * cloud account needed. Both are built from Go modules on first use (about 25 minutes), then cached.
 *
 * Nothing runs in a simulated cluster's pods, so operators cannot be installed into it: give it their CRDs
 * (`--crds`, or MLOPS_PLATFORM_CRDS: a folder of CRD files, e.g. `helm show crds` of each chart) and every
 * operator whose CRDs it then has is declared preinstalled. The stack's kubeconfig context is replaced by
 * the simulated cluster's, and the secrets the platform generates with @pulumi/random (whose provider
 * cannot be built here) are generated once and kept in the simulation's own state.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { ClusterOperator, OPERATOR_CRDS } from "@mlops-platform/components";
import type { ConfigMap } from "@pulumi/pulumi/automation/index.js";
import { CONFIG_NAMESPACE } from "./config.js";
import { builtEngine, createEngineStack } from "./engine.js";
import { establishedCrds } from "./preflight.js";
import { platformProgram } from "./program.js";
import { findProject, listStacks, loadOfflineStack } from "./stack-files.js";

const OPERATIONS = ["up", "preview", "destroy"] as const;
type Operation = (typeof OPERATIONS)[number];

/** Secrets the platform would otherwise generate, and how a generated stand-in looks. */
const GENERATED_SECRETS: Readonly<Record<string, (random: string) => string>> = {
  gatewayMasterKey: (random) => `sk-${random}`,
  gatewayValkeyPassword: (random) => random,
  gatewayDatabasePassword: (random) => random,
  notebookCookieSecret: (random) => random,
};

export interface SimulateOptions {
  operation: Operation;
  stack: string;
  /** Folder of CRD files to apply first. @default $MLOPS_PLATFORM_CRDS, else ../shared/schemas/crds if present */
  crds?: string;
  cwd?: string;
}

/** The operators whose every CRD the cluster has: the ones a simulation declares preinstalled. */
export function operatorsWithCrds(established: ReadonlySet<string>): ClusterOperator[] {
  return Object.values(ClusterOperator).filter((operator) => OPERATOR_CRDS[operator].every((crd) => established.has(crd)));
}

/**
 * The stack file's config for a simulated cluster: its context dropped (the kubeconfig is the cluster's),
 * `preinstalled` added to the operators it declares, and the kubeconfig as a secret.
 */
export function simulatedConfig(stackConfig: Readonly<Record<string, string>>, secretKeys: readonly string[], kubeconfig: string, preinstalled: readonly string[]): ConfigMap {
  const config: ConfigMap = {};
  for (const [key, value] of Object.entries(stackConfig)) config[key] = { value, secret: secretKeys.includes(key) };
  const clusterKey = `${CONFIG_NAMESPACE}:cluster`;
  const cluster = JSON.parse(stackConfig[clusterKey] ?? "{}") as Record<string, unknown>;
  delete cluster["context"];
  const declared = Array.isArray(cluster["preinstalledOperators"]) ? (cluster["preinstalledOperators"] as string[]) : [];
  cluster["preinstalledOperators"] = [...new Set([...declared, ...preinstalled])];
  config[clusterKey] = { value: JSON.stringify(cluster) };
  config[`${CONFIG_NAMESPACE}:kubeconfig`] = { value: kubeconfig, secret: true };
  return config;
}

export async function simulate(options: SimulateOptions): Promise<void> {
  const project = findProject(options.cwd ?? process.cwd());
  const stacks = listStacks(project);
  if (!stacks.includes(options.stack)) throw new UsageError(`unknown stack "${options.stack}" (stacks: ${stacks.join(", ")})`);
  const script = (name: string, args: string[]) =>
    execFileSync("bash", [path.join(project.root, "scripts", name), ...args], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });

  // Both are no-ops once built and running.
  script("build", []);
  const engine = builtEngine(project.root);
  if (!engine) throw new Error("scripts/build did not leave the Pulumi engine in its cache");
  const kubeconfigPath = /export KUBECONFIG=(\S+)/.exec(script("cluster", ["up"]))?.[1];
  if (!kubeconfigPath) throw new Error("scripts/cluster up did not say where its kubeconfig is");
  const kubeconfig = fs.readFileSync(kubeconfigPath, "utf8");

  const crds = options.crds ?? process.env["MLOPS_PLATFORM_CRDS"] ?? path.join(project.root, "..", "shared", "schemas", "crds");
  if (fs.existsSync(crds)) script("cluster", ["crds", crds]);
  else if (options.crds) throw new UsageError(`no CRD folder at ${crds}`);
  else console.log(`note: no CRDs applied (no ${crds}); the preflight will name what the stack needs`);
  const preinstalled = operatorsWithCrds(await establishedCrds({ kubeconfig }));
  console.log(`operators declared preinstalled (their CRDs are in the cluster): ${preinstalled.join(", ") || "none"}`);

  const offline = loadOfflineStack(project, options.stack);
  const stateDir = path.join(process.env["MLOPS_PLATFORM_CACHE"] ?? path.join(os.homedir(), ".cache", "mlops-platform"), "simulated", options.stack);
  const deployment = await createEngineStack(engine, {
    dir: stateDir,
    projectName: project.name,
    stackName: options.stack,
    program: () => platformProgram(),
    config: simulatedConfig(offline.config, offline.secretKeys, kubeconfig, preinstalled),
  });
  const existing = await deployment.stack.getAllConfig();
  const generated: ConfigMap = {};
  for (const [key, shape] of Object.entries(GENERATED_SECRETS)) {
    const fullKey = `${CONFIG_NAMESPACE}:${key}`;
    if (!(fullKey in offline.config) && existing[fullKey] === undefined) generated[fullKey] = { value: shape(randomBytes(24).toString("hex")), secret: true };
  }
  if (Object.keys(generated).length > 0) await deployment.stack.setAllConfig(generated);

  const onOutput = (text: string) => process.stdout.write(text);
  if (options.operation === "up") {
    // Recorded as the deploy workflow records a real deployment (DORA), failed ones included.
    const environment = offline.config[`${CONFIG_NAMESPACE}:environment`] ?? options.stack;
    try {
      await deployment.stack.up({ onOutput });
    } catch (err) {
      recordDeployment(project.root, kubeconfigPath, environment, "failed");
      throw err;
    }
    recordDeployment(project.root, kubeconfigPath, environment, "succeeded");
  } else if (options.operation === "preview") await deployment.stack.preview({ onOutput, diff: true });
  else await deployment.stack.destroy({ onOutput });
  console.log(`\nstate: ${stateDir}; the cluster keeps running (npm run cluster -- down stops it)`);
}

/**
 * Writes the deployment's DeploymentRecord with scripts/record-deployment (the workflow's recorder), with
 * the simulated cluster's kubectl and this clone's commit; a note instead when it cannot (no git clone, a
 * stack without monitoring and so without the CRD).
 */
function recordDeployment(root: string, kubeconfigPath: string, environment: string, result: "succeeded" | "failed"): void {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
    const kubeDir = execFileSync("bash", [path.join(root, "scripts", "build"), "--path", "kube"], { encoding: "utf8" }).trim();
    const printed = execFileSync("bash", [path.join(root, "scripts", "record-deployment"), "--environment", environment, "--commit", commit, "--result", result], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, KUBECONFIG: kubeconfigPath, KUBECTL: path.join(kubeDir, "kubectl") },
    });
    console.log(printed.trim());
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    console.log(`note: deployment not recorded: ${stderr || (err instanceof Error ? err.message : String(err))}`);
  }
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): SimulateOptions {
  const [operation, ...rest] = argv;
  if (!OPERATIONS.includes(operation as Operation)) throw new UsageError(`expected one of ${OPERATIONS.join(", ")}`);
  const options: SimulateOptions = { operation: operation as Operation, stack: "local" };
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    if (flag === "--stack") options.stack = value;
    else if (flag === "--crds") options.crds = path.resolve(value);
    else throw new UsageError(`unknown option ${flag}`);
  }
  return options;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    await simulate(parseArgs(process.argv.slice(2)));
  } catch (err) {
    const usage = "usage: npm run simulate -- <up|preview|destroy> [--stack local] [--crds <folder of CRD files>]";
    console.error(err instanceof UsageError ? `${err.message}\n${usage}` : err instanceof Error ? err.message : String(err));
    process.exitCode = err instanceof UsageError ? 2 : 1;
  }
}
