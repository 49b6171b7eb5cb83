/**
 * A simulated Kubernetes cluster (`scripts/cluster`) for end-to-end tests: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler and kwok fake nodes on 127.0.0.1, each test file with its own state
 * directory, so a developer's own cluster is never touched. See docs/simulated-cluster.md.
 *
 *   const binaries = requireSimulatedCluster();
 *   describe.skipIf(!binaries)("...", () => {
 *     let cluster: SimulatedCluster;
 *     beforeAll(async () => { cluster = await startSimulatedCluster(); }, 300_000);
 *     afterAll(() => cluster?.stop(), 120_000);
 *     ...
 *   });
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The command that builds (once, about 25 minutes cold) and caches the cluster's binaries. */
export const BUILD_COMMAND = "scripts/build kube kwok";

/** The repository root: the nearest folder above this file that has scripts/cluster (source or dist/). */
function repoRoot(): string {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "scripts", "cluster"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`scripts/cluster not found above ${import.meta.dirname}`);
  }
}

export const REPO_ROOT = repoRoot();
const CLUSTER_SCRIPT = path.join(REPO_ROOT, "scripts", "cluster");
const BUILD_SCRIPT = path.join(REPO_ROOT, "scripts", "build");

/** The cached binary directories `scripts/build` made for the cluster. */
export interface SimulatedClusterBinaries {
  /** etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl. */
  kubeDir: string;
  /** kwok and its stage definitions. */
  kwokDir: string;
  kubectl: string;
}

/**
 * The cluster's cached binaries, or undefined when they are not built: tests that need them are then skipped
 * with a visible notice on a developer's machine, and fail under CI (`CI` set), which must build them first.
 * Never builds anything itself.
 */
export function requireSimulatedCluster(): SimulatedClusterBinaries | undefined {
  try {
    execFileSync("bash", [BUILD_SCRIPT, "--check", "kube", "kwok"], { stdio: "ignore" });
    const [kubeDir, kwokDir] = execFileSync("bash", [BUILD_SCRIPT, "--path", "kube", "kwok"], { encoding: "utf8" }).trim().split("\n");
    return { kubeDir: kubeDir!, kwokDir: kwokDir!, kubectl: path.join(kubeDir!, "kubectl") };
  } catch {
    const binaries = "the simulated cluster's binaries (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok)";
    const hint = `\`${BUILD_COMMAND}\` builds them once, about 25 minutes, then they are cached`;
    if (process.env["CI"]) throw new Error(`CI requires ${binaries} to be built before the tests: ${hint}`);
    console.warn(`\n  NOTICE: skipping tests: ${binaries} are not built; ${hint}\n`);
    return undefined;
  }
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a command; rejects with its exit status and stderr when it fails. */
export function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${path.basename(command)} ${args.join(" ")} failed (${signal ?? `exit ${code}`}):\n${stderr}${stdout}`));
    });
    child.stdin.end(options.input ?? "");
  });
}

export interface StartSimulatedClusterOptions {
  /**
   * A file of Node manifests (each annotated `kwok.x-k8s.io/node: fake`).
   * @default scripts/cluster-nodes/default.yaml: 3 CPU nodes and GPU nodes of pools l4-spot and a10g
   */
  nodesFile?: string;
  /**
   * Seconds each of `up`'s waits may last.
   * @default 120
   */
  timeoutSeconds?: number;
}

export interface SimulatedCluster {
  /** The admin kubeconfig (client certificate of system:masters). */
  readonly kubeconfig: string;
  /** The cluster's state directory (a temporary one, deleted by stop()). */
  readonly stateDir: string;
  /** kubectl of the cluster's own version. */
  readonly kubectlPath: string;
  /** process.env with KUBECONFIG (and MLOPS_CLUSTER_DIR) set for this cluster: give it to Pulumi or kubectl. */
  readonly env: NodeJS.ProcessEnv;
  /** kubectl against this cluster; resolves with its stdout. */
  kubectl(args: string[], input?: string): Promise<string>;
  /** `scripts/cluster <args>` on this cluster's state directory. */
  script(args: string[]): Promise<RunResult>;
  /** The PIDs `up` recorded, by component (etcd, kube-apiserver, ...); empty once stopped. */
  pids(): Record<string, number>;
  /** Stops every process of the cluster and deletes its state directory. */
  stop(): Promise<void>;
}

/** Starts a simulated cluster in a fresh temporary state directory; its binaries must be built. */
export async function startSimulatedCluster(options: StartSimulatedClusterOptions = {}): Promise<SimulatedCluster> {
  const binaries = requireSimulatedCluster();
  if (!binaries) throw new Error(`the simulated cluster's binaries are not built: run \`${BUILD_COMMAND}\``);
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-cluster-"));
  const kubeconfig = path.join(stateDir, "kubeconfig");
  const env: NodeJS.ProcessEnv = { ...process.env, MLOPS_CLUSTER_DIR: stateDir, KUBECONFIG: kubeconfig };
  if (options.nodesFile) env["MLOPS_CLUSTER_NODES"] = path.resolve(options.nodesFile);
  if (options.timeoutSeconds) env["MLOPS_CLUSTER_TIMEOUT"] = String(options.timeoutSeconds);

  const script = (args: string[]) => run("bash", [CLUSTER_SCRIPT, ...args], { env });
  let stopped = false;
  // If the test process ends without stop() (a crash, a missing afterAll), the cluster must not outlive it.
  const onExit = () => {
    if (stopped) return;
    try {
      execFileSync("bash", [CLUSTER_SCRIPT, "down", "--purge"], { env, stdio: "ignore" });
    } catch {
      // nothing more can be done while exiting
    }
  };
  process.once("exit", onExit);

  const stop = async () => {
    if (stopped) return;
    await script(["down", "--purge"]);
    stopped = true;
    process.removeListener("exit", onExit);
    fs.rmSync(stateDir, { recursive: true, force: true });
  };

  try {
    await script(["up"]);
  } catch (error) {
    // `up` stops what it started when it fails; the state directory stays, for its logs.
    await script(["down"]).catch(() => undefined);
    stopped = true;
    process.removeListener("exit", onExit);
    throw new Error(`${(error as Error).message}\nlogs: ${path.join(stateDir, "logs")}`);
  }

  return {
    kubeconfig,
    stateDir,
    kubectlPath: binaries.kubectl,
    env,
    kubectl: async (args, input) => (await run(binaries.kubectl, ["--kubeconfig", kubeconfig, ...args], { env, ...(input === undefined ? {} : { input }) })).stdout,
    script,
    pids: () => {
      const pids: Record<string, number> = {};
      const dir = path.join(stateDir, "pids");
      if (!fs.existsSync(dir)) return pids;
      for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".pid"))) {
        pids[file.slice(0, -".pid".length)] = Number(fs.readFileSync(path.join(dir, file), "utf8").split(" ")[0]);
      }
      return pids;
    },
    stop,
  };
}

/** Whether a process runs (a zombie, exited but not yet reaped by its parent, does not). */
export function isProcessRunning(pid: number): boolean {
  if (fs.existsSync("/proc/self")) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
