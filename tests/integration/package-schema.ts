/**
 * The components as a Pulumi package, through the real CLI: the schema `pulumi package get-schema` derives
 * from their source (through the plugin's executable, `components/pulumi-resource-mlops-platform`, since
 * the project's CLI has no Node.js language host), and what changed between two schemas, one line each.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type { Engine } from "../../infra/engine.js";
import { REPO_ROOT } from "./simulated-cluster.js";

/** The plugin's executable: it starts the component provider host of the built package. */
export const PLUGIN = path.join(REPO_ROOT, "components", "pulumi-resource-mlops-platform");
/** The schema other languages get, as committed. */
export const SCHEMA_FILE = path.join(REPO_ROOT, "components", "schema.json");
/** The package's version (components/package.json), which the schema and every generated SDK carry. */
export const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "components", "package.json"), "utf8")) as { version: string }).version;
/** What regenerates SCHEMA_FILE after a deliberate change. */
export const SCHEMA_UPDATE_COMMAND = "npm run schema -w components";

/** The components other languages use; GatewayTeam is a dynamic resource of the Node.js program, not one of them. */
export const COMPONENTS = [
  "AiGateway",
  "CatalogDatabase",
  "CloudNativePgOperator",
  "ClusterBase",
  "DataCatalog",
  "GatewayTeamReconciler",
  "GpuNodePool",
  "GpuOperator",
  "MlPlatform",
  "ModelMonitor",
  "MonitoringStack",
  "NotebookAccess",
  "NotebookPlatform",
  "PostgresCluster",
  "Team",
  "TrainingPlatform",
];

/** A package schema, as far as these checks read it. */
export interface PackageSchema {
  name: string;
  version: string;
  resources: Record<string, { inputProperties: Record<string, { description?: string }>; properties: Record<string, { description?: string }>; description?: string }>;
  types: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Runs the real `pulumi` with arguments in a folder of its own (its own PULUMI_HOME, no update check, no
 * plugin download, no registry: nothing leaves the machine), with `path` first on PATH. Returns stdout;
 * throws with stderr.
 */
export async function runPulumi(engine: Engine, args: string[], options: { timeoutMs?: number; path?: string[] } = {}): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-package-"));
  try {
    const { stdout } = await promisify(execFile)(path.join(engine.cliDir, "pulumi"), args, {
      cwd: dir,
      maxBuffer: 64 * 1024 * 1024,
      timeout: options.timeoutMs ?? 120_000,
      env: {
        ...process.env,
        // The plugin's executable runs `node`: the one running the tests. Language hosts come from PATH.
        PATH: [...(options.path ?? []), path.dirname(process.execPath), process.env["PATH"] ?? ""].join(path.delimiter),
        PULUMI_HOME: path.join(dir, "pulumi-home"),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_DISABLE_REGISTRY_RESOLVE: "true",
      },
    });
    return stdout;
  } catch (err) {
    const { stderr, message } = err as { stderr?: string; message: string };
    throw new Error(`pulumi ${args.join(" ")} failed: ${stderr?.trim() || message}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The schema the real CLI gets from the plugin (the package must be built: `npx tsc -b`). */
export async function servedSchema(engine: Engine): Promise<PackageSchema> {
  return JSON.parse(await runPulumi(engine, ["package", "get-schema", PLUGIN])) as PackageSchema;
}

/** The committed schema. */
export function committedSchema(): PackageSchema {
  return JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as PackageSchema;
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};
const key = (name: string): string => (/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Every difference from `before` to `after`, one line each, at its JSON path: `removed`, `added`, or the
 * old and new value (`resources["mlops-platform:index:Team"].inputProperties.quota: removed`,
 * `...cpu.type: "number" -> "string"`). Lists of names (`required`, `requiredInputs`) say which names
 * came and went, enum members which values; other lists are compared item by item. Empty when the schemas
 * are equal.
 */
export function schemaChanges(before: unknown, after: unknown, at = ""): string[] {
  if (isObject(before) && isObject(after)) {
    const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return names.flatMap((name) => {
      const where = at === "" ? key(name).replace(/^\./, "") : `${at}${key(name)}`;
      if (!(name in after)) return [`${where}: removed (was ${show(before[name])})`];
      if (!(name in before)) return [`${where}: added (${show(after[name])})`];
      return schemaChanges(before[name], after[name], where);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const strings = (list: unknown[]): list is string[] => list.every((item) => typeof item === "string");
    if (strings(before) && strings(after)) {
      const gone = before.filter((item) => !after.includes(item));
      const come = after.filter((item) => !before.includes(item));
      const changes = [...gone.map((item) => `${at}: ${show(item)} removed`), ...come.map((item) => `${at}: ${show(item)} added`)];
      if (changes.length === 0 && JSON.stringify(before) !== JSON.stringify(after)) changes.push(`${at}: order ${show(before)} -> ${show(after)}`);
      return changes;
    }
    // Enum members, by value.
    const members = (list: unknown[]): list is Array<{ value: unknown }> => list.every((item) => isObject(item) && "value" in item);
    if (members(before) && members(after)) {
      const byValue = (list: Array<{ value: unknown }>) => new Map(list.map((member) => [JSON.stringify(member.value), member]));
      const [was, now] = [byValue(before), byValue(after)];
      return [
        ...[...was.keys()].filter((value) => !now.has(value)).map((value) => `${at}: value ${value} removed`),
        ...[...now.keys()].filter((value) => !was.has(value)).map((value) => `${at}: value ${value} added`),
        ...[...was.keys()].filter((value) => now.has(value)).flatMap((value) => schemaChanges(was.get(value), now.get(value), `${at}[value ${value}]`)),
      ];
    }
    if (before.length === after.length) return before.flatMap((item, i) => schemaChanges(item, after[i], `${at}[${i}]`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [`${at}: ${show(before)} -> ${show(after)}`];
}
