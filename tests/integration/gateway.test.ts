/**
 * The AI gateway's generated config.yaml in the real LiteLLM proxy, with a real Redis and a fake
 * OpenAI-compatible upstream written for this test: routing, authentication, fallback, caching and
 * per-model rate limits, over real HTTP.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { GatewayProvider, litellmConfig } from "@mlops-platform/components";
import { requireTool } from "../helpers.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const litellm = requireTool(path.join(ROOT, ".venv-gateway/bin/litellm"), "bash .ci/run creates .venv-gateway", ["--help"]);
const redis = requireTool("redis-server", "apt-get install redis-server");
const MASTER_KEY = "sk-test-master-key-0123456789";

/** A free loopback port (bound, read, released). */
async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.skipIf(!litellm || !redis)("AI gateway config in the real LiteLLM proxy", () => {
  const upstreamCalls: Array<{ path: string; model: string; auth: string | undefined; body: string }> = [];
  const children: ChildProcess[] = [];
  let upstream: http.Server;
  let gatewayPort: number;

  beforeAll(async () => {
    // The fake provider: any path containing /down/ fails; others answer naming the path and model.
    upstream = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        const model = (JSON.parse(body || "{}") as { model?: string }).model ?? "";
        upstreamCalls.push({ path: req.url!, model, auth: req.headers.authorization, body });
        if (req.url!.includes("/down/")) return void res.writeHead(500, { "content-type": "application/json" }).end('{"error":{"message":"down"}}');
        const answer = { id: `c${upstreamCalls.length}`, object: "chat.completion", created: 1, model, choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: `from ${req.url} as ${model}` } }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

    const redisPort = await freePort();
    children.push(spawn(redis!, ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--requirepass", "redis-test-pw"], { stdio: "ignore" }));

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-gateway-"));
    const config = litellmConfig({
      models: [
        { name: "chat-default", provider: GatewayProvider.OpenAi, model: "gpt-small", apiBase: `${base}/ok/v1`, apiKeyEnv: "OPENAI_KEY" },
        { name: "chat-limited", provider: GatewayProvider.OpenAi, model: "gpt-limited", apiBase: `${base}/ok/v1`, apiKeyEnv: "OPENAI_KEY", rpm: 2 },
        { name: "chat-primary", provider: GatewayProvider.OpenAi, model: "gpt-flaky", apiBase: `${base}/down/v1`, apiKeyEnv: "OPENAI_KEY", fallbacks: ["chat-backup"] },
        { name: "chat-backup", provider: GatewayProvider.Vllm, model: "llama-local", apiBase: `${base}/vllm/v1`, apiKeyEnv: "VLLM_KEY" },
      ],
      cache: { enabled: true, ttlSeconds: 300 },
      prompts: [{ id: "summarize", template: "System: You summarize text for the {{team}} team.\n\nUser: Summarize: {{text}}" }],
      database: false,
      numRetries: 0,
    });
    fs.writeFileSync(path.join(dir, "config.yaml"), stringify(config));
    gatewayPort = await freePort();
    const proxy = spawn(litellm!, ["--config", path.join(dir, "config.yaml"), "--host", "127.0.0.1", "--port", String(gatewayPort)], {
      stdio: ["ignore", fs.openSync(path.join(dir, "proxy.log"), "a"), fs.openSync(path.join(dir, "proxy.log"), "a")],
      env: {
        ...process.env,
        LITELLM_MASTER_KEY: MASTER_KEY,
        OPENAI_KEY: "sk-upstream-openai",
        VLLM_KEY: "sk-upstream-vllm",
        REDIS_HOST: "127.0.0.1",
        REDIS_PORT: String(redisPort),
        REDIS_PASSWORD: "redis-test-pw",
        // No network: use the model cost map shipped in the package.
        LITELLM_LOCAL_MODEL_COST_MAP: "True",
      },
    });
    children.push(proxy);
    for (let attempt = 0; attempt < 180; attempt++) {
      const up = await fetch(`http://127.0.0.1:${gatewayPort}/health/liveliness`).then((r) => r.ok, () => false);
      if (up) return;
      if (proxy.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`the LiteLLM proxy did not start:\n${fs.readFileSync(path.join(dir, "proxy.log"), "utf8").slice(-3000)}`);
  }, 150_000);

  afterAll(() => {
    children.forEach((child) => child.kill());
    upstream?.close();
  });

  const chat = (model: string, content: string, key: string | null = MASTER_KEY) =>
    fetch(`http://127.0.0.1:${gatewayPort}/v1/chat/completions`, {
      method: "POST",
      headers: { ...(key === null ? {} : { authorization: `Bearer ${key}` }), "content-type": "application/json" },
      body: JSON.stringify({ model, messages: [{ role: "user", content }] }),
    });
  const answer = async (response: Response) => ((await response.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content;

  it("routes a request with the master key to the right upstream model, with the provider key from the environment", async () => {
    const response = await chat("chat-default", "route me");
    expect(response.status).toBe(200);
    expect(await answer(response)).toBe("from /ok/v1/chat/completions as gpt-small");
    expect(upstreamCalls.at(-1)!.auth).toBe("Bearer sk-upstream-openai");
  });

  it("rejects a request without a valid key before it reaches any provider", async () => {
    const before = upstreamCalls.length;
    // Without a database LiteLLM 1.103.0 answers a wrong key with 400 "No connected db", and a request
    // with no Authorization header (or an empty bearer token) with 500: refused either way.
    const wrongKey = await chat("chat-default", "let me in", "sk-not-a-key");
    expect([400, 401, 403]).toContain(wrongKey.status);
    const noKey = await chat("chat-default", "let me in", null);
    expect(noKey.ok).toBe(false);
    expect(await noKey.text()).not.toContain("choices");
    expect(upstreamCalls.length).toBe(before);
  });

  it("answers from the fallback when the primary upstream fails", async () => {
    const response = await chat("chat-primary", "fall back please");
    expect(response.status).toBe(200);
    expect(await answer(response)).toBe("from /vllm/v1/chat/completions as llama-local");
    expect(upstreamCalls.some((call) => call.path.startsWith("/down/"))).toBe(true);
  });

  it("serves an identical second request from the Redis cache", async () => {
    const first = await chat("chat-default", "cache me");
    expect(first.status).toBe(200);
    const callsAfterFirst = upstreamCalls.length;
    const second = await chat("chat-default", "cache me");
    expect(second.status).toBe(200);
    expect(second.headers.get("x-litellm-cache-key")).toBeTruthy();
    expect(await answer(second)).toBe(await answer(first));
    expect(upstreamCalls.length).toBe(callsAfterFirst);
  });

  it("renders a prompt template from the stack with the caller's variables before calling the provider", async () => {
    const response = await fetch(`http://127.0.0.1:${gatewayPort}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${MASTER_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "chat-default",
        prompt_id: "summarize",
        prompt_variables: { team: "vision", text: "GPUs are busy" },
        messages: [{ role: "user", content: "ignored when the template has a user turn" }],
      }),
    });
    expect(response.status).toBe(200);
    const sent = JSON.parse(upstreamCalls.at(-1)!.body) as { messages: Array<{ role: string; content: string }> };
    expect(sent.messages).toContainEqual({ role: "system", content: "You summarize text for the vision team." });
    expect(sent.messages.some((m) => m.role === "user" && m.content.includes("Summarize: GPUs are busy"))).toBe(true);
  });

  it("applies a model's requests-per-minute limit", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await chat("chat-limited", `distinct request ${i}`)).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(upstreamCalls.filter((call) => call.model === "gpt-limited").length).toBeLessThanOrEqual(2);
    expect(statuses.filter((s) => s === 200).length).toBe(upstreamCalls.filter((call) => call.model === "gpt-limited").length);
  });
});
