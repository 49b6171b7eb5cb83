import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import type { CaptureResult, CapturedResource } from "./capture.js";
import { resourceLabel, toManifests, toReleases, type Manifest, type ReleaseRecord, type RenderProblem } from "./manifests.js";
import { canonical } from "./canonical.js";
import { PLATFORM_VALIDATORS } from "./platform-validators.js";
import { assertNoSecretIn, maskSecretsIn } from "./secrets.js";
import { validateManifests, type ValidateOptions } from "./validate.js";

/** Prefix of the platform's own component types; the nearest such ancestor is a resource's "component". */
const OWN_COMPONENT_PREFIX = "mlops-platform:index:";

/** One resource in `plan.json`. */
export interface PlanResource {
  type: string;
  name: string;
  /** `<type>::<name>` of the parent; empty for the stack. */
  parent: string;
  /** `<ClassName>::<name>` of the nearest platform component above it; empty outside any. */
  component: string;
  inputs: Record<string, unknown>;
  protect: boolean;
  retainOnDelete: boolean;
  /** `<type>::<name>` of every resource it depends on, sorted. */
  dependsOn: string[];
}

/**
 * `plan.json`: everything a stack would register, secrets masked, in a stable order, followed by the
 * sections the caller adds (the render adds `violations`).
 */
export interface Plan {
  stack: string;
  resources: PlanResource[];
  [section: string]: unknown;
}

/** Options of `buildArtifacts`. */
export interface BuildOptions extends ValidateOptions {
  /**
   * Sections appended to `plan.json` after `resources`, in the given order (e.g. `{ violations }`).
   * @default {}
   */
  planSections?: Record<string, unknown>;
}

/** What an offline render produces before it is written. */
export interface RenderArtifacts {
  plan: Plan;
  manifests: Manifest[];
  releases: ReleaseRecord[];
  /** Manifest and schema problems; a render with any is a failed render. */
  problems: RenderProblem[];
  /** Every file to write, keyed by path relative to the output folder, contents final. */
  files: Map<string, string>;
}

/** Builds the plan, manifests, releases and files of a capture, and validates every manifest. */
export async function buildArtifacts(capture: CaptureResult, options: BuildOptions = {}): Promise<RenderArtifacts> {
  const plan: Plan = { ...buildPlan(capture), ...options.planSections };
  const { manifests, problems } = toManifests(capture.resources);
  // Validators see the unmasked objects and may quote a bad value: never a secret one.
  const schemaProblems = await validateManifests(manifests, { validators: { ...PLATFORM_VALIDATORS, ...options.validators } });
  problems.push(...schemaProblems.map((problem) => ({ ...problem, message: maskSecretsIn(problem.message, capture.secretStrings) })));
  const releases = toReleases(capture.resources);

  const files = new Map<string, string>();
  for (const manifest of manifests) {
    files.set(`manifests/${manifest.path}`, toYaml(orderManifest(manifest.object)));
  }
  files.set("releases.yaml", toYaml({ releases }));
  files.set("plan.json", `${JSON.stringify(plan, null, 2)}\n`);
  for (const [file, text] of files) assertNoSecretIn(text, capture.secretStrings, file);
  return { plan, manifests, releases, problems, files };
}

/** The `plan.json` of a capture. */
export function buildPlan(capture: CaptureResult): Plan {
  const byUrn = new Map(capture.resources.map((r) => [r.urn, r]));
  const label = (urn: string): string => {
    const resource = byUrn.get(urn);
    return resource ? resourceLabel(resource) : urn;
  };
  const componentOf = (resource: CapturedResource): string => {
    for (let parent = byUrn.get(resource.parent); parent; parent = byUrn.get(parent.parent)) {
      if (parent.type.startsWith(OWN_COMPONENT_PREFIX)) {
        return `${parent.type.slice(OWN_COMPONENT_PREFIX.length)}::${parent.name}`;
      }
    }
    return "";
  };
  const resources = capture.resources.map((resource) => ({
    type: resource.type,
    name: resource.name,
    parent: resource.parent ? label(resource.parent) : "",
    component: componentOf(resource),
    inputs: canonical(resource.inputs),
    protect: resource.protect,
    retainOnDelete: resource.retainOnDelete,
    dependsOn: resource.dependsOn.map(label).sort(),
  }));
  resources.sort((a, b) => compare(`${a.type}::${a.name}`, `${b.type}::${b.name}`));
  return { stack: capture.stack, resources };
}

/** The file that marks a folder as a render's output, so a later render may replace it. */
export const RENDER_MARKER = ".mlops-render.json";

/** What a render's marker records. */
export interface RenderMarker {
  stack: string;
  /** @default not recorded */
  project?: string;
}

/** The marker of a previous render in `outDir`, or undefined when there is none (or no such folder). */
export function readRenderMarker(outDir: string): RenderMarker | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(outDir, RENDER_MARKER), "utf8")) as RenderMarker;
  } catch {
    return undefined;
  }
}

/** Refusal to write into a folder that holds something other than a previous render. */
export class RenderOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RenderOutputError";
  }
}

/**
 * Writes artifacts to `outDir`, replacing a previous render there as a whole (a stale manifest of a removed
 * resource would otherwise look like part of the plan), and never anything else: a folder that exists, is
 * not empty and has no render marker is refused. The new render is written beside it first and swapped in,
 * so a failure part-way leaves the previous render as it was.
 */
export function writeArtifacts(outDir: string, artifacts: RenderArtifacts, marker: RenderMarker = { stack: artifacts.plan.stack }): void {
  const target = path.resolve(outDir);
  if (fs.existsSync(target)) {
    if (!fs.statSync(target).isDirectory()) throw new RenderOutputError(`${target} is a file, not a folder: choose another --out`);
    if (fs.readdirSync(target).length > 0 && readRenderMarker(target) === undefined) {
      throw new RenderOutputError(
        `${target} is not empty and holds no previous render (no ${RENDER_MARKER}): nothing was written; choose a new or empty folder for --out, or empty this one yourself`,
      );
    }
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(path.join(path.dirname(target), `.${path.basename(target)}.rendering-`));
  const previous = `${staging}.previous`;
  try {
    for (const [file, text] of artifacts.files) {
      const destination = path.join(staging, file);
      fs.mkdirSync(path.dirname(destination), { recursive: true });
      fs.writeFileSync(destination, text);
    }
    fs.writeFileSync(path.join(staging, RENDER_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    if (fs.existsSync(target)) fs.renameSync(target, previous);
    fs.renameSync(staging, target);
  } catch (err) {
    if (!fs.existsSync(target) && fs.existsSync(previous)) fs.renameSync(previous, target);
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  fs.rmSync(previous, { recursive: true, force: true });
}

/** Resources per platform component, for summaries: `{ "ClusterBase::mlops-cluster": 5, ... }`. */
export function countByComponent(plan: Plan): Map<string, number> {
  const counts = new Map<string, number>();
  for (const resource of plan.resources) {
    // Components are containers, not things that get created; the stack and providers have no component.
    if (resource.type.startsWith(OWN_COMPONENT_PREFIX) || resource.component === "") continue;
    counts.set(resource.component, (counts.get(resource.component) ?? 0) + 1);
  }
  return new Map([...counts].sort(([a], [b]) => compare(a, b)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** apiVersion, kind and metadata first (as kubectl prints them), the rest sorted. */
function orderManifest(object: Record<string, unknown>): Record<string, unknown> {
  const sorted = canonical(object);
  const { apiVersion, kind, metadata, ...rest } = sorted;
  return { apiVersion, kind, ...(metadata === undefined ? {} : { metadata }), ...rest };
}

function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}
