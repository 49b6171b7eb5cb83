/**
 * An in-memory stand-in for LiteLLM's admin API (teams and keys, with its database), for tests of the
 * client, of `GatewayTeam` and of the team reconciler where no real proxy with a database can run. It
 * answers the way LiteLLM 1.106.0 does: the same routes, body fields, status codes and error shapes. Deleted
 * keys are archived, as LiteLLM keeps them (`/key/info` reports them with status `deleted`); the readiness
 * probe reports the database connected.
 */
import { createHash, randomBytes } from "node:crypto";
import type { FetchInit, FetchLike, FetchResponseLike } from "../gateway/litellm-admin.js";

/** One request the fake received. */
export interface FakeCall {
  method: string;
  /** Path without the query. */
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown> | undefined;
  authorization: string | undefined;
}

/** An answer an interceptor gives instead of the fake's own. */
export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Thrown by `fetch` instead of answering, like a refused connection. */
  networkError?: Error;
}

/** A stored team: LiteLLM's own field names. */
export type FakeTeamRow = Record<string, unknown> & { team_id: string; team_alias: string };
/** A stored key, by its SHA-256 hash. */
export interface FakeKeyRow {
  key: string;
  keyAlias: string | undefined;
  teamId: string | undefined;
}

export interface FakeLiteLLM {
  /** A `fetch` that answers as the gateway, for `liteLLMAdmin({ fetch })`. */
  fetch: FetchLike;
  /** Every request, in order. */
  calls: FakeCall[];
  teams: Map<string, FakeTeamRow>;
  keys: Map<string, FakeKeyRow>;
  /** Keys deleted through the API (with their team, or by themselves), by hash: LiteLLM's archive of them. */
  deletedKeys: Map<string, FakeKeyRow>;
  /**
   * Runs before the fake's own handling: returns an answer to use instead, or `undefined` to carry on.
   * `handle` performs the request for real, to fail after the gateway did the work.
   */
  intercept(fn: (call: FakeCall, handle: () => FakeAnswer) => FakeAnswer | undefined): void;
  /** The fake's own answer to a request, as an HTTP body and status (for an HTTP server in front of it). */
  answer(method: string, url: string, headers: Record<string, string | undefined>, bodyText: string): FakeAnswer;
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

const notFound = (message: string): FakeAnswer => ({ status: 404, body: { error: { message, type: "not_found", param: null, code: "404" } } });

/** A fake gateway whose master key is `masterKey`. */
export function fakeLiteLLM(masterKey: string): FakeLiteLLM {
  const teams = new Map<string, FakeTeamRow>();
  const keys = new Map<string, FakeKeyRow>();
  const deletedKeys = new Map<string, FakeKeyRow>();
  const archive = (hash: string): void => {
    deletedKeys.set(hash, keys.get(hash)!);
    keys.delete(hash);
  };
  const calls: FakeCall[] = [];
  const interceptors: ((call: FakeCall, handle: () => FakeAnswer) => FakeAnswer | undefined)[] = [];
  let nextTeam = 1;

  const handle = (call: FakeCall): FakeAnswer => {
    // The public readiness probe: no key needed.
    if (call.method === "GET" && call.path === "/health/readiness") return { status: 200, body: { status: "healthy", db: "connected" } };
    if (call.authorization !== `Bearer ${masterKey}`) {
      return { status: 401, body: { error: { message: "Authentication Error, Invalid proxy server token passed.", type: "auth_error", param: "None", code: "401" } } };
    }
    const body = call.body ?? {};
    const route = `${call.method} ${call.path}`;
    switch (route) {
      case "GET /team/list":
        return { status: 200, body: [...teams.values()] };
      case "GET /team/info": {
        const team = teams.get(call.query["team_id"] ?? "");
        if (!team) return notFound(`Team not found, passed team id: ${call.query["team_id"]}.`);
        return { status: 200, body: { team_id: team.team_id, team_info: team, keys: [] } };
      }
      case "POST /team/new": {
        const teamId = `team-${nextTeam++}`;
        const row: FakeTeamRow = { team_alias: "", models: [], max_budget: null, budget_duration: null, tpm_limit: null, rpm_limit: null, ...body, team_id: teamId } as FakeTeamRow;
        teams.set(teamId, row);
        return { status: 200, body: row };
      }
      case "POST /team/update": {
        const team = teams.get(String(body["team_id"]));
        if (!team) return notFound(`Team not found, passed team_id=${String(body["team_id"])}`);
        Object.assign(team, body);
        return { status: 200, body: { team_id: team.team_id, data: team } };
      }
      case "POST /team/delete": {
        const ids = (body["team_ids"] as string[] | undefined) ?? [];
        const missing = ids.find((id) => !teams.has(id));
        if (missing !== undefined) return { status: 404, body: { detail: { error: `Team not found, passed team_id=${missing}` } } };
        for (const id of ids) {
          teams.delete(id);
          for (const [hash, row] of keys) if (row.teamId === id) archive(hash);
        }
        return { status: 200, body: { deleted_teams: ids } };
      }
      case "POST /key/generate": {
        const alias = body["key_alias"] as string | undefined;
        if (alias !== undefined && [...keys.values()].some((k) => k.keyAlias === alias)) {
          return { status: 400, body: { error: { message: `Key with alias '${alias}' already exists. Unique key aliases across all keys are required.`, type: "bad_request_error", param: "key_alias", code: "400" } } };
        }
        const teamId = body["team_id"] as string | undefined;
        if (teamId !== undefined && !teams.has(teamId)) return notFound(`Team not found, passed team_id=${teamId}`);
        const key = `sk-${randomBytes(16).toString("base64url")}`;
        const hash = sha256Hex(key);
        keys.set(hash, { key, keyAlias: alias, teamId });
        return { status: 200, body: { key, token_id: hash, key_alias: alias ?? null, team_id: teamId ?? null } };
      }
      case "GET /key/info": {
        // The key or its hash; a deleted key is served from the archive.
        const wanted = call.query["key"] ?? "";
        const hash = keys.has(wanted) || deletedKeys.has(wanted) ? wanted : sha256Hex(wanted);
        const row = keys.get(hash) ?? deletedKeys.get(hash);
        if (!row) return { status: 404, body: { error: { message: "Key not found in database", type: "not_found_error", param: "key", code: "404" } } };
        const info = { key_alias: row.keyAlias ?? null, team_id: row.teamId ?? null, blocked: null, status: keys.has(hash) ? "active" : "deleted" };
        return { status: 200, body: { key: wanted, info } };
      }
      case "POST /key/delete": {
        const wanted = (body["keys"] as string[] | undefined) ?? [];
        const aliases = (body["key_aliases"] as string[] | undefined) ?? [];
        const hashes = [
          ...wanted.map((k) => (keys.has(k) ? k : sha256Hex(k))),
          ...[...keys.entries()].filter(([, row]) => row.keyAlias !== undefined && aliases.includes(row.keyAlias)).map(([hash]) => hash),
        ].filter((hash) => keys.has(hash));
        if (hashes.length === 0) return notFound("No keys found");
        for (const hash of hashes) archive(hash);
        return { status: 200, body: { deleted_keys: [...wanted, ...aliases] } };
      }
      default:
        return { status: 404, body: { detail: "Not Found" } };
    }
  };

  const receive = (call: FakeCall): FakeAnswer => {
    calls.push(call);
    for (const interceptor of interceptors) {
      const answer = interceptor(call, () => handle(call));
      if (answer) return answer;
    }
    return handle(call);
  };

  const parse = (method: string, url: string, authorization: string | undefined, bodyText: string | undefined): FakeCall => {
    const parsed = new URL(url, "http://gateway.invalid");
    return {
      method,
      path: parsed.pathname,
      query: Object.fromEntries(parsed.searchParams.entries()),
      body: bodyText ? (JSON.parse(bodyText) as Record<string, unknown>) : undefined,
      authorization,
    };
  };

  const fetch: FetchLike = async (url: string, init: FetchInit): Promise<FetchResponseLike> => {
    const answer = receive(parse(init.method, url, init.headers["authorization"], init.body));
    if (answer.networkError) throw answer.networkError;
    const headers = Object.fromEntries(Object.entries(answer.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const text = answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
    return { status: answer.status, headers: { get: (name) => headers[name.toLowerCase()] ?? null }, text: async () => text };
  };

  return {
    fetch,
    calls,
    teams,
    keys,
    deletedKeys,
    intercept: (fn) => void interceptors.push(fn),
    answer: (method, url, headers, bodyText) => receive(parse(method, url, headers["authorization"], bodyText)),
  };
}
