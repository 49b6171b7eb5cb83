/**
 * The example model service (examples/model-monitoring/server.py) run for real with prometheus_client: it
 * answers predictions, its /metrics parses in promtool, exports exactly the model contract's names and
 * labels, and writes the bucket bounds its ModelMonitor entry names the way the monitor's rules match them.
 * The venv is .ci/run's (`.venv-models`); without it the tests are skipped with a notice, and fail under CI.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { exposedSeries, leMatcher, MODEL_CONTRACT, planModelMonitor } from "@mlops-platform/components/internal";
import { requireTool } from "../helpers.js";
import { requirePromtool } from "../components/monitoring/promtool.js";
import { REPO_ROOT } from "./simulated-cluster.js";

const EXAMPLE = path.join(REPO_ROOT, "examples", "model-monitoring");
const python = requireTool(
  path.join(REPO_ROOT, ".venv-models", "bin", "python"),
  "python3 -m venv .venv-models && .venv-models/bin/pip install -r examples/model-monitoring/requirements.txt",
  ["-c", "import prometheus_client"],
);
const promtool = requirePromtool();

/** The example's stack entry, as a stack file holds it. */
const entry = (parse(fs.readFileSync(path.join(EXAMPLE, "stack-entry.yaml"), "utf8")) as { "mlops-platform:monitoring": { models: Array<Record<string, any>> } })["mlops-platform:monitoring"].models[0]!;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `name{labels} value` lines of a Prometheus text exposition. */
function samples(text: string): Array<{ name: string; labels: Record<string, string> }> {
  return text
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? \S+$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
      return { name: match[1]!, labels };
    });
}

describe.skipIf(!python)("the example model service exporting the model contract (prometheus_client)", () => {
  let server: ChildProcess | undefined;
  let api = "";
  let metrics = "";

  beforeAll(async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    server = spawn(python!, [path.join(EXAMPLE, "server.py"), "--port", String(port), "--metrics-port", String(metricsPort)], { stdio: "ignore" });
    api = `http://127.0.0.1:${port}`;
    await waitFor(`http://127.0.0.1:${metricsPort}/metrics`, 20_000);
    metrics = `http://127.0.0.1:${metricsPort}/metrics`;
  }, 30_000);

  afterAll(() => {
    server?.kill();
  });

  it("serves predictions, refuses inputs that break its schema, and takes quality from ground truth", async () => {
    const predict = (body: unknown) => fetch(`${api}/predict`, { method: "POST", body: JSON.stringify(body) });
    for (let i = 0; i < 20; i++) {
      const answer = await predict({ tenure_months: i * 3, monthly_spend: 15 + i * 6 });
      expect(answer.status).toBe(200);
      const { churn_probability: score } = (await answer.json()) as { churn_probability: number };
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThan(1);
    }
    expect((await predict({ tenure_months: "long" })).status).toBe(422);
    expect((await fetch(`${api}/quality`, { method: "PUT", body: JSON.stringify({ auc: 0.84 }) })).status).toBe(204);
  });

  it.skipIf(!promtool)("exports metrics that promtool parses and finds nothing to lint in", async () => {
    const text = await (await fetch(metrics)).text();
    // promtool check metrics reads the exposition on stdin.
    const result = spawnSync(promtool!, ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    expect(samples(text).length).toBeGreaterThan(0);
  });

  it("exports every name of the model contract, with its labels, and no other ml_ name", async () => {
    const exported = samples(await (await fetch(metrics)).text()).filter((sample) => sample.name.startsWith("ml_"));
    const contract = Object.values(MODEL_CONTRACT.metrics);
    // prometheus_client adds a _created timestamp to counters and histograms: a client's addition, not a name rules read.
    const names = new Set(exported.map((sample) => sample.name).filter((name) => !name.endsWith("_created")));
    expect([...names].sort()).toEqual(contract.flatMap(exposedSeries).sort());
    for (const info of contract) {
      // Prometheus adds `namespace` when it scrapes the pod; the service labels the rest.
      const own = info.labels.filter((label) => label !== "namespace");
      for (const sample of exported.filter((s) => exposedSeries(info).includes(s.name))) {
        for (const label of own) expect(sample.labels[label], `${sample.name} lacks ${label}`).toBeTruthy();
        expect(sample.labels["model"]).toBe(entry["name"]);
      }
    }
  });

  it("writes each bucket bound of its ModelMonitor entry as the monitor's rules match it", async () => {
    const exported = samples(await (await fetch(metrics)).text());
    const les = (name: string, feature?: string) =>
      exported.filter((s) => s.name === name && (feature === undefined || s.labels["feature"] === feature)).map((s) => s.labels["le"]!);
    const matches = (bound: number, le: string) => {
      const matcher = leMatcher(bound);
      const value = /le=~?"(.*)"$/.exec(matcher)![1]!.replace(/\\\\/g, "\\");
      return matcher.includes("=~") ? new RegExp(`^(?:${value})$`).test(le) : le === value;
    };
    for (const feature of entry["features"] as Array<{ name: string; buckets: number[] }>) {
      for (const bound of feature.buckets) expect(les("ml_feature_value_bucket", feature.name).some((le) => matches(bound, le)), `${feature.name} ≤ ${bound}`).toBe(true);
    }
    for (const bound of entry["predictionBuckets"] as number[]) expect(les("ml_prediction_value_bucket").some((le) => matches(bound, le)), `prediction ≤ ${bound}`).toBe(true);
    // And the entry is one its ModelMonitor accepts.
    const { name, team: _team, ...rest } = entry;
    expect(() => planModelMonitor("churn", { ...(rest as any), model: name, namespace: "team-vision" })).not.toThrow();
  });
});
