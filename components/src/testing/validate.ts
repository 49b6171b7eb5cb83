import { crdValidator } from "./crd-validation.js";
import type { Manifest, RenderProblem } from "./manifests.js";

/** Checks one object; returns what is wrong with it (empty when valid). */
export type ManifestValidator = (object: Record<string, unknown>) => string[] | Promise<string[]>;

/** A validator that answers synchronously (every schema validator does). */
export type SyncManifestValidator = (object: Record<string, unknown>) => string[];

/** A `kubernetes-models` model class (core kinds and the `@kubernetes-models/*` CRD packages). */
export interface ModelClass {
  // `never`: each model types its own data; a validator hands over whatever object it was given.
  new (data: never): { validate(): void };
}

/**
 * A validator from a `kubernetes-models` class, e.g. `modelValidator(ComputeClass)` from
 * `@kubernetes-models/gke/cloud.google.com/v1/ComputeClass` for a kind with no published CRD. The models
 * check types, required fields, enums and formats; they do not reject unknown fields.
 */
export function modelValidator(model: ModelClass): ManifestValidator {
  return (object) => {
    try {
      new model(object as never).validate();
      return [];
    } catch (err) {
      return [formatModelError(err)];
    }
  };
}

/**
 * Problems of a value that embeds a core type (a pod template's PodSpec in a custom resource) against its
 * `kubernetes-models` class, each prefixed with `path`. The core models carry the enums (toleration
 * operators, restart policies, ...) that CRDs generated from the same Go types leave out.
 */
export function coreModelProblems(model: ModelClass, value: unknown, path: string): string[] {
  try {
    new model(value as never).validate();
    return [];
  } catch (err) {
    return [`${path}: ${formatModelError(err)}`];
  }
}

function formatModelError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // kubernetes-models reports paths as `data/spec/x`; the object path reads better as `spec.x`.
  return message.replace(/\bdata\//g, "").replace(/(\w)\/(?=\w)/g, "$1.");
}

/** Options of `validateManifests`. */
export interface ValidateOptions {
  /**
   * Validators keyed `<apiVersion>/<kind>` (e.g. `monitoring.coreos.com/v1/ServiceMonitor`). A registered
   * validator replaces the generated CRD schema or the core model of its kind.
   * @default {}
   */
  validators?: Record<string, ManifestValidator>;
}

const coreModels = new Map<string, Promise<ModelClass | undefined>>();

/** The `kubernetes-models` class for a core apiVersion and kind, or undefined when there is none. */
async function coreModel(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const key = `${apiVersion}/${kind}`;
  let model = coreModels.get(key);
  if (model === undefined) {
    // The apiVersion picks the module at run time; bundlers must leave this import alone.
    model = import(/* @vite-ignore */ `kubernetes-models/${apiVersion}`).then(
      (module: Record<string, unknown>) => module[kind] as ModelClass | undefined,
      () => undefined,
    );
    coreModels.set(key, model);
  }
  return model;
}

/**
 * Validates every manifest: against a registered validator for its kind, else the schema generated from
 * its upstream CRD (`crd-schemas/`), else the `kubernetes-models` core schema of its apiVersion. A kind
 * with none of these is a problem too: nothing unchecked passes silently.
 */
export async function validateManifests(manifests: readonly Manifest[], options: ValidateOptions = {}): Promise<RenderProblem[]> {
  const problems: RenderProblem[] = [];
  for (const manifest of manifests) {
    if (manifest.patch) continue;
    const key = `${manifest.apiVersion}/${manifest.kind}`;
    let validator = options.validators?.[key] ?? crdValidator(manifest.apiVersion, manifest.kind);
    if (validator === undefined) {
      const model = await coreModel(manifest.apiVersion, manifest.kind);
      if (model !== undefined) validator = modelValidator(model);
    }
    if (validator === undefined) {
      problems.push({
        resource: manifest.resource,
        stage: "schema",
        message: `no schema for ${key}: register a validator for it (ValidateOptions.validators)`,
      });
      continue;
    }
    for (const message of await validator(manifest.unmasked)) {
      problems.push({ resource: manifest.resource, stage: "schema", message: `${manifest.kind} "${manifest.name}": ${message}` });
    }
  }
  return problems;
}
