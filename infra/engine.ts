/**
 * The Pulumi engine that `scripts/build` builds from Go modules (the CLI and the Kubernetes provider),
 * driven through the Automation API with an inline program: the Node.js language host cannot be built
 * from the Go module proxy, and an inline program needs none. Each stack lives in a file backend in a
 * folder of its own: no network, no Pulumi Cloud. Used by `npm run simulate` and the end-to-end tests.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, Stack, type ConfigMap } from "@pulumi/pulumi/automation/index.js";

/** The command that builds (once) and caches the engine. */
export const ENGINE_BUILD_COMMAND = "scripts/build pulumi provider";

/** Where the engine's binaries are. */
export interface Engine {
  /** Folder of the `pulumi` CLI. */
  cliDir: string;
  /** Folder of `pulumi-resource-kubernetes`. */
  providerDir: string;
}

/** The engine's cached binaries under a project root, or undefined when they are not built. Builds nothing. */
export function builtEngine(projectRoot: string): Engine | undefined {
  const build = path.join(projectRoot, "scripts", "build");
  try {
    execFileSync("bash", [build, "--check", "pulumi", "provider"], { stdio: "ignore" });
    const [cliDir, providerDir] = execFileSync("bash", [build, "--path", "pulumi", "provider"], { encoding: "utf8" }).trim().split("\n");
    return { cliDir: cliDir!, providerDir: providerDir! };
  } catch {
    return undefined;
  }
}

export interface EngineStackOptions {
  /**
   * Folder for the backend, PULUMI_HOME and the workspace; it keeps the stack's state between runs.
   * @default a new temporary folder
   */
  dir?: string;
  /**
   * Passphrase that encrypts the stack's secrets in its state.
   * @default a fixed one: these stacks are for tests and simulations, never for real credentials
   */
  passphrase?: string;
  /** The project's name: the program's config namespace follows from it. */
  projectName: string;
  stackName: string;
  /** The inline program; its return value becomes the stack outputs. */
  program: () => Promise<Record<string, unknown>>;
  /** Stack configuration, keyed `<namespace>:<key>`. */
  config: ConfigMap;
  /** Extra environment for the CLI and the providers it starts (e.g. KUBECONFIG). */
  env?: Record<string, string>;
}

/** A stack in its own file backend; `dispose()` removes the stack and its folders. */
export interface EngineStack {
  stack: Stack;
  /** The temporary folder holding the backend, PULUMI_HOME and the workspace. */
  dir: string;
  dispose(): Promise<void>;
}

/**
 * Creates a stack on a file backend in a new temporary folder, with the built CLI and provider first on
 * PATH for the CLI and the plugins it starts.
 */
export async function createEngineStack(engine: Engine, options: EngineStackOptions): Promise<EngineStack> {
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "mlp-engine-"));
  const backend = path.join(dir, "backend");
  const workDir = path.join(dir, "workspace");
  const home = path.join(dir, "pulumi-home");
  for (const folder of [backend, workDir, home]) fs.mkdirSync(folder, { recursive: true });
  const envVars: Record<string, string> = {
    PATH: [engine.cliDir, engine.providerDir, process.env["PATH"] ?? ""].join(path.delimiter),
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: options.passphrase ?? "simulation-only",
    // Nothing to download or report: plugins come from PATH, and there is no network to ask.
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    ...options.env,
  };
  // The Automation API runs `<root>/bin/pulumi`: give it a root whose bin/ holds the built CLI.
  const root = path.join(dir, "cli");
  fs.mkdirSync(path.join(root, "bin"), { recursive: true });
  fs.rmSync(path.join(root, "bin", "pulumi"), { force: true });
  fs.symlinkSync(path.join(engine.cliDir, "pulumi"), path.join(root, "bin", "pulumi"));
  const pulumiCommand = await PulumiCommand.get({ root, skipVersionCheck: true });
  const workspace = await LocalWorkspace.create({
    pulumiCommand,
    workDir,
    pulumiHome: home,
    program: options.program,
    projectSettings: { name: options.projectName, runtime: "nodejs", backend: { url: `file://${backend}` } },
    envVars,
  });
  const stack = await Stack.createOrSelect(options.stackName, workspace);
  await stack.setAllConfig(options.config);
  return {
    stack,
    dir,
    dispose: async () => {
      await workspace.removeStack(options.stackName, { force: true }).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
