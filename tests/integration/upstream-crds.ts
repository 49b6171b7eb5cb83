/**
 * The upstream CRDs of the operators a stack declares preinstalled, for tests that apply objects to a real
 * API server. They are not part of the repository: CI has them beside the project (`../shared/schemas/crds`),
 * and anyone can point MLOPS_PLATFORM_CRDS at a folder of CRD files, e.g. `helm show crds` of the pinned
 * charts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./simulated-cluster.js";

export const CRDS_ENV = "MLOPS_PLATFORM_CRDS";

/** The CRD folder, or undefined (with a visible notice; an error under CI) when there is none. */
export function requireUpstreamCrds(): string | undefined {
  const dir = path.resolve(process.env[CRDS_ENV] ?? path.join(REPO_ROOT, "..", "shared", "schemas", "crds"));
  if (fs.existsSync(dir) && fs.readdirSync(dir).some((file) => /\.ya?ml$/.test(file))) return dir;
  const message = `no upstream CRDs in ${dir}; set ${CRDS_ENV} to a folder of CRD files (e.g. helm show crds of the operators' charts)`;
  if (process.env["CI"]) throw new Error(`CI requires the upstream CRDs: ${message}`);
  console.warn(`\n  NOTICE: skipping tests: ${message}\n`);
  return undefined;
}
