/**
 * The team reconciler (the script the gateway-teams ConfigMap ships) against the real LiteLLM proxy, the
 * pinned release in .venv-gateway, run by that release's Python.
 *
 * The proxy runs without its database: LiteLLM's database layer needs Prisma query engines that it
 * downloads at start-up from binaries.prisma.sh, which these machines cannot reach. So this checks every
 * answer the real proxy gives the reconciler without a database: its readiness report (the script refuses
 * to go on), and each admin call the script makes, answered by the real proxy while an in-memory copy of
 * the admin API answers the calls before it (so the script gets that far). The reconciler's logic with a
 * database is checked against that copy (tests/components/gateway/team-reconciler-script.test.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayProvider, litellmConfig } from "@mlops-platform/components";
import { desiredGatewayTeamsJson, planGatewayTeamReconciler } from "@mlops-platform/components/internal";
import { fakeLiteLLM, type FakeLiteLLM } from "@mlops-platform/components/testing";
import { runReconciler, startFakeKubernetes, tokenFile, writeReconcilerScript, type FakeKubernetes } from "../components/gateway/team-reconciler-harness.js";
import { requireTool } from "../helpers.js";
import { freePort, startLiteLLMProxy } from "./litellm-proxy.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const litellm = requireTool(path.join(ROOT, ".venv-gateway/bin/litellm"), "bash .ci/run creates .venv-gateway", ["--help"]);
const python = requireTool(path.join(ROOT, ".venv-gateway/bin/python"), "bash .ci/run creates .venv-gateway");
const redis = requireTool("redis-server", "apt-get install redis-server");
const MASTER_KEY = "sk-reconciler-master-key-0123456789";
const STORED_KEY = "sk-stored-team-key-abcdef0123";

const teamsJson = desiredGatewayTeamsJson(
  planGatewayTeamReconciler("teams", { namespace: "mlp-gateway", teams: [{ name: "vision", namespace: "team-vision", models: ["chat-default"], maxBudgetUsd: 200 }] }),
);

/**
 * In front of the real proxy: the routes in `forward` go to it, everything else to the in-memory admin API
 * (whose readiness reports a connected database).
 */
async function splitGateway(real: string, fake: FakeLiteLLM, forward: string): Promise<{ url: string; forwarded: string[]; close(): Promise<void> }> {
  const forwarded: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", async () => {
      const route = `${req.method} ${req.url!.split("?")[0]}`;
      if (route === forward) {
        forwarded.push(route);
        const headers: Record<string, string> = {};
        for (const name of ["authorization", "content-type", "accept"]) if (req.headers[name]) headers[name] = String(req.headers[name]);
        // A fresh connection each time: the proxy may close a kept-alive one after an error.
        const upstream = http.request(`${real}${req.url}`, { method: req.method!, headers, agent: false }, (answer) => {
          res.writeHead(answer.statusCode!, { "content-type": "application/json" });
          answer.pipe(res);
        });
        upstream.on("error", (error) => res.writeHead(502).end(String(error)));
        return void upstream.end(body);
      }
      if (route === "GET /health/readiness") return void res.writeHead(200, { "content-type": "application/json" }).end('{"status":"healthy","db":"connected"}');
      const answer = fake.answer(req.method!, req.url!, { authorization: req.headers.authorization }, body);
      res.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body === undefined ? "" : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, forwarded, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.skipIf(!litellm || !python || !redis)("the team reconciler against the real LiteLLM proxy, which runs without its database", () => {
  const children: ChildProcess[] = [];
  let proxyUrl: string;
  let kube: FakeKubernetes;
  let script: string;
  let token: string;

  beforeAll(async () => {
    const redisPort = await freePort();
    children.push(spawn(redis!, ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--requirepass", "redis-test-pw"], { stdio: "ignore" }));
    // The gateway's generated config, as deployed but without the database (which cannot start here).
    const config = litellmConfig({
      models: [{ name: "chat-default", provider: GatewayProvider.OpenAi, model: "gpt-small", apiBase: "http://127.0.0.1:9/v1", apiKeyEnv: "OPENAI_KEY" }],
      cache: { enabled: false, ttlSeconds: 60 },
      database: false,
      numRetries: 0,
    });
    const proxy = await startLiteLLMProxy(litellm!, config, {
      LITELLM_MASTER_KEY: MASTER_KEY,
      OPENAI_KEY: "sk-upstream-openai",
      REDIS_HOST: "127.0.0.1",
      REDIS_PORT: String(redisPort),
      REDIS_PASSWORD: "redis-test-pw",
    });
    children.push(proxy.process);
    proxyUrl = proxy.url;
    kube = await startFakeKubernetes();
    script = writeReconcilerScript();
    token = tokenFile(path.dirname(script), kube.token);
  }, 150_000);

  afterAll(async () => {
    children.forEach((child) => child.kill());
    await kube?.close();
    if (script) fs.rmSync(path.dirname(script), { recursive: true, force: true });
  });

  const reconcile = (gatewayUrl: string, masterKey = MASTER_KEY) =>
    runReconciler(python!, script, teamsJson, { GATEWAY_URL: gatewayUrl, LITELLM_MASTER_KEY: masterKey, KUBE_API_URL: kube.url, KUBE_TOKEN_FILE: token });

  it("refuses to reconcile a gateway that runs without a database, and says why", async () => {
    const run = await reconcile(proxyUrl);

    expect(run.code, run.output).toBe(2);
    expect(run.stdout.trim()).toBe(`error: the gateway at ${proxyUrl} runs without a database: teams and keys need one (set DATABASE_URL)`);
    expect(run.output).not.toContain(MASTER_KEY);
  });

  // Each admin call the script makes, answered by the real proxy: the state of the in-memory API and of the
  // Kubernetes API leads the script to that call.
  it.each<[string, string, (fake: FakeLiteLLM) => void, string]>([
    ["GET /team/list", "the team list", () => undefined, "error: GET /team/list: HTTP 400: DB not connected. This endpoint needs a database"],
    ["POST /team/new", "a new team", () => undefined, "error: team vision: POST /team/new: HTTP 500 after 2 attempts: Internal server error"],
    ["POST /team/update", "a team update", (fake) => fake.teams.set("t1", { team_id: "t1", team_alias: "vision", models: [] }), "error: team vision: POST /team/update: HTTP 500 after 2 attempts: Internal server error"],
    [
      "GET /key/info",
      "a key lookup",
      (fake) => fake.teams.set("t1", { team_id: "t1", team_alias: "vision", models: ["chat-default"], max_budget: 200, budget_duration: "30d", metadata: { managed_by: "mlops-platform" } }),
      "error: team vision: GET /key/info: HTTP 500 after 2 attempts: Internal server error",
    ],
    ["POST /key/delete", "revoking a key alias", (fake) => fake.teams.set("t1", { team_id: "t1", team_alias: "vision", models: [] }), "error: team vision: POST /key/delete: HTTP 500 after 2 attempts: Internal server error"],
    ["POST /key/generate", "issuing a key", (fake) => fake.teams.set("t1", { team_id: "t1", team_alias: "vision", models: [] }), "error: team vision: POST /key/generate: HTTP 500 after 2 attempts: Internal server error"],
    [
      "POST /team/delete",
      "deleting a team",
      (fake) => fake.teams.set("t9", { team_id: "t9", team_alias: "retired", models: [], metadata: { managed_by: "mlops-platform" } }),
      "error: team retired: POST /team/delete: HTTP 500 after 2 attempts: No db connected",
    ],
  ])("fails with the real proxy's own message when %s (%s) needs the database, printing no key", async (route, _what, arrange, message) => {
    const fake = fakeLiteLLM(MASTER_KEY);
    arrange(fake);
    kube.secrets.clear();
    if (route === "GET /key/info") {
      kube.secrets.set("team-vision/ai-gateway-key", { metadata: { name: "ai-gateway-key", namespace: "team-vision" }, data: { "api-key": Buffer.from(STORED_KEY).toString("base64") } });
    }
    const gateway = await splitGateway(proxyUrl, fake, route);
    try {
      const run = await reconcile(gateway.url);

      expect(run.code, run.output).toBe(1);
      expect(gateway.forwarded.length).toBeGreaterThan(0);
      expect(run.stdout).toContain(message);
      for (const key of [MASTER_KEY, STORED_KEY]) expect(run.output).not.toContain(key);
    } finally {
      await gateway.close();
    }
  });

  it("a wrong master key is refused by the real proxy before anything changes, and neither key is printed", async () => {
    const fake = fakeLiteLLM(MASTER_KEY);
    const gateway = await splitGateway(proxyUrl, fake, "GET /team/list");
    try {
      const run = await reconcile(gateway.url, "sk-wrong-master-key-9876543210");

      expect(run.code, run.output).toBe(1);
      expect(run.stdout).toContain("error: GET /team/list: HTTP 400: No connected db.");
      expect(fake.calls.filter((call) => call.method !== "GET")).toEqual([]);
      expect(run.output).not.toContain("sk-wrong-master-key-9876543210");
      expect(run.output).not.toContain(MASTER_KEY);
    } finally {
      await gateway.close();
    }
  });
});
