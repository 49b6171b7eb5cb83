/**
 * Reading Pulumi project and stack files without the Pulumi CLI, for the offline render.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isPair, isScalar, isSeq, LineCounter, parse, parseDocument, visit, type Document } from "yaml";
import { closest, isUsableNumber, rawPlatformConfig, referencedSecretKeys, USABLE_NUMBER, yamlNumber } from "./config.js";

export interface ProjectFile {
  root: string;
  name: string;
  stackConfigDir: string;
}

/** Finds the Pulumi project (the folder holding Pulumi.yaml) at or above `from`. */
export function findProject(from: string): ProjectFile {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const file = path.join(dir, "Pulumi.yaml");
    if (fs.existsSync(file)) {
      const doc = (parse(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
      if (typeof doc["name"] !== "string") throw new Error(`${file}: "name" is missing`);
      const stackConfigDir = typeof doc["stackConfigDir"] === "string" ? doc["stackConfigDir"] : ".";
      return { root: dir, name: doc["name"], stackConfigDir };
    }
    if (path.dirname(dir) === dir) throw new Error(`no Pulumi.yaml found at or above ${from}`);
  }
}

/** Stack names that have a `Pulumi.<stack>.yaml` in the project's stack folder. */
export function listStacks(project: ProjectFile): string[] {
  const dir = path.join(project.root, project.stackConfigDir);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

/** A stack file Pulumi could not use: every problem, one line each, naming the file (and line and column). */
export class StackFileError extends Error {
  constructor(public readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "StackFileError";
  }
}

/** Top-level keys of a Pulumi stack file. */
const STACK_FILE_KEYS = ["config", "environment", "encryptionsalt", "secretsprovider", "encryptedkey"];

/**
 * A stack file's YAML, or a StackFileError naming the file, line and column of each syntax problem (tabs,
 * unclosed brackets, duplicate keys) and any top-level key Pulumi does not know.
 */
export function readStackFile(file: string, displayName = file): Record<string, unknown> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(fs.readFileSync(file, "utf8"), { lineCounter });
  if (doc.errors.length > 0) {
    throw new StackFileError(
      doc.errors.map((error) => {
        const at = error.linePos?.[0];
        const problem = error.message.split(/ at line \d+, column \d+/)[0]!.trim();
        return `${displayName}${at ? `:${at.line}:${at.col}` : ""}: ${problem}`;
      }),
    );
  }
  // JSON, the form Pulumi passes config in, has no .inf or .nan: they would arrive as null.
  const numbers = unusableScalars(doc, lineCounter, displayName);
  if (numbers.length > 0) throw new StackFileError(numbers);
  const content: unknown = doc.toJS() ?? {};
  if (typeof content !== "object" || content === null || Array.isArray(content)) {
    throw new StackFileError([`${displayName}: expected a mapping with a "config:" key, got ${Array.isArray(content) ? "a list" : JSON.stringify(content)}`]);
  }
  const problems = Object.keys(content)
    .filter((key) => !STACK_FILE_KEYS.includes(key))
    .map((key) => {
      const hint = closest(key, STACK_FILE_KEYS);
      return `${displayName}: unknown top-level key "${key}"; ${hint ? `did you mean "${hint}"? ` : ""}allowed keys: ${STACK_FILE_KEYS.join(", ")}`;
    });
  if (problems.length > 0) throw new StackFileError(problems);
  return content as Record<string, unknown>;
}

/** `<file>:<line>:<col>: <key>: ...` for every number of the file that no stack value may be (.inf, .nan, 1e400). */
function unusableScalars(doc: Document, lineCounter: LineCounter, displayName: string): string[] {
  const problems: string[] = [];
  visit(doc, {
    Scalar(_key, node, ancestors) {
      if (typeof node.value !== "number" || isUsableNumber(node.value) || node.range === undefined || node.range === null) return;
      // Only non-finite ones here: a finite number out of range is reported with the stack's other values.
      if (Number.isFinite(node.value)) return;
      const at = lineCounter.linePos(node.range[0]);
      problems.push(`${displayName}:${at.line}:${at.col}: ${keyOf(ancestors, node)}: ${USABLE_NUMBER}, got ${node.source || yamlNumber(node.value)}`);
    },
  });
  return problems;
}

/** The config key path of a node (`mlops-platform:teams[0].quota.cpu`), from its ancestors below `config:`. */
function keyOf(ancestors: readonly unknown[], node: unknown): string {
  const chain = [...ancestors, node];
  const parts: (string | number)[] = [];
  chain.forEach((current, index) => {
    const parent = chain[index - 1];
    if (isSeq(parent)) parts.push(parent.items.indexOf(current as never));
    else if (isPair(current) && isScalar(current.key)) parts.push(String(current.key.value));
  });
  if (parts[0] === "config") parts.shift();
  return parts.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("") || "(top level)";
}

/**
 * Config keys whose namespace is a near miss of the project's (`mlopsplatform:teams`, `mlops_platform:gpu`):
 * Pulumi would silently pass them to nobody, and the platform would report its own keys as missing.
 */
export function misspeltNamespaces(keys: Iterable<string>, projectName: string, where: string): string[] {
  const problems: string[] = [];
  for (const key of keys) {
    const namespace = key.includes(":") ? key.slice(0, key.indexOf(":")) : undefined;
    if (namespace === undefined || namespace === projectName) continue;
    const squashed = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, "");
    if (squashed(namespace) === squashed(projectName) || closest(namespace, [projectName]) !== undefined) {
      problems.push(`${where}: config key "${key}" has namespace "${namespace}"; did you mean "${projectName}:${key.slice(namespace.length + 1)}"?`);
    }
  }
  return problems;
}

/** Config in the form Pulumi's runtime takes it, plus what had to be substituted offline. */
export interface OfflineConfig {
  /** `<namespace>:<key>` to value; structured values as JSON text. */
  config: Record<string, string>;
  /** Keys holding encrypted (`secure:`) values. */
  secretKeys: string[];
  /** Keys whose encrypted values were replaced by placeholders (they cannot be decrypted offline). */
  placeholders: string[];
}

/**
 * Reads a stack file's `config:` the way Pulumi does: bare keys belong to the project's namespace,
 * mappings and lists become JSON text, and a `secure:` value (which only the Pulumi CLI can decrypt) becomes
 * a placeholder marked secret, anywhere it appears.
 */
export function readStackConfig(file: string, projectName: string, displayName = file): OfflineConfig {
  const doc = readStackFile(file, displayName);
  const config = doc["config"] ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new StackFileError([`${displayName}: config: expected a mapping of config keys to values`]);
  }
  const raw = config as Record<string, unknown>;
  const misspelt = misspeltNamespaces(Object.keys(raw), projectName, displayName);
  if (misspelt.length > 0) throw new StackFileError(misspelt);
  const out: OfflineConfig = { config: {}, secretKeys: [], placeholders: [] };
  for (const [key, value] of Object.entries(raw)) {
    const fullKey = key.includes(":") ? key : `${projectName}:${key}`;
    let secret = false;
    const substitute = (v: unknown, at: string): unknown => {
      if (isSecure(v)) {
        secret = true;
        return `offline-placeholder:${at}`;
      }
      if (Array.isArray(v)) return v.map((item, i) => substitute(item, `${at}[${i}]`));
      if (v && typeof v === "object") {
        return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, substitute(item, `${at}.${k}`)]));
      }
      return v;
    };
    const resolved = substitute(value, fullKey);
    out.config[fullKey] = typeof resolved === "object" && resolved !== null ? JSON.stringify(resolved) : String(resolved);
    if (secret) {
      out.secretKeys.push(fullKey);
      out.placeholders.push(fullKey);
    }
  }
  return out;
}

function isSecure(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as Record<string, unknown>)["secure"] === "string"
  );
}

/**
 * Stands in secret placeholders for keys a stack file references but does not hold (provider keys live
 * in each operator's own encrypted config), so the stack renders offline. Returns the keys it filled.
 */
export function fillMissingSecrets(offline: OfflineConfig, projectName: string, referenced: Iterable<string>): string[] {
  const filled: string[] = [];
  for (const key of referenced) {
    const fullKey = `${projectName}:${key}`;
    if (fullKey in offline.config) continue;
    offline.config[fullKey] = `offline-placeholder:${key}`;
    offline.secretKeys.push(fullKey);
    filled.push(key);
  }
  return filled;
}

/** A stack's config the way the offline render runs the program with it. */
export interface OfflineStack extends OfflineConfig {
  /** Secret keys the stack file references (provider keys, team receivers) but does not hold: placeholders stand in for them. */
  missingSecrets: string[];
}

/**
 * Reads `Pulumi.<stack>.yaml` of a project and fills placeholders for the secrets it references but does
 * not hold. The render, the benchmark and the tests all load stacks through here, so they agree.
 */
export function loadOfflineStack(project: ProjectFile, stack: string): OfflineStack {
  const relative = path.join(project.stackConfigDir, `Pulumi.${stack}.yaml`);
  const offline = readStackConfig(path.join(project.root, relative), project.name, relative);
  const missingSecrets = fillMissingSecrets(offline, project.name, referencedSecretKeys(rawPlatformConfig(offline.config)).keys());
  return { ...offline, missingSecrets };
}
