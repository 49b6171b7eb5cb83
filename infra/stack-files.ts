/**
 * Reading Pulumi project and stack files without the Pulumi CLI, for the offline render.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { rawPlatformConfig, referencedProviderKeys } from "./config.js";

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
export function readStackConfig(file: string, projectName: string): OfflineConfig {
  const doc = (parse(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
  const raw = (doc["config"] ?? {}) as Record<string, unknown>;
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
  /** Provider keys the stack file references but does not hold: placeholders stand in for them. */
  missingSecrets: string[];
}

/**
 * Reads `Pulumi.<stack>.yaml` of a project and fills placeholders for the secrets it references but does
 * not hold. The render, the benchmark and the tests all load stacks through here, so they agree.
 */
export function loadOfflineStack(project: ProjectFile, stack: string): OfflineStack {
  const offline = readStackConfig(path.join(project.root, project.stackConfigDir, `Pulumi.${stack}.yaml`), project.name);
  const missingSecrets = fillMissingSecrets(offline, project.name, referencedProviderKeys(rawPlatformConfig(offline.config)));
  return { ...offline, missingSecrets };
}
