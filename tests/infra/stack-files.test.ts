/** Stack files that are not valid YAML, or not the stack file Pulumi expects: one line per problem, no stack trace. */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { misspeltNamespaces, readStackConfig, StackFileError } from "../../infra/stack-files.js";
import { projectWithStack, render, tempDir } from "./render-helpers.js";

const NAME = "stacks/Pulumi.dev.yaml";

/** The problems reading `text` as a stack file reports; fails the test if it is accepted. */
function problemsOf(text: string): string[] {
  const file = path.join(tempDir("mlp-stack-file-"), "Pulumi.dev.yaml");
  fs.writeFileSync(file, text);
  try {
    readStackConfig(file, "mlops-platform", NAME);
  } catch (err) {
    expect(err).toBeInstanceOf(StackFileError);
    return (err as StackFileError).problems;
  }
  throw new Error("expected the stack file to be rejected");
}

describe("a stack file Pulumi could not read", () => {
  it.each([
    ["a tab as indentation", "config:\n\tmlops-platform:environment: dev\n", `${NAME}:2:1: Tabs are not allowed as indentation`],
    ["an unclosed brace", "config:\n  mlops-platform:cluster: { provider: aws\n", `${NAME}:3:1: Flow map in block collection must be sufficiently indented and end with a }`],
    ["an unclosed bracket", "config:\n  mlops-platform:teams: [\n", `${NAME}:3:1: Flow sequence in block collection must be sufficiently indented and end with a ]`],
    [
      "a key given twice",
      "config:\n  mlops-platform:environment: dev\n  mlops-platform:environment: prod\n",
      `${NAME}:3:3: Map keys must be unique`,
    ],
  ])("names the file, line and column of %s", (_name, text, expected) => {
    expect(problemsOf(text)).toEqual([expected]);
  });

  it.each([
    ["a misspelt config:", "confg:\n  mlops-platform:environment: dev\n", `${NAME}: unknown top-level key "confg"; did you mean "config"? allowed keys: config, environment, encryptionsalt, secretsprovider, encryptedkey`],
    ["config as a list", "config:\n  - mlops-platform:environment: dev\n", `${NAME}: config: expected a mapping of config keys to values`],
    ["a file that is a list", "- config\n", `${NAME}: expected a mapping with a "config:" key, got a list`],
  ])("says what it found and what it expected for %s", (_name, text, expected) => {
    expect(problemsOf(text)).toEqual([expected]);
  });

  it.each([
    ["no dash", "mlopsplatform"],
    ["an underscore", "mlops_platform"],
    ["a typo", "mlops-platfrom"],
    ["capitals", "MLOps-Platform"],
  ])("names a config namespace with %s and the key it was meant to be", (_name, namespace) => {
    expect(problemsOf(`config:\n  ${namespace}:environment: dev\n`)).toEqual([
      `${NAME}: config key "${namespace}:environment" has namespace "${namespace}"; did you mean "mlops-platform:environment"?`,
    ]);
  });

  it("leaves other programs' namespaces alone (provider settings such as kubernetes:context)", () => {
    expect(misspeltNamespaces(["kubernetes:context", "aws:region", "mlops-platform:environment", "pulumi:tags"], "mlops-platform", NAME)).toEqual([]);
  });

  it("reports it from the render as one line, without a stack trace, and writes nothing", () => {
    const project = projectWithStack("dev", "config:\n\tmlops-platform:environment: dev\n");
    const out = path.join(project, "out");
    const run = render(["--stack", "dev", "--out", out], project);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`stacks/Pulumi.dev.yaml:2:1: Tabs are not allowed as indentation`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(out)).toBe(false);
  });
});
