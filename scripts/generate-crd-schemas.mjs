#!/usr/bin/env node
// Generates the JSON schemas the render kit validates custom resources with, from upstream CRD files.
//
// Usage: node scripts/generate-crd-schemas.mjs [crd-dir] [--out <dir>]
//   crd-dir  upstream CustomResourceDefinition YAML files and their SOURCES.md
//            (default: ../shared/schemas/crds, relative to the project root; online, the output of
//            `helm show crds <chart> --version <pinned>` saved there, with its SOURCES.md row, works too)
//   --out    where to write (default: components/src/testing/crd-schemas)
//
// For every served version of every CRD it writes that version's openAPIV3Schema as a JSON Schema
// that Ajv validates the way the API server treats a structural schema:
//   - an object schema rejects fields it does not declare (additionalProperties: false), unless it has
//     x-kubernetes-preserve-unknown-fields: true or declares additionalProperties itself;
//   - x-kubernetes-int-or-string becomes type [integer, string] (controller-gen's anyOf of the two is
//     dropped as redundant);
//   - x-kubernetes-list-type: set becomes uniqueItems; x-kubernetes-list-map-keys is kept (the render
//     kit checks that no two items share the keys);
//   - a field with a default is not required (the server defaults it before it validates);
//   - boolean exclusiveMinimum/exclusiveMaximum (OpenAPI v3.0) become JSON Schema's numeric form;
//   - the top-level metadata schema is kept without additionalProperties (ObjectMeta is the server's
//     own: the render kit adds it);
//   - with the status subresource, status accepts anything: the server drops it from creates and updates.
// Removed because they validate nothing offline: description, default, example, x-kubernetes-map-type,
// and x-kubernetes-validations (CEL rules; counted in index.json). Patterns stay Go RE2 source.
//
// Input files may hold one CRD each (the upstream repositories' files) or several (`helm show crds`); each
// needs its row in the directory's SOURCES.md. Writes one <group>_<plural>.json per CRD, index.json (every kind, its
// versions, source and licence) and the generated table in README.md. Output depends only on the
// input files: re-running it on the same directory changes nothing.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DEFAULT_CRD_DIR = resolve(ROOT, "../shared/schemas/crds");
const DEFAULT_OUT_DIR = resolve(ROOT, "components/src/testing/crd-schemas");

/**
 * Licence of each upstream repository (SPDX), from its LICENSE file. A CRD from a repository not listed
 * here stops the generator: a new source needs its licence checked before its schema is committed.
 */
const LICENCES = {
  "Azure/karpenter-provider-azure": "Apache-2.0",
  "aws/karpenter-provider-aws": "Apache-2.0",
  "cloudnative-pg/cloudnative-pg": "Apache-2.0",
  "cloudnative-pg/plugin-barman-cloud": "Apache-2.0",
  "envoyproxy/ai-gateway": "Apache-2.0",
  "kubeflow/dashboard": "Apache-2.0",
  "kubeflow/notebooks": "Apache-2.0",
  "kubeflow/trainer": "Apache-2.0",
  "kubernetes-sigs/gateway-api": "Apache-2.0",
  "kubernetes-sigs/karpenter": "Apache-2.0",
  "kubernetes-sigs/kueue": "Apache-2.0",
  "prometheus-operator/prometheus-operator": "Apache-2.0",
};

// JSON Schema keywords that mean the same to Ajv as to the API server, copied as they are.
const COPIED = new Set([
  "type", "format", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum", "multipleOf",
  "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
]);
// Keywords that validate nothing offline.
const DROPPED = new Set(["description", "default", "example", "x-kubernetes-map-type", "title", "externalDocs"]);
const INT_OR_STRING_ANY_OF = JSON.stringify([{ type: "integer" }, { type: "string" }]);

class GeneratorError extends Error {}

function fail(message) {
  throw new GeneratorError(message);
}

/** A structural schema node (the object itself, a property, items or additionalProperties) as JSON Schema. */
function structural(node, at, stats, { topLevelMetadata = false } = {}) {
  const out = {};
  const preserveUnknown = node["x-kubernetes-preserve-unknown-fields"] === true;
  const defaulted = new Set(
    Object.entries(node.properties ?? {})
      .filter(([, property]) => property.default !== undefined)
      .map(([name]) => name),
  );
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key)) continue;
    if (COPIED.has(key)) {
      out[key] = value;
      continue;
    }
    switch (key) {
      case "x-kubernetes-validations":
        stats.celRules += value.length;
        break;
      case "x-kubernetes-preserve-unknown-fields":
        break;
      case "x-kubernetes-int-or-string":
        if (value === true) out.type = ["integer", "string"];
        break;
      case "x-kubernetes-list-type":
        if (value === "set") out.uniqueItems = true;
        else if (value !== "atomic" && value !== "map") fail(`${at}: unknown x-kubernetes-list-type ${value}`);
        break;
      case "x-kubernetes-list-map-keys":
        out[key] = value;
        break;
      case "x-kubernetes-embedded-resource":
        // None of the current CRDs embeds a resource; translating one needs ObjectMeta checks inside it.
        fail(`${at}: x-kubernetes-embedded-resource is not supported yet`);
        break;
      case "nullable":
        if (value === true) fail(`${at}: nullable is not supported yet`);
        break;
      case "required": {
        const required = value.filter((name) => !defaulted.has(name));
        if (required.length > 0) out.required = required;
        break;
      }
      case "exclusiveMinimum":
      case "exclusiveMaximum": {
        const bound = key === "exclusiveMinimum" ? "minimum" : "maximum";
        if (value === true) out[key] = node[bound];
        break;
      }
      case "properties":
        out.properties = Object.fromEntries(
          Object.entries(value).map(([name, property]) => [
            name,
            structural(property, `${at}.${name}`, stats, { topLevelMetadata: at === "" && name === "metadata" }),
          ]),
        );
        break;
      case "items":
        out.items = structural(value, `${at}[]`, stats);
        break;
      case "additionalProperties":
        out.additionalProperties = typeof value === "boolean" ? value : structural(value, `${at}{}`, stats);
        break;
      case "anyOf":
        if (node["x-kubernetes-int-or-string"] === true && JSON.stringify(value) === INT_OR_STRING_ANY_OF) break;
        out.anyOf = value.map((branch, i) => junctor(branch, `${at}.anyOf[${i}]`, stats));
        break;
      case "allOf":
      case "oneOf":
        out[key] = value.map((branch, i) => junctor(branch, `${at}.${key}[${i}]`, stats));
        break;
      case "not":
        out.not = junctor(value, `${at}.not`, stats);
        break;
      default:
        fail(`${at || "(root)"}: keyword ${key} is not supported`);
    }
  }
  // An exclusive bound replaces its inclusive keyword.
  if (out.exclusiveMinimum !== undefined) delete out.minimum;
  if (out.exclusiveMaximum !== undefined) delete out.maximum;
  if (out.type === "object" && !preserveUnknown && out.additionalProperties === undefined && !topLevelMetadata) {
    out.additionalProperties = false;
  }
  return out;
}

/**
 * A branch of allOf/anyOf/oneOf/not: value validations only (a structural schema declares no types or
 * fields there), so nothing is added, only what validates nothing is removed.
 */
function junctor(node, at, stats) {
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key)) continue;
    if (COPIED.has(key) || key === "required") out[key] = value;
    else if (key === "properties") out.properties = Object.fromEntries(Object.entries(value).map(([name, p]) => [name, junctor(p, `${at}.${name}`, stats)]));
    else if (key === "items" || key === "not") out[key] = junctor(value, `${at}.${key}`, stats);
    else if (key === "allOf" || key === "anyOf" || key === "oneOf") out[key] = value.map((branch, i) => junctor(branch, `${at}.${key}[${i}]`, stats));
    else if (key === "x-kubernetes-validations") stats.celRules += value.length;
    else fail(`${at}: keyword ${key} is not supported in a value validation`);
  }
  return out;
}

/** Rows of SOURCES.md's table, by file name: repository, path, ref and commit, blob. */
function readSources(crdDir) {
  const file = join(crdDir, "SOURCES.md");
  if (!existsSync(file)) fail(`${file} is missing: every CRD needs its source recorded`);
  const sources = new Map();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    const name = /^`([^`]+\.yaml)`$/.exec(cells[1] ?? "")?.[1];
    if (name === undefined) continue;
    // `<tag>` (`<commit>`), or only `<tag>` (a chart version, for `helm show crds` output).
    const ref = /^`([^`]+)`(?: \(`([0-9a-f]{40})`\))?$/.exec(cells[4] ?? "");
    if (ref === null) fail(`SOURCES.md: cannot read the ref of ${name}: ${cells[4]}`);
    sources.set(name, {
      repository: cells[2],
      path: cells[3].replace(/`/g, ""),
      ref: ref[1],
      commit: ref[2] ?? "",
      url: `https://github.com/${cells[2]}/blob/${ref[1]}/${cells[3].replace(/`/g, "")}`,
      blob: cells[5].replace(/`/g, ""),
    });
  }
  return sources;
}

/** `git hash-object` of a file's bytes: SOURCES.md records its first 12 digits. */
function gitBlobHash(bytes) {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

function generate(crdDir) {
  const sources = readSources(crdDir);
  const files = readdirSync(crdDir)
    .filter((name) => name.endsWith(".yaml") || name.endsWith(".yml"))
    .sort();
  if (files.length === 0) fail(`no CRD files in ${crdDir}`);
  const outputs = new Map();
  const index = [];
  for (const name of files) {
    const bytes = readFileSync(join(crdDir, name));
    const source = sources.get(name) ?? fail(`${name} has no row in SOURCES.md (repository, path, ref and blob of where it comes from)`);
    const licence = LICENCES[source.repository] ?? fail(`${name}: no licence recorded for ${source.repository} (add it to LICENCES after checking)`);
    const blob = gitBlobHash(bytes);
    if (!blob.startsWith(source.blob)) fail(`${name}: git blob ${blob.slice(0, 12)} differs from SOURCES.md (${source.blob})`);
    // YAML 1.1, as the API server's decoder reads it. A file may hold several CRDs (`helm show crds`).
    const documents = parseAllDocuments(bytes.toString("utf8"), { version: "1.1" }).map((document) => document.toJS());
    for (const crd of documents.filter((document) => document !== null)) {
      if (crd.kind !== "CustomResourceDefinition") fail(`${name} holds a ${crd.kind}, not only CustomResourceDefinitions`);
      const { group, names, scope } = crd.spec;
      const stats = { celRules: 0 };
      const versions = {};
      const versionIndex = {};
      for (const version of crd.spec.versions) {
        if (!version.served) continue;
        let schema = version.schema?.openAPIV3Schema ?? fail(`${name} ${version.name} has no openAPIV3Schema`);
        // With the status subresource, the server drops the status stanza of a create or update before it
        // validates: any status is accepted (and none is kept).
        if (version.subresources?.status !== undefined && schema.properties?.status !== undefined) {
          schema = { ...schema, properties: { ...schema.properties, status: {} } };
        }
        versions[version.name] = structural(schema, "", stats);
        versionIndex[version.name] = { storage: version.storage === true, deprecated: version.deprecated === true };
      }
      const file = `${group}_${names.plural}.json`;
      if (outputs.has(file)) fail(`${name}: a second CRD for ${names.plural}.${group}`);
      outputs.set(file, compactJson({ group, kind: names.kind, versions }));
      index.push({
        kind: names.kind,
        group,
        scope,
        versions: versionIndex,
        file,
        celRules: stats.celRules,
        source: { repository: source.repository, path: source.path, ref: source.ref, commit: source.commit, url: source.url, blob, file: name },
        licence,
      });
    }
  }
  index.sort((a, b) => (a.group === b.group ? compare(a.kind, b.kind) : compare(a.group, b.group)));
  outputs.set("index.json", `${JSON.stringify({ generatedBy: "scripts/generate-crd-schemas.mjs", crds: index }, null, 2)}\n`);
  return { outputs, index };
}

/**
 * JSON with one key or item per line and no indentation: a tenth bigger than one line, but an upstream
 * change shows as the lines it changes. (A JSON string never holds a raw newline, so the only line
 * breaks are the ones added here.)
 */
function compactJson(value) {
  return `${JSON.stringify(value, null, 1).replace(/^ +/gm, "")}\n`;
}

function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

const TABLE_START = "<!-- generated by scripts/generate-crd-schemas.mjs: sources -->";
const TABLE_END = "<!-- end of generated sources -->";

/** The README's sources table, rewritten between its markers; the rest of the README is kept. */
function readmeWithTable(readme, index) {
  const rows = index.map((crd) => {
    const versions = Object.entries(crd.versions)
      .map(([version, { storage, deprecated }]) => `${version}${storage ? "*" : ""}${deprecated ? " (deprecated)" : ""}`)
      .join(", ");
    return `| ${crd.kind} | \`${crd.group}\` | ${versions} | [${crd.source.repository}](${crd.source.url}) \`${crd.source.ref}\` | ${crd.licence} | ${crd.celRules} | \`${crd.file}\` |`;
  });
  const table = [
    TABLE_START,
    "| Kind | Group | Served versions (`*` storage) | Source | Licence | CEL rules not checked | Schema |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    TABLE_END,
  ].join("\n");
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) fail(`README.md needs the markers ${TABLE_START} and ${TABLE_END}`);
  return readme.slice(0, start) + table + readme.slice(end + TABLE_END.length);
}

function main(argv) {
  let crdDir = DEFAULT_CRD_DIR;
  let outDir = DEFAULT_OUT_DIR;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out") outDir = resolve(argv[++i] ?? fail("--out needs a directory"));
    else if (argv[i].startsWith("-")) fail(`unknown option ${argv[i]}`);
    else crdDir = resolve(argv[i]);
  }
  if (!existsSync(crdDir)) fail(`${crdDir} does not exist (pass the CRD directory as the first argument)`);
  const { outputs, index } = generate(crdDir);

  mkdirSync(outDir, { recursive: true });
  // A CRD removed from the input must not leave its schema behind.
  for (const stale of readdirSync(outDir).filter((name) => name.endsWith(".json") && !outputs.has(name))) rmSync(join(outDir, stale));
  for (const [file, text] of outputs) writeFileSync(join(outDir, file), text);
  const readmePath = join(outDir, "README.md");
  const readme = existsSync(readmePath) ? readFileSync(readmePath, "utf8") : readFileSync(join(DEFAULT_OUT_DIR, "README.md"), "utf8");
  writeFileSync(readmePath, readmeWithTable(readme, index));
  const versions = index.reduce((sum, crd) => sum + Object.keys(crd.versions).length, 0);
  console.log(`${index.length} CRDs, ${versions} served versions from ${relative(process.cwd(), crdDir) || "."} -> ${relative(process.cwd(), outDir) || "."}`);
}

try {
  main(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof GeneratorError)) throw err;
  console.error(`generate-crd-schemas: ${err.message}`);
  process.exit(1);
}
