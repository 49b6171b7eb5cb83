/**
 * What a capability contributes to the stack configuration: one top-level section of the
 * `mlops-platform:` namespace, its defaults per environment, and the checks that need other sections.
 * `infra/config.ts` assembles the registry; each capability's file also maps its section to component args.
 */
import type { z } from "zod";
import type { PlatformConfig } from "../config.js";

export const ENVIRONMENTS = ["local", "dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Reports a problem at a key path of the whole config (`["gateway", "models", 0, "name"]`). */
export type ReportIssue = (path: readonly PropertyKey[], message: string) => void;

export interface Capability<Key extends string = string, Section extends z.ZodType = z.ZodType> {
  /** The top-level stack key, e.g. `gateway` for `mlops-platform:gateway`. */
  readonly key: Key;
  /** Schema of the section; defaults of single fields live here. */
  readonly section: Section;
  /** The section's defaults per environment, applied before the stack file's values (which override them). */
  readonly presets?: Readonly<Record<Environment, Record<string, unknown>>>;
  /** Checks that need other sections (or the environment); run once every section is valid. */
  readonly check?: (config: PlatformConfig, report: ReportIssue) => void;
}
