/**
 * What the table of component rules shares: a stack that turns every capability on (so every component
 * and every rule has something to judge), a way to break one value in it, and the shape of a row.
 */
import { FILE } from "../config-helpers.js";

/** The stack every row starts from: GPU pools for notebooks and training, Kueue, notebook access, a gateway with its database, backups and team keys. */
export interface Stack {
  environment: string;
  cluster: Record<string, unknown>;
  availability?: Record<string, unknown>;
  gpu: { aws?: Record<string, unknown>; azure?: Record<string, unknown>; operator?: Record<string, unknown>; pools: Array<Record<string, unknown>> };
  training: { trainerVersion?: string; kueue: Record<string, unknown> };
  notebooks: Record<string, unknown> & { access: Record<string, unknown> & { oidc: Record<string, unknown> } };
  gateway: Record<string, unknown> & {
    models: Array<Record<string, unknown>>;
    database: Record<string, unknown> & { backup: Record<string, unknown> };
  };
  teams: Array<Record<string, unknown> & { quota: Record<string, unknown>; gateway?: Record<string, unknown> }>;
  [secret: string]: unknown;
}

/** The secret config keys of the base stack (set as secrets). */
export const SECRETS = ["notebookOidcClientSecret", "openaiApiKey", "catalogOidcClientSecret"];

export function baseStack(): Stack {
  return {
    environment: "dev",
    cluster: { provider: "aws", ingressClass: "nginx" },
    gpu: {
      aws: { nodeRole: "karpenter-node", discoveryTag: "mlops-dev", amiAlias: "al2023@v20251108" },
      pools: [{ name: "l4", gpu: "nvidia-l4", maxGpus: 8, workloads: ["notebooks", "training"] }],
    },
    training: { kueue: { enabled: true } },
    notebooks: {
      access: { enabled: true, host: "notebooks.dev.example.com", oidc: { issuerUrl: "https://login.example.com", clientId: "notebooks" } },
    },
    gateway: {
      models: [{ name: "chat", provider: "openai", model: "gpt-4.1-mini", apiKey: "openaiApiKey" }],
      adminUrl: "http://ai-gateway.example.com",
      database: { backup: { destinationPath: "s3://backups/gateway", credentialsSecretName: "store-credentials" } },
    },
    teams: [
      {
        name: "vision",
        owners: ["vision-leads"],
        quota: { cpu: 16, memoryGiB: 64, gpus: 4, storageGiB: 500 },
        gateway: { models: ["chat"], monthlyBudgetUsd: 100 },
      },
    ],
    notebookOidcClientSecret: "client-secret",
    openaiApiKey: "sk-provider",
  };
}

/** A rule a component checks, shown with a stack file that breaks it, or said unreachable and why. */
export type RuleCase = {
  /** The source file of the rule, under components/src/. */
  file: string;
  /** Text of the rule's `problems.add(` (or `problems.push(`) call that names it: found in exactly one call of `file`. */
  site: string;
  /** The rule, for the test's name. */
  rule: string;
} & (
  | {
      /** Breaks one value of the base stack. */
      stack: (stack: Stack) => void;
      /** Every problem parsePlatformConfig reports, exactly. */
      expected: string[];
    }
  | {
      /** Why no stack file can break this rule (infra never sets the arg, or another rule speaks first). */
      unreachable: string;
    }
);

/** `<file>: mlops-platform:<key>: <message>`, as parsePlatformConfig reports a problem. */
export const at = (key: string, message: string): string => `${FILE}: mlops-platform:${key}: ${message}`;

/** The first pool of the stack. */
export const pool = (stack: Stack): Record<string, unknown> => stack.gpu.pools[0]!;

/** The first team of the stack. */
export const team = (stack: Stack): Stack["teams"][number] => stack.teams[0]!;

/** Reasons shared by several rows. */
export const NEVER_SET = (what: string): string => `infra never sets ${what}`;
export const CONSTANT = (what: string): string => `MlPlatform sets ${what} itself, to a constant that passes`;
export const TEAM_FIRST = (key: string, rule: string): string => `the value comes from ${key}, where Team reports ${rule} first (one report per key)`;
export const POOL_FIRST = (key: string): string => `the value comes from gpu.pools[].${key}, where GpuNodePool reports it first (one report per key)`;
