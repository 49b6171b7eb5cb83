/**
 * The stack files' JSON Schema (schemas/stack-config.schema.json): generated from the config's zod schema,
 * committed, and checked here with a real JSON Schema validator (Ajv, draft 2020-12) against every shipped
 * stack and against broken ones.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CONFIG_SCHEMA_FILE, stackFileJsonSchemaText } from "../../infra/config-schema.js";
import { ROOT, STACKS } from "./config-helpers.js";

const committed = fs.readFileSync(path.join(ROOT, CONFIG_SCHEMA_FILE), "utf8");
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(committed));

/** Ajv's errors for a stack file's YAML, as `<instancePath> <message>`. */
function errorsOf(yaml: string): string[] {
  return validate(parse(yaml)) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ""}`.trim());
}

const stack = (...lines: string[]): string => ["config:", "  mlops-platform:environment: dev", "  mlops-platform:cluster: { provider: aws }", ...lines, ""].join("\n");

describe("the stack files' JSON Schema", () => {
  it(`is what npm run config-schema generates from the config schema (run it when this fails)`, () => {
    expect(committed).toBe(stackFileJsonSchemaText());
  });

  it("is mapped to the stack files for VS Code, and README says how to use it in other editors", () => {
    const settings = JSON.parse(fs.readFileSync(path.join(ROOT, ".vscode/settings.json"), "utf8")) as { "yaml.schemas": Record<string, string[]> };
    expect(settings["yaml.schemas"][`./${CONFIG_SCHEMA_FILE}`]).toEqual(["stacks/Pulumi.*.yaml"]);
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(readme).toContain(`# yaml-language-server: $schema=../${CONFIG_SCHEMA_FILE}`);
    expect(readme).toContain(`"yaml.schemas": { "./${CONFIG_SCHEMA_FILE}": ["stacks/Pulumi.*.yaml"] }`);
  });

  it.each(STACKS)("accepts the shipped stacks/Pulumi.%s.yaml", (name) => {
    expect(errorsOf(fs.readFileSync(path.join(ROOT, "stacks", `Pulumi.${name}.yaml`), "utf8"))).toEqual([]);
  });

  it("accepts a minimal stack, secrets as Pulumi writes them, and other plugins' namespaces", () => {
    expect(errorsOf(stack("  mlops-platform:gatewayMasterKey: { secure: v1:abc }", "  mlops-platform:openaiApiKey: { secure: v1:def }", "  kubernetes:context: kind-mlops"))).toEqual([]);
  });

  it.each([
    ["a misspelt section", stack("  mlops-platform:clustr: { provider: aws }"), "/config/mlops-platform:clustr must have required property 'secure'"],
    ["a misspelt key in a section", stack("  mlops-platform:notebooks: { culing: { enabled: true, idleMinutes: 30 } }"), "/config/mlops-platform:notebooks must NOT have additional properties"],
    ["an unknown environment", stack().replace("environment: dev", "environment: qa"), "/config/mlops-platform:environment must be equal to one of the allowed values"],
    ["an unknown provider", stack().replace("provider: aws", "provider: openstack"), "/config/mlops-platform:cluster/provider must be equal to one of the allowed values"],
    ["a string where a number belongs", stack("  mlops-platform:teams: [{ name: a, owners: [o], quota: { cpu: four, memoryGiB: 8, storageGiB: 10 } }]"), "/config/mlops-platform:teams/0/quota/cpu must be number"],
    ["a team without a quota", stack("  mlops-platform:teams: [{ name: a, owners: [o] }]"), "/config/mlops-platform:teams/0 must have required property 'quota'"],
    ["a secret key in plain text", stack("  mlops-platform:gatewayMasterKey: sk-1234"), "/config/mlops-platform:gatewayMasterKey must be object"],
    ["a mapping where a list belongs", stack("  mlops-platform:gpu: { pools: { name: l4 } }"), "/config/mlops-platform:gpu/pools must be array"],
    ["an unknown top-level key", `${stack()}confg: {}\n`, "must NOT have additional properties"],
    ["no environment", "config:\n  mlops-platform:cluster: { provider: aws }\n", "/config must have required property 'mlops-platform:environment'"],
  ])("refuses %s", (_name, yaml, expected) => {
    expect(errorsOf(yaml)).toContain(expected);
  });
});
