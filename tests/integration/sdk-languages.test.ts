/**
 * The Python and Go SDKs of the components: `pulumi package gen-sdk --language python|go` on the committed
 * schema, by the real CLI, offline, into a temporary folder (generated SDKs are not committed). The upstream
 * Python and Go language hosts cannot be built here (their modules are not served), so the CLI runs the
 * project's SDK-only language host (scripts/go/sdkgen, `scripts/build sdkgen`), which calls Pulumi's own
 * code generators at the CLI's version. Each SDK has a class (Go: a type and constructor) per component with
 * every input and output; the Python compiles in the real Python, and the Go SDK compiles with the real Go
 * toolchain and registers MlPlatform with its args under the Go SDK's own mocks.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireTool } from "../helpers.js";
import { requireEngine } from "./engine.js";
import { committedSchema, COMPONENTS, PACKAGE_VERSION, runPulumi, SCHEMA_FILE } from "./package-schema.js";
import { REPO_ROOT } from "./simulated-cluster.js";

/**
 * The SDK-only language hosts scripts/build makes (`scripts/build sdkgen`), or undefined with a visible
 * notice on a developer's machine; under CI, which builds them, their absence fails the test.
 */
function sdkLanguageHosts(): string | undefined {
  const build = path.join(REPO_ROOT, "scripts", "build");
  try {
    execFileSync("bash", [build, "--check", "sdkgen"], { stdio: "ignore" });
    return execFileSync("bash", [build, "--path", "sdkgen"], { encoding: "utf8" }).trim();
  } catch {
    const message = "the Python and Go SDK language hosts are not built (`scripts/build sdkgen` builds them from Go modules, then they are cached)";
    if (process.env["CI"]) throw new Error(`CI requires ${message}`);
    console.warn(`\n  NOTICE: skipping the Python and Go SDK tests: ${message}\n`);
    return undefined;
  }
}

/**
 * The venv .ci/run makes with the Pulumi Python SDK (tests/integration/requirements-sdk.txt), or undefined
 * with a visible notice on a developer's machine; under CI its absence fails the test.
 */
function pythonSdkVenv(): string | undefined {
  const venvPython = path.join(REPO_ROOT, ".venv-sdk", "bin", "python");
  if (fs.existsSync(venvPython)) return venvPython;
  const message = "the Pulumi Python SDK is not installed (.venv-sdk: python3 -m venv .venv-sdk && .venv-sdk/bin/pip install -r tests/integration/requirements-sdk.txt)";
  if (process.env["CI"]) throw new Error(`CI requires ${message}; .ci/run installs it`);
  console.warn(`\n  NOTICE: skipping the Python SDK's run under mocks: ${message}\n`);
  return undefined;
}

const engine = requireEngine();
const hosts = engine ? sdkLanguageHosts() : undefined;
const python = requireTool("python3", "apt-get install python3");
const go = requireTool("go", "https://go.dev/dl/ (1.26)", ["version"]);
const venv = hosts ? pythonSdkVenv() : undefined;

/** camelCase schema name -> the SDK's snake_case Python name. */
const snake = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z])([A-Z][a-z])/g, "$1_$2").toLowerCase();

describe.skipIf(!engine || !hosts)("SDKs for Python and Go generated from the package schema", () => {
  const schema = committedSchema();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-sdks-"));
  const out = path.join(dir, "out");
  const generate = (language: string) => runPulumi(engine!, ["package", "gen-sdk", SCHEMA_FILE, "--language", language, "--out", out], { path: [hosts!] });

  beforeAll(async () => {
    await generate("python");
    await generate("go");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe("Python", () => {
    const pkg = path.join(out, "python", "pulumi_mlops_platform");
    const read = (file: string) => fs.readFileSync(path.join(pkg, file), "utf8");

    it(`is the pulumi_mlops_platform package, version ${PACKAGE_VERSION}, for the mlops-platform plugin`, () => {
      expect(JSON.parse(read("pulumi-plugin.json"))).toEqual({ resource: true, name: "mlops-platform", version: PACKAGE_VERSION });
      expect(fs.readFileSync(path.join(out, "python", "setup.py"), "utf8")).toContain(`VERSION = "${PACKAGE_VERSION}"`);
    });

    it.each(COMPONENTS)("has %s, a ComponentResource with its Args class, every input as a keyword and every output", (component) => {
      const source = read(`${snake(component)}.py`);
      expect(source).toContain(`class ${component}(pulumi.ComponentResource):`);
      expect(source).toContain(`class ${component}Args:`);
      expect(source).toContain(`super(${component}, __self__).__init__(\n            'mlops-platform:index:${component}',`);
      const resource = schema.resources[`mlops-platform:index:${component}`]!;
      const getter = (name: string) => (snake(name) === name ? `@pulumi.getter\n    def ${name}(self)` : `@pulumi.getter(name="${name}")\n    def ${snake(name)}(self)`);
      const missing = [
        ...Object.keys(resource.inputProperties).filter((name) => !source.includes(`                 ${snake(name)}: `)).map((name) => `input ${name}`),
        ...Object.keys(resource.properties).filter((name) => !source.includes(getter(name))).map((name) => `output ${name}`),
      ];
      expect(missing).toEqual([]);
    });

    it.skipIf(!python)("compiles in the real Python", () => {
      const run = spawnSync(python!, ["-m", "compileall", "-q", pkg], { encoding: "utf8" });
      expect(run.stdout + run.stderr).toBe("");
      expect(run.status).toBe(0);
    });

    it.skipIf(!venv)("installs with pip and registers MlPlatform with its args under the Pulumi Python SDK's mocks", () => {
      // Offline: no dependency resolution, no build isolation (setuptools is in the venv).
      const install = spawnSync(venv!, ["-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-deps", "--no-build-isolation", "--force-reinstall", path.join(out, "python")], {
        encoding: "utf8",
        timeout: 300_000,
      });
      expect(install.status, install.stdout + install.stderr).toBe(0);
      const program = path.join(dir, "check.py");
      fs.writeFileSync(program, PYTHON_MOCK_PROGRAM);
      const run = spawnSync(venv!, [program], { cwd: dir, encoding: "utf8", timeout: 120_000 });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      expect(JSON.parse(run.stdout.trim().split("\n").pop()!)).toEqual({
        gpu: { cloud: "aws", pools: [{ name: "l4-spot", gpu: "nvidia-l4", capacity: ["spot"], maxGpus: 4 }] },
        teams: [{ name: "vision", owners: ["vision-leads"], quota: { cpu: 16, memoryGiB: 64, storageGiB: 200 } }],
      });
    }, 600_000);
  });

  describe("Go", () => {
    const pkg = path.join(out, "go", "mlopsplatform");
    const read = (file: string) => fs.readFileSync(path.join(pkg, file), "utf8");
    const pascal = (name: string) => name[0]!.toUpperCase() + name.slice(1);
    const camel = (name: string) => name[0]!.toLowerCase() + name.slice(1);

    it.each(COMPONENTS)("has %s, its constructor, its Args struct with every input, and every output", (component) => {
      const source = read(`${camel(component)}.go`);
      expect(source).toContain(`type ${component} struct {\n\tpulumi.ResourceState`);
      expect(source).toContain(`func New${component}(ctx *pulumi.Context,`);
      expect(source).toContain(`ctx.RegisterRemoteComponentResource("mlops-platform:index:${component}", name, args, &resource, opts...)`);
      const resource = schema.resources[`mlops-platform:index:${component}`]!;
      const argsStruct = new RegExp(`type ${component}Args struct \\{([\\s\\S]*?)\\n\\}`).exec(source)?.[1] ?? "";
      const missing = [
        ...Object.keys(resource.inputProperties).filter((name) => !new RegExp(`\\n\\t${pascal(name)} `).test(argsStruct)).map((name) => `input ${name}`),
        ...Object.keys(resource.properties).filter((name) => !source.includes(`\`pulumi:"${name}"\``)).map((name) => `output ${name}`),
      ];
      expect(missing).toEqual([]);
    });

    // Pulumi's Go generator writes input types of plain object lists only with generateExtraInputTypes, which
    // the plugin's schema sets (components/src/provider.ts); without it this fails to compile.
    it.skipIf(!go)("compiles with the real Go toolchain and registers MlPlatform with its args under the Go SDK's mocks", () => {
      const pulumiVersion = /^PULUMI_VERSION=(.+)$/m.exec(fs.readFileSync(path.join(REPO_ROOT, "scripts", "pins.env"), "utf8"))![1]!;
      const importPath = /"(\S+)\/internal"/.exec(read("mlPlatform.go"))![1]!;
      fs.writeFileSync(path.join(pkg, "go.mod"), `module ${importPath}\n\ngo 1.26\n\nrequire github.com/pulumi/pulumi/sdk/v3 v${pulumiVersion}\n`);
      fs.writeFileSync(path.join(pkg, "platform_test.go"), GO_MOCK_TEST);
      const env = { ...process.env, GOFLAGS: "-mod=mod", GOTOOLCHAIN: "local" };
      const tidy = spawnSync(go!, ["mod", "tidy"], { cwd: pkg, encoding: "utf8", env, timeout: 600_000 });
      expect(tidy.status, tidy.stderr).toBe(0);
      const test = spawnSync(go!, ["test", "-count=1", "./..."], { cwd: pkg, encoding: "utf8", env, timeout: 600_000 });
      expect(test.status, test.stdout + test.stderr).toBe(0);
      expect(test.stdout).toMatch(/^ok\s/m);
    }, 900_000);
  });
});

/** A Go program's view of the SDK: MlPlatform with a GPU pool and a team, registered under pulumi.WithMocks. */
const GO_MOCK_TEST = `package mlopsplatform

import (
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

type mocks struct {
	mu         sync.Mutex
	registered map[string]resource.PropertyMap
}

func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.registered[args.TypeToken+"::"+args.Name] = args.Inputs
	return args.Name, args.Inputs, nil
}

func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) { return args.Args, nil }

func TestMlPlatformRegistersWithItsArgs(t *testing.T) {
	m := &mocks{registered: map[string]resource.PropertyMap{}}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := NewMlPlatform(ctx, "mlops", &MlPlatformArgs{
			Gpu: &MlPlatformGpuArgsArgs{
				Cloud: GpuCloudAws,
				Pools: []GpuPoolArgsArgs{{Name: "l4-spot", Gpu: GpuTypeNvidiaL4, Capacity: []CapacityType{CapacityTypeSpot}, MaxGpus: 4}},
			},
			Teams: []TeamArgsTypeArgs{{Name: "vision", Owners: []string{"vision-leads"}, Quota: TeamQuotaArgsArgs{Cpu: 16, MemoryGiB: 64, StorageGiB: 200}}},
		})
		return err
	}, pulumi.WithMocks("project", "stack", m))
	if err != nil {
		t.Fatal(err)
	}
	inputs, ok := m.registered["mlops-platform:index:MlPlatform::mlops"]
	if !ok {
		t.Fatalf("MlPlatform was not registered: %v", m.registered)
	}
	team := inputs["teams"].ArrayValue()[0].ObjectValue()
	if got := team["name"].StringValue(); got != "vision" {
		t.Errorf("team name %q", got)
	}
	if got := team["quota"].ObjectValue()["cpu"].NumberValue(); got != 16 {
		t.Errorf("team cpu %v", got)
	}
	pool := inputs["gpu"].ObjectValue()["pools"].ArrayValue()[0].ObjectValue()
	if got := pool["gpu"].StringValue(); got != "nvidia-l4" {
		t.Errorf("pool gpu %q", got)
	}
	if got := pool["capacity"].ArrayValue()[0].StringValue(); got != "spot" {
		t.Errorf("pool capacity %q", got)
	}
}
`;

/** A Python program's view of the SDK: MlPlatform with a GPU pool and a team, under pulumi.runtime's mocks. */
const PYTHON_MOCK_PROGRAM = `import json
import pulumi

registered = {}


class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        registered[f"{args.typ}::{args.name}"] = args.inputs
        return [f"{args.name}-id", args.inputs]

    def call(self, args: pulumi.runtime.MockCallArgs):
        return {}


pulumi.runtime.set_mocks(Mocks(), project="project", stack="stack", preview=False)

import pulumi_mlops_platform as mlp  # noqa: E402 (after the mocks are set)

platform = mlp.MlPlatform(
    "mlops",
    gpu=mlp.MlPlatformGpuArgsArgs(
        cloud=mlp.GpuCloud.AWS,
        pools=[mlp.GpuPoolArgsArgs(name="l4-spot", gpu=mlp.GpuType.NVIDIA_L4, capacity=[mlp.CapacityType.SPOT], max_gpus=4)],
    ),
    teams=[mlp.TeamArgsArgs(name="vision", owners=["vision-leads"], quota=mlp.TeamQuotaArgsArgs(cpu=16, memory_gi_b=64, storage_gi_b=200))],
)


@pulumi.runtime.test
def registers_with_its_args():
    return platform.urn.apply(lambda _: print(json.dumps(registered["mlops-platform:index:MlPlatform::mlops"])))


registers_with_its_args()
`;
