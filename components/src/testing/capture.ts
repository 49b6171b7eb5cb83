import * as pulumi from "@pulumi/pulumi";
import { splitSecrets } from "./secrets.js";

/** One resource registration seen under mocks, with the options that matter for safety. */
export interface CapturedResource {
  urn: string;
  /** Type token, e.g. `kubernetes:core/v1:Namespace` or `mlops-platform:index:ClusterBase`. */
  type: string;
  /** Logical (Pulumi) name. */
  name: string;
  /** URN of the parent resource; empty for the stack itself. */
  parent: string;
  /** True for custom resources (managed by a provider), false for components. */
  custom: boolean;
  /** True for remote components such as `helm.v4.Chart`, which do not expand under mocks. */
  remote: boolean;
  /** Inputs with every secret replaced by `<secret>`: safe to print and write. */
  inputs: Record<string, unknown>;
  /** Inputs with secrets unwrapped to their values: for assertions in tests, never for output files. */
  plainInputs: Record<string, unknown>;
  /** True when any input was a secret. */
  hasSecretInputs: boolean;
  /** Outputs a component registered with `registerOutputs`, masked (empty for custom resources). */
  outputs: Record<string, unknown>;
  protect: boolean;
  retainOnDelete: boolean;
  /** URNs this resource depends on: explicit `dependsOn` plus the resources its inputs came from. */
  dependsOn: string[];
  /** Provider reference (`<urn>::<id>`), or empty for the default provider. */
  provider: string;
}

/** Where and how to run a program under mocks. */
export interface CaptureOptions {
  /** Pulumi project name (the `name:` of Pulumi.yaml). */
  project: string;
  /** Stack name, e.g. `dev`. */
  stack: string;
  /**
   * Configuration, keyed `<namespace>:<key>`; structured values as JSON strings, as Pulumi stores them.
   * @default {}
   */
  config?: Record<string, string>;
  /**
   * Keys of `config` that are secrets: the program sees them as secret outputs.
   * @default []
   */
  secretKeys?: string[];
  /**
   * Run as a preview (`pulumi preview`) instead of an update.
   * @default false
   */
  preview?: boolean;
  /**
   * Extra state a mocked resource returns besides its inputs, e.g. computed fields a program reads.
   * @default none
   */
  mockState?: (args: pulumi.runtime.MockResourceArgs) => Record<string, unknown>;
  /**
   * Answers for provider function calls (`getX` invokes).
   * @default returns the call's inputs
   */
  mockCall?: (args: pulumi.runtime.MockCallArgs) => Record<string, unknown>;
}

/** Everything a program did under mocks. */
export interface CaptureResult {
  project: string;
  stack: string;
  /** Every registration, sorted by URN (stable across runs). */
  resources: CapturedResource[];
  /** Stack outputs (the program's exports), masked. */
  outputs: Record<string, unknown>;
  /** Errors the program raised (thrown, or rejected in a callback), in the order they happened. */
  errors: Error[];
  /** Plaintext strings of every secret seen, so writers can prove none reached their output. */
  secretStrings: Set<string>;
}

type WireStruct = Parameters<typeof pulumi.runtime.deserializeProperties>[0];
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getRemote(): boolean;
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getDependenciesList(): string[];
  getProvider(): string;
  getObject(): WireStruct;
}
interface RegisterOutputsRequest {
  getUrn(): string;
  getOutputs(): WireStruct;
}
type Callback = (err: unknown, response?: { getUrn(): string }) => void;
interface MockMonitorLike {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
  registerResourceOutputs(req: RegisterOutputsRequest, callback: (err: unknown, res?: unknown) => void): void;
}

let captureInProgress = false;

/**
 * Runs `program` under Pulumi's mocks with the given project, stack and config, waits for every
 * registration, and returns what it registered. The program runs inside a real `pulumi:pulumi:Stack`
 * resource, as under `pulumi up`, so its exports become stack outputs.
 *
 * Pulumi's runtime is process-global: run one capture at a time (each test file in its own process is
 * simplest), and import the program inside `program` so it reads the config set here.
 */
export async function captureProgram(
  program: () => unknown,
  options: CaptureOptions,
): Promise<CaptureResult> {
  if (captureInProgress) throw new Error("captureProgram: another capture is running in this process");
  captureInProgress = true;
  const secretStrings = new Set<string>();
  const byUrn = new Map<string, CapturedResource>();
  const errors: Error[] = [];
  const onRejection = (reason: unknown): void => {
    errors.push(reason instanceof Error ? reason : new Error(String(reason)));
  };
  process.on("unhandledRejection", onRejection);
  try {
    const mocks: pulumi.runtime.Mocks = {
      newResource: (args) => ({
        id: args.custom ? `${args.name}-id` : undefined,
        state: { ...args.inputs, ...randomOutputs(args), ...(options.mockState?.(args) ?? {}) },
      }),
      call: (args) => options.mockCall?.(args) ?? args.inputs,
    };
    await pulumi.runtime.setMocks(mocks, options.project, options.stack, options.preview ?? false);
    pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys ?? []);
    const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitorLike;
    interceptRegistrations(monitor, byUrn, secretStrings);

    try {
      // The program's own errors are caught inside the stack's init: rethrown, Pulumi would also leave
      // an unhandled rejection behind (the stack's outputs promise), which test runners report as a crash.
      await pulumi.runtime.runInPulumiStack(async () => {
        try {
          return await program();
        } catch (err) {
          errors.push(err instanceof Error ? err : new Error(String(err)));
          return {};
        }
      });
    } catch (err) {
      errors.push(err instanceof Error ? err : new Error(String(err)));
    }
    try {
      await pulumi.runtime.disconnect();
    } catch (err) {
      errors.push(err instanceof Error ? err : new Error(String(err)));
    }
    const resources = [...byUrn.values()].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
    // Taken from the stack's registerResourceOutputs request, which keeps secrets wrapped; the value
    // runInPulumiStack returns has them unwrapped already.
    const outputs = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs ?? {};
    return { project: options.project, stack: options.stack, resources, outputs, errors, secretStrings };
  } finally {
    process.off("unhandledRejection", onRejection);
    captureInProgress = false;
  }
}

/**
 * Outputs of `@pulumi/random` resources, which the engine would compute: deterministic placeholders, so
 * two renders agree and programs that use the values get strings of the right shape.
 */
function randomOutputs(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  if (!args.type.startsWith("random:index/")) return {};
  const length = typeof args.inputs["length"] === "number" ? (args.inputs["length"] as number) : 16;
  const text = `offline${args.name.replace(/[^A-Za-z0-9]/g, "")}`.repeat(Math.ceil(length / 8)).slice(0, length);
  return { result: text, hex: Buffer.from(text).toString("hex"), b64Std: Buffer.from(text).toString("base64") };
}

/** Wraps the mock monitor so every request is recorded before the mocks answer it. */
function interceptRegistrations(
  monitor: MockMonitorLike,
  byUrn: Map<string, CapturedResource>,
  secretStrings: Set<string>,
): void {
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const seen = new Set<string>();
    const inputs = splitSecrets(pulumi.runtime.deserializeProperties(req.getObject()), seen);
    // The Kubernetes SDK marks a Secret's whole payload secret; a basic-auth user name is not secret, and
    // other objects name it in plain text (a database owner), so it must not trip the plaintext check.
    const plain = inputs.plain as Record<string, unknown>;
    if (req.getType() === "kubernetes:core/v1:Secret" && plain["type"] === "kubernetes.io/basic-auth") {
      const payload = (plain["stringData"] ?? {}) as Record<string, unknown>;
      if (typeof payload["username"] === "string") seen.delete(payload["username"]);
    }
    seen.forEach((value) => secretStrings.add(value));
    return registerResource(req, (err, response) => {
      if (!err && response) {
        const urn = response.getUrn();
        byUrn.set(urn, {
          urn,
          type: req.getType(),
          name: req.getName(),
          parent: req.getParent(),
          custom: req.getCustom(),
          remote: req.getRemote(),
          inputs: inputs.masked as Record<string, unknown>,
          plainInputs: inputs.plain as Record<string, unknown>,
          hasSecretInputs: inputs.hadSecret,
          outputs: {},
          protect: req.getProtect(),
          retainOnDelete: req.getRetainondelete(),
          dependsOn: [...new Set(req.getDependenciesList())].sort(),
          provider: req.getProvider(),
        });
      }
      callback(err, response);
    });
  };
  const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, callback) => {
    const resource = byUrn.get(req.getUrn());
    if (resource) {
      const outputs = splitSecrets(pulumi.runtime.deserializeProperties(req.getOutputs()), secretStrings);
      resource.outputs = outputs.masked as Record<string, unknown>;
    }
    registerResourceOutputs(req, callback);
  };
}
