/**
 * `npm run config-schema`: the JSON Schema of a stack file (`stacks/Pulumi.<stack>.yaml`), generated from
 * the stack config's own zod schema (zod's toJSONSchema), so editors complete and check stack files with
 * the same keys and types the program accepts. Written to `schemas/stack-config.schema.json`; a test fails
 * when the committed file is stale.
 *
 * The schema holds the file's shape (keys, types, enums, defaults); values the components judge (a GPU
 * type, a CIDR, a chart version) stay strings here and are checked by the render with the exact message.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { z } from "zod";
import { CONFIG_NAMESPACE, ENVIRONMENT_PRESETS, platformConfigSchema, SECRET_CONFIG_KEYS } from "./config.js";

/** Where the schema is committed, relative to the project root. */
export const CONFIG_SCHEMA_FILE = "schemas/stack-config.schema.json";

type JsonSchema = Record<string, unknown>;

/** A value set with `pulumi config set --secret`: Pulumi writes `{ secure: <ciphertext> }`. */
const SECURE_VALUE: JsonSchema = {
  type: "object",
  description: "A secret, as `pulumi config set --secret <key> <value>` writes it.",
  properties: { secure: { type: "string" } },
  required: ["secure"],
  additionalProperties: false,
};

/** The JSON Schema (draft 2020-12) of a stack file. */
export function stackFileJsonSchema(): JsonSchema {
  const config = z.toJSONSchema(platformConfigSchema, {
    target: "draft-2020-12",
    // The file is the input: keys with defaults may be left out.
    io: "input",
    // Values the components check are strings to the stack's schema (z.custom): say so.
    unrepresentable: "any",
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === "custom") ctx.jsonSchema["type"] = "string";
    },
  }) as JsonSchema;
  // The environment's preset fills these in: a stack file may leave them out.
  const presetKeys = Object.values(ENVIRONMENT_PRESETS).reduce<Record<string, unknown>>((all, preset) => mergeKeys(all, preset), {});
  for (const [section, preset] of Object.entries(presetKeys)) dropRequired((config["properties"] as Record<string, JsonSchema>)[section], preset);

  const sections = config["properties"] as Record<string, JsonSchema>;
  const properties: Record<string, JsonSchema> = {};
  for (const [key, schema] of Object.entries(sections)) properties[`${CONFIG_NAMESPACE}:${key}`] = schema;
  for (const [key, purpose] of Object.entries(SECRET_CONFIG_KEYS)) properties[`${CONFIG_NAMESPACE}:${key}`] = { ...SECURE_VALUE, description: `A secret: ${purpose}` };
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "mlops-platform stack file (stacks/Pulumi.<stack>.yaml)",
    description: `Generated from the stack config's zod schema by npm run config-schema; do not edit. Values are checked further by npm run render -- --stack <stack> --check.`,
    type: "object",
    properties: {
      config: {
        type: "object",
        properties,
        required: ((config["required"] as string[] | undefined) ?? []).map((key) => `${CONFIG_NAMESPACE}:${key}`),
        // Other namespaces (kubernetes:, aws:, ...) belong to other plugins.
        patternProperties: { [`^(?!${CONFIG_NAMESPACE}:)`]: {} },
        // A key of the platform's namespace the schema does not name is a secret the stack refers to by
        // name (a gateway model's apiKey, a team's receiver): it must be one.
        additionalProperties: SECURE_VALUE,
      },
      environment: { description: "Pulumi ESC environments this stack imports." },
      encryptionsalt: { type: "string" },
      secretsprovider: { type: "string" },
      encryptedkey: { type: "string" },
    },
    additionalProperties: false,
  };
}

/** Every key path of `b` added to `a` (values of `a` kept where both are objects). */
function mergeKeys(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const left = out[key];
    out[key] = isObject(left) && isObject(value) ? mergeKeys(left, value) : value;
  }
  return out;
}

/** Removes from `required` every key `preset` sets, at each level of an object schema. */
function dropRequired(schema: JsonSchema | undefined, preset: unknown): void {
  if (schema === undefined || !isObject(preset)) return;
  const required = schema["required"];
  if (Array.isArray(required)) {
    const left = required.filter((key) => !(key in preset));
    if (left.length > 0) schema["required"] = left;
    else delete schema["required"];
  }
  const properties = (schema["properties"] ?? {}) as Record<string, JsonSchema>;
  for (const [key, value] of Object.entries(preset)) dropRequired(properties[key], value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The committed file's text: the schema, two-space indented, with a final newline. */
export function stackFileJsonSchemaText(): string {
  return `${JSON.stringify(stackFileJsonSchema(), null, 2)}\n`;
}

function main(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const file = path.join(root, CONFIG_SCHEMA_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, stackFileJsonSchemaText());
  console.log(`Wrote ${CONFIG_SCHEMA_FILE}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
