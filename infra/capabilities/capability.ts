/**
 * What a capability contributes to the stack configuration: one top-level section of the
 * `mlops-platform:` namespace, its defaults per environment, and the checks that need other sections.
 * `infra/config.ts` assembles the registry; each capability's file also maps its section to component args.
 */
import type * as pulumi from "@pulumi/pulumi";
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
  /**
   * Where MlPlatform's args differ from this section's keys, so a problem the components find is reported
   * at the stack key that set it. Unlisted paths are the same.
   */
  readonly argPaths?: readonly ArgPathRule[];
  /**
   * Top-level keys of this capability that hold secrets, with what each is and how to set it. They must be
   * set with `pulumi config set --secret`; the program reads them with `getSecret`, so their values never
   * enter the plain config.
   */
  readonly secrets?: Readonly<Record<string, string>>;
  /**
   * CRDs the cluster must already have for this stack, each with the stack key that makes it needed: the
   * program's preflight looks for them before anything is applied.
   */
  readonly clusterRequirements?: (config: PlatformConfig) => ClusterRequirement[];
}

/**
 * `[args path pattern, stack key path]`: the stack path is the pattern's replacement (`$1` refers to its
 * groups), or, when a value's key depends on the stack (a default another key provides), a function of
 * the stack's values (presets applied) and the pattern's groups.
 */
export type ArgPathRule = readonly [RegExp, string | ((stack: unknown, ...groups: string[]) => string)];

/** The value at a key path of the stack's values; undefined when the stack does not set it. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/** CRDs the cluster must have because of one stack key. */
export interface ClusterRequirement {
  /** The stack key that makes them needed, e.g. `["gpu", "pools"]`. */
  key: readonly PropertyKey[];
  /** What needs them, for the message: `"kueue" is declared preinstalled`. */
  because: string;
  /** What to do when they are missing. */
  fix: string;
  /** CRD names, e.g. `nodepools.karpenter.sh`. */
  crds: readonly string[];
}

/** Secret config values the program read with `getSecret`, by config key (provider keys included). */
export type PlatformSecrets = Readonly<Record<string, pulumi.Input<string>>>;
