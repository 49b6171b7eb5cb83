/**
 * A small client for the LiteLLM proxy's admin API: teams and their virtual keys.
 *
 * This module has no runtime imports on purpose. `GatewayTeam`'s dynamic provider calls it, and Pulumi
 * serializes that provider's functions together with everything they reach (closure serialization):
 * module-level imports would be serialized too, and Node built-ins or SDKs cannot be. Only globals are
 * used (`fetch`, `AbortSignal`, `crypto.subtle`, `setTimeout`), which the serializer leaves as references.
 * That is also why it is one file of nearly 500 lines: split, its halves would import each other.
 *
 * Field names follow LiteLLM 1.106.0's request models (`litellm/models/team.py` TeamBase,
 * `litellm/proxy/_types.py` NewTeamRequest, UpdateTeamRequest, DeleteTeamRequest, GenerateKeyRequest,
 * KeyRequest) and the docs' `/team/new` examples (docs.litellm.ai/docs/proxy/team_budgets).
 */

/** A team's access and limits on the gateway. */
export interface TeamSettings {
  /** The team's name on the gateway (`team_alias`); teams are found again by it. */
  teamAlias: string;
  /**
   * Model names (the gateway's `model_name`s) the team may call.
   * @default [] (every model on the gateway)
   */
  models?: string[];
  /**
   * Spend cap in US dollars per budget period (`max_budget`).
   * @default none (no cap)
   */
  maxBudgetUsd?: number;
  /**
   * How often the spend resets (`budget_duration`): a count and a unit, `s`, `m`, `h`, `d`, `w` or `mo`,
   * e.g. `30d`.
   * @default none (spend never resets)
   */
  budgetDuration?: string;
  /**
   * Tokens per minute for the whole team (`tpm_limit`).
   * @default none (no limit)
   */
  tpmLimit?: number;
  /**
   * Requests per minute for the whole team (`rpm_limit`).
   * @default none (no limit)
   */
  rpmLimit?: number;
}

/** A team as the gateway reports it. */
export interface GatewayTeamInfo {
  teamId: string;
  teamAlias: string;
  models: string[];
  maxBudgetUsd?: number;
  budgetDuration?: string;
  tpmLimit?: number;
  rpmLimit?: number;
}

/** A freshly issued team key. `key` is the only moment its value can be read: the gateway stores a hash. */
export interface IssuedKey {
  /** The key itself (`sk-...`): a secret. */
  key: string;
  /** The key's SHA-256 hash, which identifies it in later calls without revealing it. */
  keyId: string;
  keyAlias: string;
}

/** A `fetch` the client can use: the global one, or a fake in tests. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponseLike>;
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}
export interface FetchResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export interface LiteLLMAdminOptions {
  /** The proxy's base URL, e.g. `http://litellm.ai-gateway.svc.cluster.local:4000`. */
  baseUrl: string;
  /** The proxy's master key (`general_settings.master_key`). Never appears in errors. */
  masterKey: string;
  /**
   * The HTTP client.
   * @default globalThis.fetch
   */
  fetch?: FetchLike;
  /**
   * Attempts per operation when the gateway answers 429/5xx or cannot be reached.
   * @default 5
   */
  maxAttempts?: number;
  /**
   * Wait before the first retry; it doubles on each retry up to `maxBackoffMs`.
   * @default 500
   */
  initialBackoffMs?: number;
  /**
   * Longest wait between two attempts (also caps a `Retry-After` the gateway sends).
   * @default 8000
   */
  maxBackoffMs?: number;
  /**
   * Time one operation may take in total, retries included: no retry starts that would end past it.
   * @default 60000
   */
  deadlineMs?: number;
  /**
   * Time one HTTP request may take before it is aborted (and retried).
   * @default 20000
   */
  requestTimeoutMs?: number;
  /**
   * Waits between attempts; tests pass one that returns at once.
   * @default setTimeout
   */
  sleep?: (ms: number) => Promise<void>;
  /**
   * The clock for the deadline, in milliseconds.
   * @default Date.now
   */
  now?: () => number;
}

/** The admin operations `GatewayTeam` needs. Every method retries transient failures by itself. */
export interface LiteLLMAdmin {
  /**
   * Creates the team, or adopts the one that already has this alias (updating it to `settings`), so a
   * run that was interrupted after the gateway created the team does not create a second one.
   */
  createTeam(settings: TeamSettings): Promise<GatewayTeamInfo & { adopted: boolean }>;
  /** Sets every setting of the team: a setting left out is cleared (no budget, no limit, all models). */
  updateTeam(teamId: string, settings: TeamSettings): Promise<GatewayTeamInfo>;
  /** Deletes the team and, on the gateway's side, its keys. A team that is already gone is fine. */
  deleteTeam(teamId: string): Promise<{ deleted: boolean }>;
  /** The team, or `undefined` when the gateway has no team with this id. */
  getTeam(teamId: string): Promise<GatewayTeamInfo | undefined>;
  /** The one team with this alias, or `undefined`; fails when several teams share it. */
  findTeamByAlias(teamAlias: string): Promise<GatewayTeamInfo | undefined>;
  /**
   * Issues a key for the team under `keyAlias`. An earlier key with that alias is revoked first: its
   * value cannot be read back, so a key left by an interrupted run is of no use to anyone.
   */
  generateTeamKey(teamId: string, keyAlias: string): Promise<IssuedKey>;
  /** Revokes a key by its hash (`IssuedKey.keyId`). A key that is already gone is fine. */
  deleteKey(keyId: string): Promise<{ deleted: boolean }>;
}

/** An admin call that failed for good: which call, the HTTP status and the gateway's own message. */
export class LiteLLMAdminError extends Error {
  override readonly name = "LiteLLMAdminError";
  constructor(
    /** The client operation, e.g. `createTeam`. */
    readonly operation: string,
    /** The request, e.g. `POST /team/new`. */
    readonly request: string,
    /** The last HTTP status, or `undefined` when the gateway could not be reached. */
    readonly status: number | undefined,
    /** What the gateway (or the network) said, with keys removed. */
    readonly detail: string,
    readonly attempts: number,
  ) {
    const what = status === undefined ? "could not reach the gateway" : `HTTP ${status}`;
    const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
    super(`LiteLLM admin ${operation} failed${tries}: ${request}: ${what}: ${detail}`);
  }
}

/** Problems with team settings, one sentence each (empty when they are fine). */
export function teamSettingsProblems(settings: TeamSettings): string[] {
  const problems: string[] = [];
  if (typeof settings.teamAlias !== "string" || settings.teamAlias.trim() === "") {
    problems.push(`teamAlias: got ${JSON.stringify(settings.teamAlias)}; give the team a non-empty name`);
  }
  if (settings.models !== undefined && (!Array.isArray(settings.models) || settings.models.some((m) => typeof m !== "string" || m === ""))) {
    problems.push(`models: got ${JSON.stringify(settings.models)}; list the gateway's model names, or leave it out for every model`);
  }
  if (settings.maxBudgetUsd !== undefined && !(typeof settings.maxBudgetUsd === "number" && Number.isFinite(settings.maxBudgetUsd) && settings.maxBudgetUsd >= 0)) {
    problems.push(`maxBudgetUsd: got ${JSON.stringify(settings.maxBudgetUsd)}; use a dollar amount of 0 or more`);
  }
  if (settings.budgetDuration !== undefined && !(typeof settings.budgetDuration === "string" && /^[1-9][0-9]*(s|m|h|d|w|mo)$/.test(settings.budgetDuration))) {
    problems.push(`budgetDuration: got ${JSON.stringify(settings.budgetDuration)}; use a count and a unit (s, m, h, d, w, mo), e.g. "30d"`);
  }
  for (const field of ["tpmLimit", "rpmLimit"] as const) {
    const value = settings[field];
    if (value !== undefined && !(typeof value === "number" && Number.isInteger(value) && value > 0)) {
      problems.push(`${field}: got ${JSON.stringify(value)}; use a whole number above 0, or leave it out for no limit`);
    }
  }
  return problems;
}

/**
 * The LiteLLM body for a team's settings. For `/team/update` (`clearUnset`), settings left out are sent
 * as `null`: LiteLLM applies every field the request sets (`exclude_unset`), so `null` clears a budget
 * or limit that was removed from the program, where leaving the field out would keep the old value.
 */
export function teamRequestBody(settings: TeamSettings, clearUnset = false): Record<string, unknown> {
  const body: Record<string, unknown> = {
    team_alias: settings.teamAlias,
    models: settings.models ?? [],
  };
  const optional: [string, unknown][] = [
    ["max_budget", settings.maxBudgetUsd],
    ["budget_duration", settings.budgetDuration],
    ["tpm_limit", settings.tpmLimit],
    ["rpm_limit", settings.rpmLimit],
  ];
  for (const [field, value] of optional) {
    if (value !== undefined) body[field] = value;
    else if (clearUnset) body[field] = null;
  }
  return body;
}

/** A team from any of LiteLLM's team shapes (`/team/new`, `/team/update`'s `data`, `/team/info`'s `team_info`). */
export function teamFromResponse(raw: unknown): GatewayTeamInfo | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const row = raw as Record<string, unknown>;
  if (typeof row["team_id"] !== "string") return undefined;
  const team: GatewayTeamInfo = {
    teamId: row["team_id"],
    teamAlias: typeof row["team_alias"] === "string" ? row["team_alias"] : "",
    models: Array.isArray(row["models"]) ? row["models"].filter((m): m is string => typeof m === "string") : [],
  };
  if (typeof row["max_budget"] === "number") team.maxBudgetUsd = row["max_budget"];
  if (typeof row["budget_duration"] === "string") team.budgetDuration = row["budget_duration"];
  if (typeof row["tpm_limit"] === "number") team.tpmLimit = row["tpm_limit"];
  if (typeof row["rpm_limit"] === "number") team.rpmLimit = row["rpm_limit"];
  return team;
}

/**
 * The gateway's error message from a response body. LiteLLM answers in several shapes:
 * `{"error": {"message"}}` (ProxyException), `{"detail": {"error"|"message"}}` and `{"detail": "..."}`
 * (FastAPI HTTPException), `{"detail": [{"loc", "msg"}]}` (request validation), or plain text.
 */
export function liteLLMErrorMessage(bodyText: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return truncate(bodyText.trim() || "(empty response)");
  }
  const pick = (value: unknown): string | undefined => {
    if (typeof value === "string") return value;
    if (Array.isArray(value)) {
      const parts = value.map((item) => {
        if (typeof item !== "object" || item === null) return String(item);
        const entry = item as Record<string, unknown>;
        const where = Array.isArray(entry["loc"]) ? `${entry["loc"].join(".")}: ` : "";
        return `${where}${typeof entry["msg"] === "string" ? entry["msg"] : JSON.stringify(item)}`;
      });
      return parts.join("; ");
    }
    if (typeof value === "object" && value !== null) {
      const obj = value as Record<string, unknown>;
      return pick(obj["message"]) ?? pick(obj["error"]) ?? pick(obj["detail"]);
    }
    return undefined;
  };
  return truncate(pick(parsed) ?? bodyText.trim());
}

function truncate(text: string): string {
  return text.length > 500 ? `${text.slice(0, 500)}...` : text;
}

/**
 * `text` with every secret in `secrets` replaced, and anything shaped like a LiteLLM key (`sk-...`)
 * masked too, since an error may echo a key the client never saw (another team's, say).
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join("<redacted>");
  }
  return out.replace(/sk-[A-Za-z0-9_-]{6,}/g, "sk-<redacted>");
}

/** A single failed attempt, and whether another one could succeed. */
class AttemptError extends Error {
  constructor(
    readonly request: string,
    readonly status: number | undefined,
    readonly detail: string,
    readonly retryable: boolean,
    readonly retryAfterMs: number | undefined,
  ) {
    super(detail);
  }
}

interface Context {
  baseUrl: string;
  masterKey: string;
  fetch: FetchLike;
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  deadlineMs: number;
  requestTimeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** Strings no error may contain: the master key and every key this client issued. */
  secrets: string[];
}

interface Reply {
  status: number;
  body: unknown;
}

/**
 * One HTTP request, no retries. Resolves for 2xx and for the statuses in `accept`; throws `AttemptError`
 * otherwise, retryable for 429, 5xx and network failures (timeouts included).
 */
async function sendOnce(ctx: Context, method: string, path: string, body?: unknown, accept: number[] = []): Promise<Reply> {
  const request = `${method} ${path.split("?")[0]}`;
  let response: FetchResponseLike;
  try {
    const init: FetchInit = {
      method,
      headers: { authorization: `Bearer ${ctx.masterKey}`, accept: "application/json" },
      signal: AbortSignal.timeout(ctx.requestTimeoutMs),
    };
    if (body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    response = await ctx.fetch(`${ctx.baseUrl.replace(/\/+$/, "")}${path}`, init);
  } catch (err) {
    const error = err as { message?: unknown; cause?: { code?: unknown; message?: unknown } };
    const cause = error?.cause?.code ?? error?.cause?.message;
    const detail = `${String(error?.message ?? err)}${cause ? ` (${String(cause)})` : ""}`;
    throw new AttemptError(request, undefined, redactSecrets(detail, ctx.secrets), true, undefined);
  }
  let text = "";
  try {
    text = await response.text();
  } catch {
    // the status alone still says what happened
  }
  if ((response.status >= 200 && response.status < 300) || accept.includes(response.status)) {
    let parsed: unknown = undefined;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: response.status, body: parsed };
  }
  const retryable = response.status === 429 || response.status >= 500;
  const retryAfter = Number(response.headers.get("retry-after"));
  const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
  throw new AttemptError(request, response.status, redactSecrets(liteLLMErrorMessage(text), ctx.secrets), retryable, retryAfterMs);
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the attempts or the deadline run out. Each attempt
 * is whole: operations that create something look first, so a retry never creates twice.
 */
async function withRetries<T>(ctx: Context, operation: string, attempt: () => Promise<T>): Promise<T> {
  const start = ctx.now();
  let backoff = ctx.initialBackoffMs;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof AttemptError)) throw err;
      const wait = Math.min(err.retryAfterMs ?? backoff, ctx.maxBackoffMs);
      const outOfTime = ctx.now() - start + wait > ctx.deadlineMs;
      if (!err.retryable || n >= ctx.maxAttempts || outOfTime) {
        throw new LiteLLMAdminError(operation, err.request, err.status, err.detail, n);
      }
      await ctx.sleep(wait);
      backoff = Math.min(backoff * 2, ctx.maxBackoffMs);
    }
  }
}

/** SHA-256 of a key, hex: how LiteLLM identifies a key without its value. */
async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A client for one gateway. Nothing is sent until a method is called. */
export function liteLLMAdmin(options: LiteLLMAdminOptions): LiteLLMAdmin {
  if (typeof options.baseUrl !== "string" || !/^https?:\/\/[^/]/.test(options.baseUrl)) {
    throw new Error(`LiteLLM admin: baseUrl: got ${JSON.stringify(options.baseUrl)}; use the gateway's http(s) URL, e.g. http://litellm.ai-gateway.svc:4000`);
  }
  if (typeof options.masterKey !== "string" || options.masterKey === "") {
    throw new Error("LiteLLM admin: masterKey is empty; pass the gateway's master key");
  }
  const ctx: Context = {
    baseUrl: options.baseUrl,
    masterKey: options.masterKey,
    fetch: options.fetch ?? ((url, init) => globalThis.fetch(url, init)),
    maxAttempts: Math.max(1, options.maxAttempts ?? 5),
    initialBackoffMs: options.initialBackoffMs ?? 500,
    maxBackoffMs: options.maxBackoffMs ?? 8000,
    deadlineMs: options.deadlineMs ?? 60_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 20_000,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now: options.now ?? (() => Date.now()),
    secrets: [options.masterKey],
  };

  const findOnce = async (teamAlias: string): Promise<GatewayTeamInfo | undefined> => {
    const reply = await sendOnce(ctx, "GET", "/team/list");
    const teams = (Array.isArray(reply.body) ? reply.body : []).map(teamFromResponse).filter((t): t is GatewayTeamInfo => t !== undefined);
    const matches = teams.filter((t) => t.teamAlias === teamAlias);
    if (matches.length > 1) {
      const ids = matches.map((t) => t.teamId).join(", ");
      throw new AttemptError("GET /team/list", reply.status, `${matches.length} teams are named ${JSON.stringify(teamAlias)} (${ids}); delete the extra ones on the gateway so one remains`, false, undefined);
    }
    return matches[0];
  };

  const updateOnce = async (teamId: string, settings: TeamSettings): Promise<GatewayTeamInfo> => {
    const reply = await sendOnce(ctx, "POST", "/team/update", { team_id: teamId, ...teamRequestBody(settings, true) });
    const data = (reply.body as Record<string, unknown> | undefined)?.["data"];
    return teamFromResponse(data) ?? { teamId, teamAlias: settings.teamAlias, models: settings.models ?? [], ...limitsOf(settings) };
  };

  return {
    createTeam: (settings) =>
      withRetries(ctx, "createTeam", async () => {
        const existing = await findOnce(settings.teamAlias);
        if (existing) return { ...(await updateOnce(existing.teamId, settings)), adopted: true };
        const reply = await sendOnce(ctx, "POST", "/team/new", teamRequestBody(settings));
        const team = teamFromResponse(reply.body);
        if (!team) throw new AttemptError("POST /team/new", reply.status, "the response has no team_id", false, undefined);
        return { ...team, adopted: false };
      }),

    updateTeam: (teamId, settings) => withRetries(ctx, "updateTeam", () => updateOnce(teamId, settings)),

    deleteTeam: (teamId) =>
      withRetries(ctx, "deleteTeam", async () => {
        const reply = await sendOnce(ctx, "POST", "/team/delete", { team_ids: [teamId] }, [404]);
        return { deleted: reply.status !== 404 };
      }),

    getTeam: (teamId) =>
      withRetries(ctx, "getTeam", async () => {
        const reply = await sendOnce(ctx, "GET", `/team/info?team_id=${encodeURIComponent(teamId)}`, undefined, [404]);
        if (reply.status === 404) return undefined;
        const body = reply.body as Record<string, unknown> | undefined;
        return teamFromResponse({ team_id: teamId, ...((body?.["team_info"] as object | undefined) ?? {}) });
      }),

    findTeamByAlias: (teamAlias) => withRetries(ctx, "findTeamByAlias", () => findOnce(teamAlias)),

    generateTeamKey: (teamId, keyAlias) =>
      withRetries(ctx, "generateTeamKey", async () => {
        await sendOnce(ctx, "POST", "/key/delete", { key_aliases: [keyAlias] }, [404]);
        const reply = await sendOnce(ctx, "POST", "/key/generate", { team_id: teamId, key_alias: keyAlias });
        const body = (reply.body ?? {}) as Record<string, unknown>;
        const key = body["key"];
        if (typeof key !== "string" || key === "") {
          throw new AttemptError("POST /key/generate", reply.status, "the response has no key", false, undefined);
        }
        ctx.secrets.push(key);
        const keyId = typeof body["token_id"] === "string" && body["token_id"] !== "" ? body["token_id"] : await sha256Hex(key);
        return { key, keyId, keyAlias };
      }),

    deleteKey: (keyId) =>
      withRetries(ctx, "deleteKey", async () => {
        const reply = await sendOnce(ctx, "POST", "/key/delete", { keys: [keyId] }, [404]);
        return { deleted: reply.status !== 404 };
      }),
  };
}

function limitsOf(settings: TeamSettings): Omit<GatewayTeamInfo, "teamId" | "teamAlias" | "models"> {
  const limits: Omit<GatewayTeamInfo, "teamId" | "teamAlias" | "models"> = {};
  if (settings.maxBudgetUsd !== undefined) limits.maxBudgetUsd = settings.maxBudgetUsd;
  if (settings.budgetDuration !== undefined) limits.budgetDuration = settings.budgetDuration;
  if (settings.tpmLimit !== undefined) limits.tpmLimit = settings.tpmLimit;
  if (settings.rpmLimit !== undefined) limits.rpmLimit = settings.rpmLimit;
  return limits;
}
