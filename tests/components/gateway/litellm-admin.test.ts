import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TeamSettings } from "@mlops-platform/components";
// The admin client is internal (GatewayTeam uses it): reached through the unsupported entry point.
import {
  liteLLMAdmin,
  LiteLLMAdminError,
  liteLLMErrorMessage,
  teamRequestBody,
  teamSettingsProblems,
  type LiteLLMAdminOptions,
} from "@mlops-platform/components/internal";
import { fakeLiteLLM, sha256Hex, type FakeLiteLLM } from "@mlops-platform/components/testing";
import { requireTool } from "../../helpers.js";

const MASTER_KEY = "sk-master-0123456789abcdef";
const vision: TeamSettings = { teamAlias: "vision", models: ["chat-default", "embed"], maxBudgetUsd: 250, budgetDuration: "30d", tpmLimit: 200_000, rpmLimit: 120 };

/** A client of `gateway` whose waits are recorded instead of slept. */
function clientOf(gateway: FakeLiteLLM, extra: Partial<LiteLLMAdminOptions> = {}) {
  const waits: number[] = [];
  const client = liteLLMAdmin({
    baseUrl: "http://gateway.test:4000/",
    masterKey: MASTER_KEY,
    fetch: gateway.fetch,
    sleep: async (ms) => void waits.push(ms),
    ...extra,
  });
  return { client, waits };
}

const routes = (gateway: FakeLiteLLM) => gateway.calls.map((c) => `${c.method} ${c.path}`);

async function failure(promise: Promise<unknown>): Promise<LiteLLMAdminError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LiteLLMAdminError);
  return err as LiteLLMAdminError;
}

describe("team settings reach LiteLLM under its own field names", () => {
  it("creates a team with team_alias, models, max_budget, budget_duration, tpm_limit and rpm_limit", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    const { client } = clientOf(gateway);
    const team = await client.createTeam(vision);

    const create = gateway.calls.find((c) => c.path === "/team/new")!;
    expect(create.body).toEqual({ team_alias: "vision", models: ["chat-default", "embed"], max_budget: 250, budget_duration: "30d", tpm_limit: 200_000, rpm_limit: 120 });
    expect(create.authorization).toBe(`Bearer ${MASTER_KEY}`);
    expect(team).toEqual({ teamId: "team-1", teamAlias: "vision", models: ["chat-default", "embed"], maxBudgetUsd: 250, budgetDuration: "30d", tpmLimit: 200_000, rpmLimit: 120, adopted: false });
  });

  it("an update clears the budget and limits a program no longer sets, and opens all models", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    const { client } = clientOf(gateway);
    const { teamId } = await client.createTeam(vision);
    const updated = await client.updateTeam(teamId, { teamAlias: "vision", tpmLimit: 1000 });

    expect(gateway.calls.at(-1)!.body).toEqual({ team_id: teamId, team_alias: "vision", models: [], max_budget: null, budget_duration: null, tpm_limit: 1000, rpm_limit: null });
    expect(updated).toEqual({ teamId, teamAlias: "vision", models: [], tpmLimit: 1000 });
  });

  it.each<[string, TeamSettings, string[]]>([
    ["accepts a full team", vision, []],
    ["accepts a team with only a name", { teamAlias: "speech" }, []],
    ["rejects an empty name", { teamAlias: " " }, ["teamAlias"]],
    ["rejects a negative budget", { teamAlias: "a", maxBudgetUsd: -1 }, ["maxBudgetUsd"]],
    ["rejects a duration without a unit", { teamAlias: "a", budgetDuration: "30" }, ["budgetDuration"]],
    ["rejects a duration in years", { teamAlias: "a", budgetDuration: "1y" }, ["budgetDuration"]],
    ["accepts monthly budgets", { teamAlias: "a", budgetDuration: "1mo" }, []],
    ["rejects fractional and zero limits", { teamAlias: "a", tpmLimit: 1.5, rpmLimit: 0 }, ["tpmLimit", "rpmLimit"]],
    ["rejects an empty model name", { teamAlias: "a", models: [""] }, ["models"]],
  ])("%s", (_name, settings, wrong) => {
    expect(teamSettingsProblems(settings).map((p) => p.slice(0, p.indexOf(":")))).toEqual(wrong);
  });

  it("leaves unset settings out of a new team", () => {
    expect(teamRequestBody({ teamAlias: "speech" })).toEqual({ team_alias: "speech", models: [] });
  });
});

describe("creating and deleting are safe to repeat", () => {
  it("adopts the team that already has the alias, updating it, instead of creating a second one", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    gateway.teams.set("existing-id", { team_id: "existing-id", team_alias: "vision", models: [], max_budget: 10 });
    gateway.teams.set("other-id", { team_id: "other-id", team_alias: "speech", models: [] });
    const { client } = clientOf(gateway);

    const team = await client.createTeam(vision);

    expect(team.teamId).toBe("existing-id");
    expect(team.adopted).toBe(true);
    expect(routes(gateway)).toEqual(["GET /team/list", "POST /team/update"]);
    expect(gateway.teams.get("existing-id")).toMatchObject({ max_budget: 250, budget_duration: "30d", models: ["chat-default", "embed"] });
    expect(gateway.teams.size).toBe(2);
  });

  it("a create whose answer was lost after the gateway made the team does not make a second one", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    let dropped = false;
    gateway.intercept((call, handle) => {
      if (call.path !== "/team/new" || dropped) return undefined;
      dropped = true;
      handle(); // the gateway creates the team, then the answer is lost
      return { status: 502, body: "Bad Gateway" };
    });
    const { client } = clientOf(gateway);

    const team = await client.createTeam(vision);

    expect(gateway.teams.size).toBe(1);
    expect(team).toMatchObject({ teamId: "team-1", adopted: true });
    expect(routes(gateway)).toEqual(["GET /team/list", "POST /team/new", "GET /team/list", "POST /team/update"]);
  });

  it("fails when several teams share the alias, naming them, without retrying", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    gateway.teams.set("a1", { team_id: "a1", team_alias: "vision" });
    gateway.teams.set("a2", { team_id: "a2", team_alias: "vision" });
    const err = await failure(clientOf(gateway).client.createTeam(vision));
    expect(err.message).toContain('2 teams are named "vision" (a1, a2)');
    expect(err.attempts).toBe(1);
  });

  it("deleting a team that is already gone succeeds", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    const { client, waits } = clientOf(gateway);
    await expect(client.deleteTeam("never-was")).resolves.toEqual({ deleted: false });
    expect(waits).toEqual([]);
  });

  it("deleting a team removes it and its keys", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    const { client } = clientOf(gateway);
    const { teamId } = await client.createTeam(vision);
    await client.generateTeamKey(teamId, "mlops-platform/vision");
    await expect(client.deleteTeam(teamId)).resolves.toEqual({ deleted: true });
    expect(gateway.calls.at(-1)!.body).toEqual({ team_ids: [teamId] });
    expect(gateway.teams.size).toBe(0);
    expect(gateway.keys.size).toBe(0);
    await expect(client.getTeam(teamId)).resolves.toBeUndefined();
  });

  it("deleting a key that is already gone succeeds, and a key is deleted by its hash, never its value", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    const { client } = clientOf(gateway);
    const { teamId } = await client.createTeam(vision);
    const issued = await client.generateTeamKey(teamId, "mlops-platform/vision");

    await expect(client.deleteKey(issued.keyId)).resolves.toEqual({ deleted: true });
    expect(gateway.calls.at(-1)!.body).toEqual({ keys: [sha256Hex(issued.key)] });
    await expect(client.deleteKey(issued.keyId)).resolves.toEqual({ deleted: false });
  });

  it("issuing a key revokes the earlier key with its alias, whose value is lost", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    const { client } = clientOf(gateway);
    const { teamId } = await client.createTeam(vision);
    const first = await client.generateTeamKey(teamId, "mlops-platform/vision");
    const second = await client.generateTeamKey(teamId, "mlops-platform/vision");

    expect(second.key).not.toBe(first.key);
    expect(second.keyId).toBe(sha256Hex(second.key));
    expect([...gateway.keys.values()].map((k) => k.key)).toEqual([second.key]);
    expect(gateway.calls.filter((c) => c.path === "/key/generate").map((c) => c.body)).toEqual([
      { team_id: teamId, key_alias: "mlops-platform/vision" },
      { team_id: teamId, key_alias: "mlops-platform/vision" },
    ]);
  });

  it("identifies a key by its SHA-256 when the gateway leaves token_id out", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    gateway.intercept((call, handle) => {
      if (call.path !== "/key/generate") return undefined;
      const answer = handle();
      const { token_id: _dropped, ...rest } = answer.body as Record<string, unknown>;
      return { ...answer, body: rest };
    });
    const { client } = clientOf(gateway);
    const { teamId } = await client.createTeam(vision);
    const issued = await client.generateTeamKey(teamId, "mlops-platform/vision");
    expect(issued.keyId).toBe(sha256Hex(issued.key));
  });
});

describe("transient failures are retried, for a bounded time", () => {
  it("retries a 503 with growing waits, then succeeds", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    let failures = 2;
    gateway.intercept(() => (failures-- > 0 ? { status: 503, body: { detail: "Service Unavailable" } } : undefined));
    const { client, waits } = clientOf(gateway, { initialBackoffMs: 100 });

    await expect(client.getTeam("missing")).resolves.toBeUndefined();
    expect(waits).toEqual([100, 200]);
    expect(gateway.calls).toHaveLength(3);
  });

  it("retries a refused connection", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    let failures = 1;
    gateway.intercept(() => (failures-- > 0 ? { status: 0, networkError: Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }) } : undefined));
    const { client, waits } = clientOf(gateway);
    await expect(client.deleteTeam("x")).resolves.toEqual({ deleted: false });
    expect(waits).toHaveLength(1);
  });

  it("follows the gateway's Retry-After, within the longest wait", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    let failures = 2;
    gateway.intercept(() => (failures-- > 0 ? { status: 429, body: { error: { message: "slow down" } }, headers: { "Retry-After": failures === 1 ? "2" : "60" } } : undefined));
    const { client, waits } = clientOf(gateway, { maxBackoffMs: 5000 });
    await client.getTeam("x");
    expect(waits).toEqual([2000, 5000]);
  });

  it("gives up after maxAttempts with an error naming the call, the status and LiteLLM's message", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    gateway.intercept(() => ({ status: 500, body: { error: { message: "Database not connected", type: "internal", param: null, code: "500" } } }));
    const { client, waits } = clientOf(gateway, { maxAttempts: 3, initialBackoffMs: 10 });

    const err = await failure(client.updateTeam("team-9", vision));
    expect(err.message).toBe("LiteLLM admin updateTeam failed after 3 attempts: POST /team/update: HTTP 500: Database not connected");
    expect(err).toMatchObject({ operation: "updateTeam", request: "POST /team/update", status: 500, detail: "Database not connected", attempts: 3 });
    expect(waits).toEqual([10, 20]);
  });

  it("gives up at the deadline even with attempts left", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    gateway.intercept(() => ({ status: 503, body: "" }));
    let clock = 0;
    const { client } = clientOf(gateway, {
      maxAttempts: 100,
      initialBackoffMs: 1000,
      maxBackoffMs: 1000,
      deadlineMs: 2500,
      now: () => clock,
      sleep: async (ms) => void (clock += ms),
    });
    const err = await failure(client.getTeam("x"));
    expect(err.attempts).toBe(3);
    expect(err.message).toContain("GET /team/info: HTTP 503: (empty response)");
  });

  it("says so when the gateway cannot be reached at all", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    gateway.intercept(() => ({ status: 0, networkError: Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }) }));
    const err = await failure(clientOf(gateway, { maxAttempts: 2 }).client.createTeam(vision));
    expect(err.message).toBe("LiteLLM admin createTeam failed after 2 attempts: GET /team/list: could not reach the gateway: fetch failed (ECONNREFUSED)");
    expect(err.status).toBeUndefined();
  });

  it("does not retry a request the gateway rejects", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    gateway.intercept((call) =>
      call.path === "/team/new" ? { status: 422, body: { detail: [{ type: "float_parsing", loc: ["body", "max_budget"], msg: "Input should be a valid number" }] } } : undefined,
    );
    const { client, waits } = clientOf(gateway);
    const err = await failure(client.createTeam(vision));
    expect(err.message).toBe("LiteLLM admin createTeam failed: POST /team/new: HTTP 422: body.max_budget: Input should be a valid number");
    expect(waits).toEqual([]);
  });

  it.each([
    ["a ProxyException", '{"error":{"message":"No connected db.","type":"no_db_connection","param":null,"code":"400"}}', "No connected db."],
    ["an HTTPException with an error", '{"detail":{"error":"No db connected"}}', "No db connected"],
    ["an HTTPException with a message", '{"detail":{"message":"Team not found, passed team id: x."}}', "Team not found, passed team id: x."],
    ["a plain detail", '{"detail":"Not Found"}', "Not Found"],
    ["a validation error", '{"detail":[{"loc":["body","team_ids"],"msg":"Field required"}]}', "body.team_ids: Field required"],
    ["plain text", "Internal Server Error", "Internal Server Error"],
    ["nothing", "", "(empty response)"],
  ])("reads LiteLLM's message from %s", (_shape, body, message) => {
    expect(liteLLMErrorMessage(body)).toBe(message);
  });
});

describe("keys never appear in errors", () => {
  it("neither the master key nor an issued key is in any error, even when the gateway echoes them", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    const { client } = clientOf(gateway, { maxAttempts: 2 });
    const { teamId } = await client.createTeam(vision);
    const issued = await client.generateTeamKey(teamId, "mlops-platform/vision");
    // From now on the gateway fails, quoting the request's credentials and the team's key back.
    gateway.intercept((call) => ({
      status: 500,
      body: { error: { message: `failed for ${call.authorization} (team key ${issued.key}, partial ${issued.key.slice(0, 12)})` } },
    }));

    const errors = await Promise.all([
      failure(client.getTeam(teamId)),
      failure(client.updateTeam(teamId, vision)),
      failure(client.deleteKey(issued.keyId)),
      failure(client.deleteTeam(teamId)),
      failure(client.generateTeamKey(teamId, "mlops-platform/vision")),
    ]);
    for (const err of errors) {
      const everything = `${err.message} ${err.detail} ${err.stack} ${JSON.stringify(err)}`;
      expect(everything).not.toContain(MASTER_KEY);
      expect(everything).not.toContain(issued.key);
      expect(everything).not.toContain(issued.key.slice(0, 12));
      expect(err.message).toContain("failed for Bearer <redacted>");
    }
  });

  it("the master key is not in the error for a bad URL or a rejected master key", async () => {
    expect(() => liteLLMAdmin({ baseUrl: "gateway:4000", masterKey: MASTER_KEY })).toThrow(/baseUrl: got "gateway:4000"/);
    const gateway = fakeLiteLLM("sk-the-real-master-key");
    const err = await failure(clientOf(gateway).client.getTeam("x"));
    expect(err.message).toBe("LiteLLM admin getTeam failed: GET /team/info: HTTP 401: Authentication Error, Invalid proxy server token passed.");
    expect(err.message).not.toContain(MASTER_KEY);
  });
});

// The real proxy, without a database (see the report in gateway-team.ts's tests for why: LiteLLM's
// database layer needs Prisma's engine binaries, which only download from Prisma's own server). What a
// platform engineer sees when the gateway's database is missing must be the gateway's own words.
const ROOT = path.resolve(import.meta.dirname, "../../..");
const litellm = requireTool(path.join(ROOT, ".venv-gateway/bin/litellm"), "bash .ci/run creates .venv-gateway", ["--help"]);

describe.skipIf(!litellm)("against the real LiteLLM proxy without a database", () => {
  let proxy: ChildProcess | undefined;
  let baseUrl = "";
  let logFile = "";

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-litellm-admin-"));
    fs.writeFileSync(
      path.join(dir, "config.yaml"),
      "model_list:\n  - model_name: chat-default\n    litellm_params:\n      model: openai/gpt-small\n      api_key: sk-upstream\n      api_base: http://127.0.0.1:9/v1\ngeneral_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n",
    );
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    logFile = path.join(dir, "proxy.log");
    const log = fs.openSync(logFile, "a");
    proxy = spawn(litellm!, ["--config", path.join(dir, "config.yaml"), "--host", "127.0.0.1", "--port", String(port)], {
      stdio: ["ignore", log, log],
      env: { ...process.env, LITELLM_MASTER_KEY: MASTER_KEY, LITELLM_LOCAL_MODEL_COST_MAP: "True" },
    });
    baseUrl = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 90_000;
    for (;;) {
      const ok = await fetch(`${baseUrl}/health/liveliness`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline || proxy.exitCode !== null) throw new Error(`LiteLLM did not start:\n${fs.readFileSync(logFile, "utf8").slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  });

  afterAll(() => {
    proxy?.kill("SIGTERM");
  });

  it("a team operation fails with the gateway's message, naming the call and status", async () => {
    const client = liteLLMAdmin({ baseUrl, masterKey: MASTER_KEY, maxAttempts: 2, initialBackoffMs: 50 });
    const list = await failure(client.findTeamByAlias("vision"));
    expect(list.message).toMatch(/^LiteLLM admin findTeamByAlias failed: GET \/team\/list: HTTP 400: DB not connected\./);

    const info = await failure(client.getTeam("team-1"));
    expect(info).toMatchObject({ request: "GET /team/info", status: 500, attempts: 2 });
    expect(info.detail).toContain("Database not connected");

    const remove = await failure(client.deleteTeam("team-1"));
    expect(remove.message).toBe("LiteLLM admin deleteTeam failed after 2 attempts: POST /team/delete: HTTP 500: No db connected");
    for (const err of [list, info, remove]) expect(err.message).not.toContain(MASTER_KEY);
  });

  it("a wrong master key is reported, without either key", async () => {
    const client = liteLLMAdmin({ baseUrl, masterKey: "sk-not-the-master-key", maxAttempts: 1 });
    const err = await failure(client.findTeamByAlias("vision"));
    expect(err.status).toBeGreaterThanOrEqual(400);
    expect(err.status).toBeLessThan(500);
    expect(err.message).not.toContain("sk-not-the-master-key");
    expect(err.message).not.toContain(MASTER_KEY);
  });
});
