/**
 * Checks a C# program's names against a generated C# SDK, as far as a reader of the docs relies on them:
 * every class it constructs (`new X`), every property it sets in an object initializer, every enum member
 * (`GpuType.NvidiaL4`) and every output it reads from a component it constructed (`platform.TeamNamespaces`)
 * exists in the SDK's source. No .NET SDK is on these machines to compile it; this catches every renamed,
 * misspelt or removed name, which is what goes stale in documentation.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Names the program may use that are not the SDK's own: the Pulumi and .NET types of a Pulumi program. */
const EXTERNAL_TYPES = new Set(["Dictionary", "List", "Deployment", "ComponentResourceOptions", "CustomResourceOptions", "InputList", "InputMap"]);

/** The `csharp` code blocks of a Markdown file. */
export function csharpBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```csharp\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

/** Every `.cs` file of the SDK, read once. */
function sdkSources(sdkDir: string): string[] {
  return fs
    .readdirSync(sdkDir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".cs"))
    .map((file) => fs.readFileSync(path.join(sdkDir, file), "utf8"));
}

/** The body of `class <name>` (or `struct <name>`) in the SDK, up to its closing brace at its indentation. */
function typeBody(sources: string[], name: string): string | undefined {
  for (const source of sources) {
    const match = new RegExp(`^( *)public (?:sealed |partial |readonly )*(?:class|struct) ${name}\\b[^\\n]*\\n`, "m").exec(source);
    if (!match) continue;
    const indent = match[1]!;
    const end = source.indexOf(`\n${indent}}`, match.index);
    return source.slice(match.index, end < 0 ? undefined : end);
  }
  return undefined;
}

const hasProperty = (body: string, property: string): boolean => new RegExp(`\\n\\s*public [^\\n(]*\\b${property}\\b(\\s*\\{|\\s*$|\\s*=>)`, "m").test(body);

/**
 * The problems of `program` against the SDK in `sdkDir`, one line each (empty when every name exists).
 * `namespaces` are the `using` directives the program must be able to resolve in the SDK.
 */
export function checkCSharpProgram(program: string, sdkDir: string): string[] {
  const sources = sdkSources(sdkDir);
  const problems: string[] = [];
  const code = program.replace(/\/\/[^\n]*/g, "").replace(/"(?:[^"\\]|\\.)*"/g, '""');

  for (const [, namespace] of code.matchAll(/^using (Pulumi\.MlopsPlatform[\w.]*);/gm)) {
    if (!sources.some((source) => source.includes(`namespace ${namespace}\n`))) problems.push(`namespace ${namespace} does not exist`);
  }

  // Object initializers: a stack of what each open brace initializes.
  const frames: Array<string | undefined> = [];
  const variables = new Map<string, string>();
  // `new X {` and `new X() {` open an initializer of X; `new X(...)` with arguments does not (its
  // arguments are scanned as they come).
  const token = /new\s+([A-Z]\w*)(\s*(?:\(\s*\))?\s*\{)?|var\s+(\w+)\s*=\s*new\s+([A-Z]\w*)|\b([A-Z]\w*)\s*=(?![=>])\s*(\{)?|\{|\}|\b([A-Z]\w*)\.([A-Z]\w*)\b|\b([a-z]\w*)\.([A-Z]\w*)\b/g;
  for (let match = token.exec(code); match; match = token.exec(code)) {
    const [text, newType, newBrace, variable, variableType, property, propertyBrace, owner, member, instance, output] = match;
    if (variable && variableType) {
      variables.set(variable, variableType);
      token.lastIndex = match.index + text.indexOf("new");
      continue;
    }
    if (newType) {
      if (!EXTERNAL_TYPES.has(newType) && !typeBody(sources, newType)) problems.push(`class ${newType} does not exist`);
      if (newBrace) frames.push(EXTERNAL_TYPES.has(newType) ? undefined : newType);
    } else if (property) {
      const current = frames[frames.length - 1];
      if (current) {
        const body = typeBody(sources, current);
        if (body && !hasProperty(body, property)) problems.push(`${current} has no property ${property}`);
      }
      // `Pools = { ... }`: a collection initializer, whose items are constructed with their own `new`.
      if (propertyBrace) frames.push(undefined);
    } else if (text === "{") frames.push(undefined);
    else if (text === "}") frames.pop();
    else if (owner && member) {
      const body = typeBody(sources, owner);
      if (body && /^ *public readonly struct/m.test(body) && !new RegExp(`public static ${owner} ${member} \\{`).test(body)) {
        problems.push(`enum ${owner} has no member ${member}`);
      }
    } else if (instance && output && variables.has(instance)) {
      const type = variables.get(instance)!;
      const body = typeBody(sources, type);
      if (body && !new RegExp(`public Output<[^\\n]*> ${output} \\{`).test(body)) problems.push(`${type} has no output ${output}`);
    }
  }
  return problems;
}
