/** The check of a documented C# program against a generated SDK (csharp-names.ts), on an SDK made here. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { checkCSharpProgram, csharpBlocks } from "./csharp-names.js";

/** The shape of what `pulumi package gen-sdk --language dotnet` writes, cut down to one component. */
function sdk(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-cs-names-"));
  fs.mkdirSync(path.join(dir, "Inputs"));
  fs.writeFileSync(
    path.join(dir, "Team.cs"),
    `namespace Pulumi.MlopsPlatform
{
    public partial class Team : global::Pulumi.ComponentResource
    {
        [Output("namespace")]
        public Output<string> Namespace { get; private set; } = null!;
    }

    public sealed class TeamArgs : global::Pulumi.ResourceArgs
    {
        [Input("name", required: true)]
        public string Name { get; set; } = null!;

        [Input("owners", required: true)]
        private List<string>? _owners;
        public List<string> Owners
        {
            get => _owners ?? (_owners = new List<string>());
            set => _owners = value;
        }

        [Input("quota", required: true)]
        public Inputs.TeamQuotaArgsArgs Quota { get; set; } = null!;
    }
}
`,
  );
  fs.writeFileSync(
    path.join(dir, "Inputs", "TeamQuotaArgsArgs.cs"),
    `namespace Pulumi.MlopsPlatform.Inputs
{
    public sealed class TeamQuotaArgsArgs : global::Pulumi.ResourceArgs
    {
        [Input("cpu", required: true)]
        public double Cpu { get; set; }
    }
}
`,
  );
  fs.writeFileSync(
    path.join(dir, "Enums.cs"),
    `namespace Pulumi.MlopsPlatform
{
    public readonly struct GpuType : IEquatable<GpuType>
    {
        public static GpuType NvidiaL4 { get; } = new GpuType("nvidia-l4");
    }
}
`,
  );
  return dir;
}

const GOOD = `using Pulumi;
using Pulumi.MlopsPlatform;
using Pulumi.MlopsPlatform.Inputs;

return await Deployment.RunAsync(() =>
{
    var team = new Team("t", new TeamArgs
    {
        Name = "vision", // "Owners = { }" in a comment or a string is not code
        Owners = { "leads" },
        Quota = new TeamQuotaArgsArgs { Cpu = 8 },
    });
    var gpu = GpuType.NvidiaL4;
    return new Dictionary<string, object?> { ["ns"] = team.Namespace };
});
`;

describe("checking a documented C# program against the generated SDK", () => {
  it("accepts a program whose every name the SDK has", () => {
    expect(checkCSharpProgram(GOOD, sdk())).toEqual([]);
  });

  it.each([
    ["a misspelt property", ['Owners = { "leads" }', 'Owner = { "leads" }'], "TeamArgs has no property Owner"],
    ["a property of a nested initializer", ["Cpu = 8", "Cpus = 8"], "TeamQuotaArgsArgs has no property Cpus"],
    ["a class the SDK names otherwise", ["new TeamQuotaArgsArgs", "new TeamQuotaArgs"], "class TeamQuotaArgs does not exist"],
    ["an enum member", ["GpuType.NvidiaL4", "GpuType.NvidiaL5"], "enum GpuType has no member NvidiaL5"],
    ["an output", ["team.Namespace", "team.Namespaces"], "Team has no output Namespaces"],
    ["a namespace", ["using Pulumi.MlopsPlatform.Inputs;", "using Pulumi.MlopsPlatform.Input;"], "namespace Pulumi.MlopsPlatform.Input does not exist"],
  ] as const)("reports %s", (_what, [from, to], problem) => {
    expect(checkCSharpProgram(GOOD.replace(from, to), sdk())).toEqual([problem]);
  });

  it("reads every csharp block of a Markdown file", () => {
    expect(csharpBlocks("text\n```csharp\nvar a = 1;\n```\n```sh\nls\n```\n```csharp\nvar b = 2;\n```\n")).toEqual(["var a = 1;\n", "var b = 2;\n"]);
  });
});
