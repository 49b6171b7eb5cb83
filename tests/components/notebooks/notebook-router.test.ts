import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as dgram from "node:dgram";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notebookRouterConfig } from "@mlops-platform/components/internal";
import { requireTool } from "../../helpers.js";

const nginx = requireTool("nginx", "apt-get install nginx-light", ["-v"]);

/** A DNS server that answers every A query with 127.0.0.1: stands in for kube-dns. */
function fakeDns(): Promise<dgram.Socket> {
  const socket = dgram.createSocket("udp4");
  socket.on("message", (query, peer) => {
    let end = 12;
    while (query[end] !== 0) end += query[end]! + 1;
    const question = query.subarray(12, end + 5);
    const header = Buffer.from([query[0]!, query[1]!, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]);
    const answer = Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 127, 0, 0, 1]);
    socket.send(Buffer.concat([header, question, answer]), peer.port, peer.address);
  });
  return new Promise((resolve) => socket.bind(0, "127.0.0.1", () => resolve(socket)));
}

/** An HTTP server on a free loopback port. */
function serve(handler: http.RequestListener): Promise<http.Server> {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}
const portOf = (server: http.Server | dgram.Socket) => (server.address() as AddressInfo).port;

describe.skipIf(!nginx)("notebook router with the real nginx", () => {
  let dir: string;
  let router: ChildProcess;
  let routerPort: number;
  const closers: Array<() => void> = [];

  beforeAll(async () => {
    const dns = await fakeDns();
    // oauth2-proxy's contract: 401 without a session, 403 outside allowed_groups, 202 otherwise.
    const oauth2 = await serve((req, res) => {
      const url = new URL(req.url!, "http://x");
      const groups = String(req.headers["x-test-groups"] ?? "");
      if (url.pathname !== "/oauth2/auth") return void res.writeHead(200).end(`oauth2 ${url.pathname}`);
      if (!groups) return void res.writeHead(401).end();
      const allowed = (url.searchParams.get("allowed_groups") ?? "").split(",");
      res.writeHead(groups.split(",").some((g) => allowed.includes(g)) ? 202 : 403).end();
    });
    const notebook = await serve((req, res) => res.writeHead(200).end(`notebook ${req.headers.host} ${req.url}`));
    closers.push(() => dns.close(), () => oauth2.close(), () => notebook.close());

    const probe = await serve(() => undefined);
    routerPort = portOf(probe);
    probe.close();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-router-"));
    const config = notebookRouterConfig({
      teams: [
        { namespace: "team-vision", groups: ["vision-leads", "vision-scientists"] },
        { namespace: "team-nlp", groups: ["nlp-leads"] },
      ],
      oauth2ProxyUrl: `http://127.0.0.1:${portOf(oauth2)}`,
      resolver: `127.0.0.1:${portOf(dns)}`,
      clusterDomain: "cluster.local",
      port: routerPort,
      notebookServicePort: portOf(notebook),
    });
    fs.writeFileSync(path.join(dir, "nginx.conf"), config);
    // The config logs to /dev/stdout and /dev/stderr (container logs); those must be files or pipes, and
    // Node hands children sockets, so nginx gets a real file for both.
    const errorLog = path.join(dir, "error.log");
    const out = fs.openSync(path.join(dir, "output.log"), "a");
    const stdio: ["ignore", number, number] = ["ignore", out, out];
    spawnSync(nginx!, ["-t", "-p", dir, "-c", path.join(dir, "nginx.conf"), "-e", errorLog], { stdio });
    expect(fs.readFileSync(path.join(dir, "output.log"), "utf8")).toContain("test is successful");
    router = spawn(nginx!, ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-e", errorLog, "-g", "daemon off;"], { stdio });
    for (let i = 0; i < 50; i++) {
      const up = await fetch(`http://127.0.0.1:${routerPort}/healthz`).then((r) => r.ok, () => false);
      if (up) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(() => {
    router?.kill();
    closers.forEach((close) => close());
  });

  const get = (url: string, groups?: string) =>
    fetch(`http://127.0.0.1:${routerPort}${url}`, { redirect: "manual", headers: groups ? { "X-Test-Groups": groups } : {} });

  it("sends anonymous users to the OIDC sign-in, never to a notebook", async () => {
    const response = await get("/notebook/team-vision/explore/lab");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/\/oauth2\/start\?rd=\/notebook\/team-vision\/explore\/lab$/);
  });

  it("refuses a signed-in user from another team", async () => {
    expect((await get("/notebook/team-vision/explore/lab", "nlp-leads")).status).toBe(403);
  });

  it("passes a team member to the notebook's Service with the path unchanged", async () => {
    const response = await get("/notebook/team-vision/explore/api/kernels?x=1", "vision-scientists");
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^notebook [^ ]+ \/notebook\/team-vision\/explore\/api\/kernels\?x=1$/);
  });

  it("serves nothing outside team notebook paths", async () => {
    expect((await get("/notebook/kube-system/dashboard/", "vision-leads")).status).toBe(404);
    expect((await get("/", "vision-leads")).status).toBe(404);
  });
});
