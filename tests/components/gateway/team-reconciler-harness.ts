/**
 * What the team reconciler's tests run it with: the script itself (the text the ConfigMap ships) in a real
 * Python, a fake Kubernetes API answering the few Secret calls it makes, and an HTTP server in front of the
 * testing kit's in-memory LiteLLM admin API.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { TEAM_RECONCILER_SCRIPT } from "@mlops-platform/components/internal";
import type { FakeLiteLLM } from "@mlops-platform/components/testing";

/** A Secret as the fake API server stores it. */
export interface FakeSecret {
  metadata: { name: string; namespace: string; labels?: Record<string, string>; managedFields?: Array<{ manager: string; operation: string }> };
  type?: string;
  data?: Record<string, string>;
}

/** One request the fake API server received. */
export interface FakeKubeCall {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
}

export interface FakeKubernetes {
  url: string;
  /** The service account token it accepts. */
  token: string;
  /** Secrets by `<namespace>/<name>`. */
  secrets: Map<string, FakeSecret>;
  calls: FakeKubeCall[];
  /** Answers 403 for every Secret in the namespace, as RBAC does without a Role there. */
  forbid(namespace: string): void;
  close(): Promise<void>;
}

const status = (code: number, reason: string, message: string) => ({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code });

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => resolve(body));
  });
}

/**
 * The Secret calls of the Kubernetes API, as kube-apiserver answers them: GET, and server-side apply
 * (PATCH `application/apply-patch+yaml` with a field manager), which creates the Secret or sets its data.
 */
export async function startFakeKubernetes(token = "fake-service-account-token"): Promise<FakeKubernetes> {
  const secrets = new Map<string, FakeSecret>();
  const calls: FakeKubeCall[] = [];
  const forbidden = new Set<string>();
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url!, "http://kube.invalid");
    const body = await readBody(req);
    calls.push({ method: req.method!, path: url.pathname, query: Object.fromEntries(url.searchParams), contentType: req.headers["content-type"] });
    const reply = (code: number, value: unknown) => res.writeHead(code, { "content-type": "application/json" }).end(JSON.stringify(value));
    if (req.headers.authorization !== `Bearer ${token}`) return reply(401, status(401, "Unauthorized", "Unauthorized"));
    const match = /^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/]+)$/.exec(url.pathname);
    if (!match) return reply(404, status(404, "NotFound", "the server could not find the requested resource"));
    const [, namespace, name] = match as unknown as [string, string, string];
    const user = "system:serviceaccount:mlp-gateway:ai-gateway-team-reconciler";
    const verb = req.method === "GET" ? "get" : "patch";
    if (forbidden.has(namespace)) {
      return reply(403, status(403, "Forbidden", `secrets "${name}" is forbidden: User "${user}" cannot ${verb} resource "secrets" in API group "" in the namespace "${namespace}"`));
    }
    const key = `${namespace}/${name}`;
    if (req.method === "GET") {
      const secret = secrets.get(key);
      return secret ? reply(200, secret) : reply(404, status(404, "NotFound", `secrets "${name}" not found`));
    }
    if (req.method === "PATCH" && req.headers["content-type"] === "application/apply-patch+yaml") {
      const manager = url.searchParams.get("fieldManager");
      if (!manager) return reply(422, status(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"));
      // The script sends JSON, which is YAML.
      const applied = JSON.parse(body) as FakeSecret;
      const existing = secrets.get(key);
      const secret: FakeSecret = {
        ...existing,
        ...applied,
        metadata: { ...existing?.metadata, ...applied.metadata, managedFields: [{ manager, operation: "Apply" }] },
        data: { ...existing?.data, ...applied.data },
      };
      secrets.set(key, secret);
      return reply(existing ? 200 : 201, secret);
    }
    return reply(405, status(405, "MethodNotAllowed", `${req.method} is not allowed here`));
  });
  const url = await listen(server);
  return {
    url,
    token,
    secrets,
    calls,
    forbid: (namespace) => void forbidden.add(namespace),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An HTTP server in front of the in-memory LiteLLM admin API. */
export async function serveFakeLiteLLM(gateway: FakeLiteLLM): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    const answer = gateway.answer(req.method!, req.url!, { authorization: req.headers.authorization }, body);
    if (answer.networkError) return void req.socket.destroy();
    const text = answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers }).end(text);
  });
  const url = await listen(server);
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface ReconcilerRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together. */
  output: string;
}

/** The script as the ConfigMap ships it, in a temporary folder. */
export function writeReconcilerScript(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-reconciler-"));
  const file = path.join(dir, "reconcile_teams.py");
  fs.writeFileSync(file, TEAM_RECONCILER_SCRIPT);
  return file;
}

/**
 * Runs the reconciler (asynchronously: the fakes answer from this process) with `teamsJson` as its desired
 * teams; quick retries and readiness polls unless `env` says otherwise.
 */
export async function runReconciler(python: string, script: string, teamsJson: string, env: Record<string, string>): Promise<ReconcilerRun> {
  const dir = path.dirname(script);
  const teamsFile = path.join(dir, `teams-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(teamsFile, teamsJson);
  const child = spawn(python, [script], {
    env: {
      PATH: process.env["PATH"] ?? "",
      TEAMS_FILE: teamsFile,
      RETRY_ATTEMPTS: "2",
      RETRY_BACKOFF_SECONDS: "0",
      READY_TIMEOUT_SECONDS: "2",
      READY_POLL_SECONDS: "0.1",
      REQUEST_TIMEOUT_SECONDS: "10",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  fs.rmSync(teamsFile, { force: true });
  return { code, stdout, stderr, output: stdout + stderr };
}

/** A file holding `token`, as the service account's token is mounted in a pod. */
export function tokenFile(dir: string, token: string): string {
  const file = path.join(dir, "token");
  fs.writeFileSync(file, `${token}\n`);
  return file;
}
