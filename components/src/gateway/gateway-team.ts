import * as pulumi from "@pulumi/pulumi";
import { argumentProblems, ComponentArgumentError } from "../common/component.js";
import { liteLLMAdmin, LiteLLMAdminError, teamSettingsProblems, type LiteLLMAdmin, type TeamSettings } from "./litellm-admin.js";

/** A team on the AI gateway (LiteLLM): its models, budget and rate limits, and one key for its workloads. */
export interface GatewayTeamArgs {
  /** The gateway's admin URL, reachable from where Pulumi runs, e.g. `https://ai-gateway.example.com`. */
  adminUrl: pulumi.Input<string>;
  /** The gateway's master key. Kept secret in state whether or not it is passed as a secret. */
  masterKey: pulumi.Input<string>;
  /** The team's name on the gateway (`team_alias`). An existing team of that name is adopted. */
  teamAlias: pulumi.Input<string>;
  /**
   * Model names (the gateway's `model_name`s) the team may call.
   * @default [] (every model on the gateway)
   */
  models?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Spend cap in US dollars per budget period.
   * @default none (no cap)
   */
  maxBudgetUsd?: pulumi.Input<number>;
  /**
   * How often the spend resets: a count and a unit (`s`, `m`, `h`, `d`, `w`, `mo`), e.g. `30d`.
   * @default none (spend never resets)
   */
  budgetDuration?: pulumi.Input<string>;
  /**
   * Tokens per minute for the whole team.
   * @default none (no limit)
   */
  tpmLimit?: pulumi.Input<number>;
  /**
   * Requests per minute for the whole team.
   * @default none (no limit)
   */
  rpmLimit?: pulumi.Input<number>;
  /**
   * Alias of the team's key on the gateway. Aliases are unique across the gateway, and a key that
   * already has this alias is revoked when the key is issued.
   * @default `mlops-platform/<teamAlias>`
   */
  keyAlias?: pulumi.Input<string>;
}

/** What the provider receives: the args, resolved. */
export interface GatewayTeamInputs extends TeamSettings {
  adminUrl: string;
  masterKey: string;
  keyAlias?: string;
}

/** What the provider keeps in state: everything `read`, `update` and `delete` need. */
export interface GatewayTeamOutputs extends GatewayTeamInputs {
  keyAlias: string;
  teamId: string;
  /** The team's key: a secret output. */
  apiKey: string;
  /** The key's SHA-256 hash, to revoke it without sending it. */
  keyId: string;
}

/** The LiteLLM client the provider uses, given the gateway's URL and master key. */
export type AdminClientFactory = (connection: { baseUrl: string; masterKey: string }) => LiteLLMAdmin;

/** The default key alias of a team. */
export function defaultKeyAlias(teamAlias: string): string {
  return `mlops-platform/${teamAlias}`;
}

// Pulumi sends this in place of a value that is not known yet (during preview).
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function isUnknown(value: unknown): boolean {
  return value === UNKNOWN || (Array.isArray(value) && value.some((v) => v === UNKNOWN));
}

/** Problems with resolved inputs, keyed by property; values not known yet are not judged. */
export function gatewayTeamInputProblems(inputs: Partial<GatewayTeamInputs>): { property: string; reason: string }[] {
  const known = Object.fromEntries(Object.entries(inputs).filter(([, v]) => !isUnknown(v))) as Partial<GatewayTeamInputs>;
  const problems: { property: string; reason: string }[] = [];
  if ("adminUrl" in known && !(typeof known.adminUrl === "string" && /^https?:\/\/[^/]/.test(known.adminUrl))) {
    problems.push({ property: "adminUrl", reason: `adminUrl: got ${JSON.stringify(known.adminUrl)}; use the gateway's http(s) URL` });
  }
  if (!isUnknown(inputs.masterKey) && !(typeof known.masterKey === "string" && known.masterKey !== "")) {
    problems.push({ property: "masterKey", reason: "masterKey: got an empty value; pass the gateway's master key" });
  }
  if (known.keyAlias !== undefined && !(typeof known.keyAlias === "string" && /^[a-zA-Z0-9][a-zA-Z0-9_\-/.@]{0,253}[a-zA-Z0-9]$/.test(known.keyAlias))) {
    problems.push({
      property: "keyAlias",
      reason: `keyAlias: got ${JSON.stringify(known.keyAlias)}; use 2-255 characters of a-z A-Z 0-9 _ - / . @, starting and ending with a letter or digit`,
    });
  }
  const settings = isUnknown(inputs.teamAlias) ? [] : teamSettingsProblems({ ...known, teamAlias: known.teamAlias as string });
  return [...problems, ...settings.map((reason) => ({ property: reason.slice(0, reason.indexOf(":")), reason }))];
}

function settingsOf(inputs: GatewayTeamInputs): TeamSettings {
  const settings: TeamSettings = { teamAlias: inputs.teamAlias };
  if (inputs.models !== undefined) settings.models = inputs.models;
  if (inputs.maxBudgetUsd !== undefined) settings.maxBudgetUsd = inputs.maxBudgetUsd;
  if (inputs.budgetDuration !== undefined) settings.budgetDuration = inputs.budgetDuration;
  if (inputs.tpmLimit !== undefined) settings.tpmLimit = inputs.tpmLimit;
  if (inputs.rpmLimit !== undefined) settings.rpmLimit = inputs.rpmLimit;
  return settings;
}

/** Inputs as they are kept in state: the declared settings only (no `__provider`, no outputs). */
function declared(inputs: GatewayTeamInputs): GatewayTeamInputs & { keyAlias: string } {
  return {
    adminUrl: inputs.adminUrl,
    masterKey: inputs.masterKey,
    keyAlias: inputs.keyAlias ?? defaultKeyAlias(inputs.teamAlias),
    ...settingsOf(inputs),
  };
}

function sameModels(a: string[] | undefined, b: string[] | undefined): boolean {
  const norm = (m: string[] | undefined) => JSON.stringify([...(m ?? [])].sort());
  return norm(a) === norm(b);
}

/**
 * Which declared properties differ between the state and the new inputs, and which of them replace the
 * team: only `adminUrl`, since a team lives in one gateway. A new alias or key alias is an update.
 */
export function diffGatewayTeam(olds: Partial<GatewayTeamOutputs>, news: GatewayTeamInputs): { changed: string[]; replaces: string[] } {
  const next = declared(news);
  const prev: Partial<GatewayTeamOutputs> = { ...olds, keyAlias: olds.keyAlias ?? (olds.teamAlias ? defaultKeyAlias(olds.teamAlias) : undefined) };
  const changed: string[] = [];
  for (const key of ["adminUrl", "masterKey", "teamAlias", "keyAlias", "maxBudgetUsd", "budgetDuration", "tpmLimit", "rpmLimit"] as const) {
    if (prev[key] !== next[key]) changed.push(key);
  }
  if (isUnknown(news.models) || !sameModels(prev.models, next.models)) changed.push("models");
  return { changed: changed.sort(), replaces: changed.includes("adminUrl") ? ["adminUrl"] : [] };
}

/**
 * The dynamic provider of `GatewayTeam`. Pulumi serializes it, with everything it reaches, into the
 * resource's state and runs it in a separate process: it must reach only this module's helpers, the
 * import-free LiteLLM client and globals, never `@pulumi/pulumi` or another SDK (see litellm-admin.ts).
 */
export function gatewayTeamProvider(makeClient: AdminClientFactory = (connection) => liteLLMAdmin(connection)) {
  const clientFor = (state: { adminUrl: string; masterKey: string }) => makeClient({ baseUrl: state.adminUrl, masterKey: state.masterKey });

  return {
    async check(_olds: unknown, news: GatewayTeamInputs) {
      return { inputs: news, failures: gatewayTeamInputProblems(news) };
    },

    async diff(_id: string, olds: GatewayTeamOutputs, news: GatewayTeamInputs) {
      const { changed, replaces } = diffGatewayTeam(olds, news);
      return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
    },

    async create(inputs: GatewayTeamInputs) {
      const state = declared(inputs);
      const client = clientFor(state);
      const team = await client.createTeam(settingsOf(state));
      const issued = await client.generateTeamKey(team.teamId, state.keyAlias);
      const outs: GatewayTeamOutputs = { ...state, teamId: team.teamId, apiKey: issued.key, keyId: issued.keyId };
      return { id: team.teamId, outs };
    },

    async read(id: string, props: GatewayTeamOutputs) {
      const team = await clientFor(props).getTeam(id);
      if (!team) return {}; // gone: Pulumi drops it from state
      // What the gateway has now, so the next diff sees changes made outside Pulumi.
      const { maxBudgetUsd: _b, budgetDuration: _d, tpmLimit: _t, rpmLimit: _r, ...kept } = props;
      const { teamId: _id, ...actual } = team;
      const outs: GatewayTeamOutputs = { ...kept, ...actual };
      return { id, props: outs };
    },

    async update(id: string, olds: GatewayTeamOutputs, news: GatewayTeamInputs) {
      const state = declared(news);
      const client = clientFor(state);
      try {
        await client.updateTeam(id, settingsOf(state));
      } catch (err) {
        if (err instanceof LiteLLMAdminError && err.status === 404) {
          throw new Error(`GatewayTeam: team ${id} (${state.teamAlias}) no longer exists on the gateway; run \`pulumi refresh\` to forget it, then \`pulumi up\` creates it again`);
        }
        throw err;
      }
      let apiKey = olds.apiKey;
      let keyId = olds.keyId;
      if (!apiKey || olds.keyAlias !== state.keyAlias) {
        const issued = await client.generateTeamKey(id, state.keyAlias);
        if (keyId) await client.deleteKey(keyId);
        apiKey = issued.key;
        keyId = issued.keyId;
      }
      const outs: GatewayTeamOutputs = { ...state, teamId: id, apiKey, keyId };
      return { outs };
    },

    async delete(id: string, props: GatewayTeamOutputs) {
      // LiteLLM deletes a team's keys with the team.
      await clientFor(props).deleteTeam(id);
    },
  };
}

const defaultProvider = gatewayTeamProvider();

/** Outputs that hold credentials: encrypted in state, masked in logs. */
export const GATEWAY_TEAM_SECRET_OUTPUTS = ["apiKey", "masterKey"];

const COMPONENT = "GatewayTeam";

/**
 * A team on the AI gateway (LiteLLM), managed through its admin API: created (or adopted by alias) with
 * its models, budget and rate limits, updated in place, deleted with its keys. It also issues the team
 * one key, `apiKey`, a secret output; `gatewayKeySecret` puts it in the team's namespace.
 *
 * A Pulumi dynamic resource (`pulumi-nodejs:dynamic:GatewayTeam`): the gateway's admin URL must be
 * reachable from where `pulumi up` runs, and its database must be configured (teams and keys live there).
 */
export class GatewayTeam extends pulumi.dynamic.Resource {
  /** The team's id on the gateway. */
  declare public readonly teamId: pulumi.Output<string>;
  /** The team's key (`sk-...`), a secret. */
  declare public readonly apiKey: pulumi.Output<string>;
  /** The key's alias on the gateway. */
  declare public readonly keyAlias: pulumi.Output<string>;

  constructor(name: string, args: GatewayTeamArgs, opts?: pulumi.CustomResourceOptions) {
    validateGatewayTeamArgs(name, args);
    const props: Record<string, pulumi.Input<unknown>> = {
      adminUrl: args.adminUrl,
      masterKey: pulumi.secret(args.masterKey),
      teamAlias: args.teamAlias,
      models: args.models,
      maxBudgetUsd: args.maxBudgetUsd,
      budgetDuration: args.budgetDuration,
      tpmLimit: args.tpmLimit,
      rpmLimit: args.rpmLimit,
      keyAlias: args.keyAlias ?? pulumi.output(args.teamAlias).apply(defaultKeyAlias),
      // Outputs the provider fills in; listed so the resource exposes them.
      teamId: undefined,
      apiKey: undefined,
      keyId: undefined,
    };
    const additionalSecretOutputs = [...new Set([...(opts?.additionalSecretOutputs ?? []), ...GATEWAY_TEAM_SECRET_OUTPUTS])];
    super(defaultProvider, name, props, { ...opts, additionalSecretOutputs }, undefined, COMPONENT);
  }
}

/** Checks the args that are plain values now; the provider's `check` sees the rest once resolved. */
export function validateGatewayTeamArgs(name: string, args: GatewayTeamArgs): void {
  const problems = argumentProblems(COMPONENT, name);
  problems.forward(gatewayTeamArgumentErrors(name, args), (property) => property);
  problems.throwIfAny();
}

/** Every problem of GatewayTeam args whose values are plain now, as the errors the constructor throws. */
function gatewayTeamArgumentErrors(name: string, args: GatewayTeamArgs): ComponentArgumentError[] {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (value !== undefined && !pulumi.Output.isInstance(value) && !(value instanceof Promise)) plain[key] = value;
  }
  if (Array.isArray(plain["models"]) && plain["models"].some((m) => pulumi.Output.isInstance(m))) delete plain["models"];
  // A value that is not plain is left to the provider: mark it unknown so it is not judged here.
  const inputs = { ...Object.fromEntries(Object.keys(args).map((k) => [k, UNKNOWN])), ...plain } as Partial<GatewayTeamInputs>;
  return gatewayTeamInputProblems(inputs).map(
    (problem) =>
      new ComponentArgumentError(
        COMPONENT,
        name,
        problem.property,
        (args as unknown as Record<string, unknown>)[problem.property],
        problem.reason.slice(problem.reason.indexOf("; ") + 2),
      ),
  );
}

/** GatewayTeam's rules for a team's settings (models, budget, limits), as the errors its constructor throws. */
export function teamSettingsErrors(name: string, settings: TeamSettings): ComponentArgumentError[] {
  return teamSettingsProblems(settings).map((reason) => {
    const property = reason.slice(0, reason.indexOf(":"));
    return new ComponentArgumentError(COMPONENT, name, property, (settings as unknown as Record<string, unknown>)[property], reason.slice(reason.indexOf("; ") + 2));
  });
}
