/**
 * The real LiteLLM proxy (the pinned release in .venv-gateway) for integration tests: started on a free
 * loopback port with a config and environment of the test's choosing, stopped by the test.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";

/** A free loopback port (bound, read, released). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface LiteLLMProxy {
  port: number;
  url: string;
  process: ChildProcess;
  /** The proxy's log so far. */
  log(): string;
}

/** Starts `litellm --config` with `config` (written as YAML) and waits until it is live (up to 90 s). */
export async function startLiteLLMProxy(litellm: string, config: Record<string, unknown>, env: Record<string, string>): Promise<LiteLLMProxy> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-gateway-"));
  fs.writeFileSync(path.join(dir, "config.yaml"), stringify(config));
  const logFile = path.join(dir, "proxy.log");
  const port = await freePort();
  const proxy = spawn(litellm, ["--config", path.join(dir, "config.yaml"), "--host", "127.0.0.1", "--port", String(port)], {
    stdio: ["ignore", fs.openSync(logFile, "a"), fs.openSync(logFile, "a")],
    // No network: use the model cost map shipped in the package.
    env: { ...process.env, LITELLM_LOCAL_MODEL_COST_MAP: "True", ...env },
  });
  const log = () => fs.readFileSync(logFile, "utf8");
  for (let attempt = 0; attempt < 180; attempt++) {
    const up = await fetch(`http://127.0.0.1:${port}/health/liveliness`).then((r) => r.ok, () => false);
    if (up) return { port, url: `http://127.0.0.1:${port}`, process: proxy, log };
    if (proxy.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  proxy.kill();
  throw new Error(`the LiteLLM proxy did not start:\n${log().slice(-3000)}`);
}
