/**
 * The C# SDK a .NET program would use: `pulumi package gen-sdk --language dotnet` on the committed schema,
 * by the real CLI with the .NET language host, into a temporary folder (generated SDKs are not committed).
 * Each component is a ComponentResource with its Args class, every input and output; each enum has its
 * values; the C# program the README shows a C# team uses only names the SDK has. Offline: the SDK's
 * package icon is served from here instead of fetched from GitHub. No .NET SDK is on these machines, so the
 * C# is read, not compiled.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireEngine } from "./engine.js";
import { REPO_ROOT } from "./simulated-cluster.js";
import { checkCSharpProgram, csharpBlocks } from "./csharp-names.js";
import { committedSchema, COMPONENTS, PACKAGE_VERSION, runPulumi } from "./package-schema.js";

const HOST = "pulumi-language-dotnet";

/**
 * The .NET language host scripts/build makes (`scripts/build dotnet`), or undefined with a visible notice on
 * a developer's machine; under CI, which builds it, its absence fails the test.
 */
function dotnetLanguageHost(): string | undefined {
  const build = path.join(REPO_ROOT, "scripts", "build");
  try {
    execFileSync("bash", [build, "--check", "dotnet"], { stdio: "ignore" });
    return path.join(execFileSync("bash", [build, "--path", "dotnet"], { encoding: "utf8" }).trim(), HOST);
  } catch {
    const message = `${HOST} is not built (\`scripts/build dotnet\` builds it from its Go module, then it is cached)`;
    if (process.env["CI"]) throw new Error(`CI requires ${message}`);
    console.warn(`\n  NOTICE: skipping the C# SDK tests: ${message}\n`);
    return undefined;
  }
}

const engine = requireEngine();
const host = engine ? dotnetLanguageHost() : undefined;

describe.skipIf(!engine || !host)("the C# SDK generated from the package schema", () => {
  const schema = committedSchema();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-dotnet-sdk-"));
  const sdk = path.join(dir, "out", "dotnet");
  const read = (file: string): string => fs.readFileSync(path.join(sdk, file), "utf8");
  let icon: http.Server;

  beforeAll(async () => {
    icon = http.createServer((_req, res) => res.writeHead(200, { "content-type": "image/png" }).end(Buffer.from("89504e470d0a1a0a", "hex")));
    await new Promise<void>((resolve) => icon.listen(0, "127.0.0.1", resolve));
    const schemaFile = path.join(dir, "schema.json");
    fs.writeFileSync(schemaFile, JSON.stringify({ ...schema, logoUrl: `http://127.0.0.1:${(icon.address() as AddressInfo).port}/logo.png` }));
    await runPulumi(engine!, ["package", "gen-sdk", schemaFile, "--language", "dotnet", "--out", path.join(dir, "out")], { path: [path.dirname(host!)] });
  });
  afterAll(() => {
    icon?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is the mlops-platform package, in the Pulumi.MlopsPlatform project and namespace", () => {
    expect(JSON.parse(read("pulumi-plugin.json"))).toEqual({ resource: true, name: "mlops-platform", version: PACKAGE_VERSION });
    expect(read("Pulumi.MlopsPlatform.csproj")).toContain(`<Version>${PACKAGE_VERSION}</Version>`);
    expect(read("MlPlatform.cs")).toContain("namespace Pulumi.MlopsPlatform\n");
  });

  it.each(COMPONENTS)("has %s, a ComponentResource with its Args class and every input and output", (component) => {
    const source = read(`${component}.cs`);
    expect(source).toContain(`[MlopsPlatformResourceType("mlops-platform:index:${component}")]`);
    expect(source).toContain(`public partial class ${component} : global::Pulumi.ComponentResource`);
    expect(source).toContain(`public sealed class ${component}Args : global::Pulumi.ResourceArgs`);
    const resource = schema.resources[`mlops-platform:index:${component}`]!;
    const missing = [
      ...Object.keys(resource.inputProperties).filter((name) => !source.includes(`[Input("${name}"`)).map((name) => `input ${name}`),
      ...Object.keys(resource.properties).filter((name) => !source.includes(`[Output("${name}")]`)).map((name) => `output ${name}`),
    ];
    expect(missing).toEqual([]);
  });

  it("has every class, property, enum member and output the C# program of the README (and any in docs/delivery.md) uses", () => {
    const readme = csharpBlocks(fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8"));
    expect(readme.length).toBeGreaterThan(0);
    const programs = [...readme, ...csharpBlocks(fs.readFileSync(path.join(REPO_ROOT, "docs", "delivery.md"), "utf8"))];
    expect(programs.map((program) => checkCSharpProgram(program, sdk))).toEqual(programs.map(() => []));
  });

  it("has every enum, each with its values", () => {
    const enums = read("Enums.cs");
    const missing = Object.entries(schema.types).flatMap(([token, type]) => {
      const members = (type as { enum?: Array<{ value: string }> }).enum;
      if (!members) return [];
      const name = token.split(":")[2]!;
      if (!enums.includes(`public readonly struct ${name} : IEquatable<${name}>`)) return [name];
      return members.filter((member) => !enums.includes(`new ${name}("${member.value}")`)).map((member) => `${name} ${member.value}`);
    });
    expect(missing).toEqual([]);
  });
});
