/**
 * Validators the render kit registers on top of the generated CRD schemas (which `validateManifests` uses
 * for every kind with one): the capabilities' validators, which add the rules no CRD schema holds, and the
 * `kubernetes-models` model of GKE's ComputeClass, whose CRD is not published (GKE installs it) and so has
 * no generated schema. `buildArtifacts` uses these by default, so a program built from our components
 * validates fully.
 */
import { ComputeClass } from "@kubernetes-models/gke/cloud.google.com/v1/ComputeClass";
import { DATABASE_VALIDATORS } from "../database/validators.js";
import { NOTEBOOK_VALIDATORS } from "../notebooks/validators.js";
import { TRAINING_VALIDATORS } from "../training/validators.js";
import { modelValidator, type ManifestValidator } from "./validate.js";

/** Validators keyed `<apiVersion>/<kind>`. */
export const PLATFORM_VALIDATORS: Readonly<Record<string, ManifestValidator>> = {
  "cloud.google.com/v1/ComputeClass": modelValidator(ComputeClass),
  ...NOTEBOOK_VALIDATORS,
  ...TRAINING_VALIDATORS,
  ...DATABASE_VALIDATORS,
};
