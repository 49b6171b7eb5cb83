import { execFileSync } from "node:child_process";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GATEWAY_KEY_SECRET_KEY,
  GATEWAY_KEY_SECRET_NAME,
  gatewayKeySecret,
  GatewayTeam,
  type GatewayTeamInputs,
  type GatewayTeamOutputs,
} from "@mlops-platform/components";
// The dynamic provider's functions and the admin client are internal: reached through the unsupported entry point.
import { diffGatewayTeam, gatewayTeamProvider, liteLLMAdmin } from "@mlops-platform/components/internal";
import { fakeLiteLLM, sha256Hex, type FakeLiteLLM } from "@mlops-platform/components/testing";
import { capture, one } from "../../helpers.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const MASTER_KEY = "sk-master-0123456789abcdef";
const inputs: GatewayTeamInputs = {
  adminUrl: "http://gateway.test:4000",
  masterKey: MASTER_KEY,
  teamAlias: "vision",
  models: ["chat-default"],
  maxBudgetUsd: 250,
  budgetDuration: "30d",
  rpmLimit: 120,
};

/** The provider as Pulumi runs it, talking to `gateway`. */
function providerFor(gateway: FakeLiteLLM) {
  const connections: { baseUrl: string; masterKey: string }[] = [];
  const provider = gatewayTeamProvider((connection) => {
    connections.push(connection);
    return liteLLMAdmin({ ...connection, fetch: gateway.fetch, sleep: async () => {} });
  });
  return { provider, connections };
}

describe("GatewayTeam's provider drives the gateway's admin API", () => {
  it("create makes the team with its settings and issues its key, keeping what later steps need", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    const { provider, connections } = providerFor(gateway);
    const { id, outs } = await provider.create(inputs);

    expect(connections).toEqual([{ baseUrl: "http://gateway.test:4000", masterKey: MASTER_KEY }]);
    expect(gateway.teams.get(id)).toMatchObject({ team_alias: "vision", models: ["chat-default"], max_budget: 250, budget_duration: "30d", rpm_limit: 120 });
    const [hash, key] = [...gateway.keys.entries()][0]!;
    expect(key).toMatchObject({ teamId: id, keyAlias: "mlops-platform/vision" });
    expect(outs).toEqual({ ...inputs, keyAlias: "mlops-platform/vision", teamId: id, apiKey: key.key, keyId: hash });
  });

  it("create adopts a team of the same name left by an earlier, interrupted run", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    gateway.teams.set("left-over", { team_id: "left-over", team_alias: "vision", models: [] });
    gateway.keys.set(sha256Hex("sk-lost-value"), { key: "sk-lost-value", keyAlias: "mlops-platform/vision", teamId: "left-over" });
    const { provider } = providerFor(gateway);

    const { id, outs } = await provider.create(inputs);

    expect(id).toBe("left-over");
    expect(gateway.teams.size).toBe(1);
    expect([...gateway.keys.values()].map((k) => k.key)).toEqual([outs.apiKey]);
    expect(outs.apiKey).not.toBe("sk-lost-value");
  });

  it("a new budget updates the team in place and keeps its key", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    const { provider } = providerFor(gateway);
    const { id, outs } = await provider.create(inputs);
    const { maxBudgetUsd: _removed, ...withoutBudget } = inputs;
    const news = { ...withoutBudget, tpmLimit: 50_000 };

    expect(await provider.diff(id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const updated = await provider.update(id, outs, news);

    expect(gateway.teams.get(id)).toMatchObject({ max_budget: null, tpm_limit: 50_000, rpm_limit: 120 });
    expect(updated.outs).toEqual({ ...news, keyAlias: "mlops-platform/vision", teamId: id, apiKey: outs.apiKey, keyId: outs.keyId });
    expect(gateway.calls.filter((c) => c.path === "/key/generate")).toHaveLength(1);
  });

  it("a new key alias issues a new key and revokes the old one", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    const { provider } = providerFor(gateway);
    const { id, outs } = await provider.create(inputs);
    const { outs: after } = await provider.update(id, outs, { ...inputs, keyAlias: "vision/serving" });

    expect(after.apiKey).not.toBe(outs.apiKey);
    expect([...gateway.keys.values()]).toEqual([{ key: after.apiKey, keyAlias: "vision/serving", teamId: id }]);
  });

  it("delete removes the team and its key, and deleting again is fine", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    const { provider } = providerFor(gateway);
    const { id, outs } = await provider.create(inputs);

    await provider.delete(id, outs);
    expect(gateway.teams.size).toBe(0);
    expect(gateway.keys.size).toBe(0);
    await expect(provider.delete(id, outs)).resolves.toBeUndefined();
    expect(gateway.calls.at(-1)).toMatchObject({ path: "/team/delete", body: { team_ids: [id] }, authorization: `Bearer ${MASTER_KEY}` });
  });

  it("refresh drops a team deleted outside Pulumi, and reports settings changed outside it", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    const { provider } = providerFor(gateway);
    const { id, outs } = await provider.create(inputs);

    gateway.teams.get(id)!["max_budget"] = 9999;
    const read = await provider.read(id, outs);
    expect(read).toEqual({ id, props: { ...outs, maxBudgetUsd: 9999 } });
    // The next `pulumi up` puts the declared budget back.
    expect(diffGatewayTeam(read.props!, inputs)).toEqual({ changed: ["maxBudgetUsd"], replaces: [] });

    gateway.teams.delete(id);
    expect(await provider.read(id, outs)).toEqual({});
  });

  it("update of a team deleted outside Pulumi says to refresh", async () => {
    const gateway = fakeLiteLLM(MASTER_KEY);
    const { provider } = providerFor(gateway);
    const { id, outs } = await provider.create(inputs);
    gateway.teams.delete(id);
    await expect(provider.update(id, outs, { ...inputs, rpmLimit: 60 })).rejects.toThrow(/team team-1 \(vision\) no longer exists on the gateway; run `pulumi refresh`/);
  });

  it.each<[string, Partial<GatewayTeamInputs>, string[], string[]]>([
    ["nothing changed", {}, [], []],
    ["models in another order", { models: ["chat-default"] }, [], []],
    ["another gateway replaces the team", { adminUrl: "http://other:4000" }, ["adminUrl"], ["adminUrl"]],
    ["a rotated master key is an update", { masterKey: "sk-rotated-master" }, ["masterKey"], []],
    ["a new name is an update", { teamAlias: "vision-2", keyAlias: "mlops-platform/vision" }, ["teamAlias"], []],
    ["models not known yet count as changed", { models: ["04da6b54-80e4-46f7-96ec-b56ff0331ba9"] }, ["models"], []],
  ])("diff: %s", (_name, change, changed, replaces) => {
    const olds: GatewayTeamOutputs = { ...inputs, keyAlias: "mlops-platform/vision", teamId: "t", apiKey: "sk-k", keyId: "h" };
    expect(diffGatewayTeam(olds, { ...inputs, ...change })).toEqual({ changed, replaces });
  });

  it("check rejects bad values by property, and leaves values not known yet alone", async () => {
    const { provider } = providerFor(fakeLiteLLM(MASTER_KEY));
    const bad = await provider.check({}, { ...inputs, adminUrl: "gateway:4000", budgetDuration: "monthly", keyAlias: "has space", masterKey: "" });
    expect(bad.failures.map((f) => f.property)).toEqual(["adminUrl", "masterKey", "keyAlias", "budgetDuration"]);
    expect(bad.failures[0]!.reason).toBe(`adminUrl: got "gateway:4000"; use the gateway's http(s) URL`);

    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const preview = await provider.check({}, { ...inputs, adminUrl: unknown, masterKey: unknown, teamAlias: unknown, models: [unknown] });
    expect(preview.failures).toEqual([]);
  });
});

describe("GatewayTeam's provider survives Pulumi's serialization from this ESM package", () => {
  const gateway = fakeLiteLLM(MASTER_KEY);
  let server: http.Server;
  let adminUrl = "";
  let serialized: { text: string; containsSecrets: boolean };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        const answer = gateway.answer(req.method!, req.url!, { authorization: req.headers.authorization }, body);
        res.writeHead(answer.status, { "content-type": "application/json" }).end(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body ?? ""));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    adminUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // Serialized in a plain Node process loading the built ESM modules, as `pulumi up` does (this test
    // runner rewrites modules it imports, which would not show what Pulumi sees).
    const pulumiUrl = pathToFileURL(path.join(ROOT, "node_modules/@pulumi/pulumi/index.js")).href;
    const moduleUrl = pathToFileURL(path.join(ROOT, "components/dist/gateway/gateway-team.js")).href;
    const script = [
      `import pulumi from ${JSON.stringify(pulumiUrl)};`,
      `const { gatewayTeamProvider } = await import(${JSON.stringify(moduleUrl)});`,
      "const provider = gatewayTeamProvider();",
      "const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });",
      "process.stdout.write(JSON.stringify({ text: sf.text, containsSecrets: sf.containsSecrets }));",
    ].join("\n");
    serialized = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", maxBuffer: 64 << 20 }));
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("serializes to self-contained code that captures no module and no secret", () => {
    expect(serialized.containsSecrets).toBe(false);
    expect(serialized.text).toMatch(/^exports\.handler = /);
    expect(serialized.text).not.toMatch(/require\(/);
    expect(serialized.text).not.toContain("@pulumi/pulumi");
  });

  it("the deserialized provider, loaded the way Pulumi's dynamic provider host loads it, manages a team over HTTP", async () => {
    // Pulumi's dynamic provider host does exactly this: requireFromString(text).handler().
    const requireFromString = createRequire(import.meta.url)("require-from-string") as (code: string) => { handler: () => ReturnType<typeof gatewayTeamProvider> };
    const provider = requireFromString(serialized.text).handler();

    const { id, outs } = await provider.create({ ...inputs, adminUrl });
    expect(gateway.teams.get(id)).toMatchObject({ team_alias: "vision", max_budget: 250 });
    expect(outs.apiKey).toBe([...gateway.keys.values()][0]!.key);

    const { outs: updated } = await provider.update(id, outs, { ...inputs, adminUrl, maxBudgetUsd: 500 });
    expect(gateway.teams.get(id)).toMatchObject({ max_budget: 500 });
    expect(await provider.read(id, updated)).toMatchObject({ id, props: { maxBudgetUsd: 500 } });

    await provider.delete(id, updated);
    expect(gateway.teams.size).toBe(0);
    await expect(provider.update(id, updated, { ...inputs, adminUrl })).rejects.toThrow(/no longer exists on the gateway/);
  });
});

describe("GatewayTeam in a Pulumi program", () => {
  it("registers the team with the master key secret, asks for its key and master key to be encrypted, and puts the key in the team's namespace as a secret", async () => {
    const secretOutputs = new Map<string, string[]>();
    const result = await capture(
      () => {
        // Records what the engine is asked to encrypt: Pulumi's mocks do not apply it themselves.
        const monitor = pulumi.runtime.getMonitor() as unknown as {
          registerResource(req: { getName(): string; getAdditionalsecretoutputsList(): string[] }, cb: unknown): unknown;
        };
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req, cb) => {
          secretOutputs.set(req.getName(), req.getAdditionalsecretoutputsList());
          return register(req, cb);
        };

        const config = new pulumi.Config("gateway");
        const team = new GatewayTeam("vision", { adminUrl: "http://gateway.test:4000", masterKey: config.require("masterKey"), teamAlias: "vision", maxBudgetUsd: 250, budgetDuration: "30d" });
        gatewayKeySecret("vision", { namespace: "team-vision", apiKey: config.require("teamKey") }, { dependsOn: [team] });
      },
      // Plain config on purpose: both must end up secret without the caller asking.
      { "gateway:masterKey": MASTER_KEY, "gateway:teamKey": "sk-team-vision-key" },
    );
    expect(result.errors).toEqual([]);

    const team = one(result, "pulumi-nodejs:dynamic:GatewayTeam", "vision");
    expect(team.custom).toBe(true);
    expect(team.inputs).toMatchObject({ adminUrl: "http://gateway.test:4000", masterKey: "<secret>", teamAlias: "vision", keyAlias: "mlops-platform/vision", maxBudgetUsd: 250, budgetDuration: "30d" });
    expect(team.plainInputs["masterKey"]).toBe(MASTER_KEY);
    expect(typeof team.inputs["__provider"]).toBe("string");
    expect(JSON.stringify(team.inputs)).not.toContain(MASTER_KEY);
    expect(secretOutputs.get("vision")).toEqual(["apiKey", "masterKey"]);

    const secret = one(result, "kubernetes:core/v1:Secret", "vision-gateway-key");
    // The key makes the whole stringData secret.
    expect(secret.inputs).toMatchObject({ metadata: { name: GATEWAY_KEY_SECRET_NAME, namespace: "team-vision" }, type: "Opaque", stringData: "<secret>" });
    expect(secret.plainInputs["stringData"]).toEqual({ [GATEWAY_KEY_SECRET_KEY]: "sk-team-vision-key" });
    expect(JSON.stringify(secret.inputs)).not.toContain("sk-team-vision-key");
    expect(secretOutputs.get("vision-gateway-key")).toEqual(expect.arrayContaining(["data", "stringData"]));
    expect(secret.dependsOn).toContain(team.urn);
  });

  it("fails when a budget duration has no unit, before registering anything", async () => {
    const result = await capture(() => {
      new GatewayTeam("vision", { adminUrl: "http://gateway.test:4000", masterKey: pulumi.secret(MASTER_KEY), teamAlias: "vision", budgetDuration: "30" });
    });
    expect(result.errors.map((e) => e.message).join("\n")).toContain(
      'mlops-platform:index:GatewayTeam "vision": budgetDuration: got "30"; use a count and a unit (s, m, h, d, w, mo), e.g. "30d"',
    );
    expect(result.resources.filter((r) => r.type.startsWith("pulumi-nodejs:"))).toEqual([]);
  });

  it("fails when the master key is empty, without printing any key", async () => {
    const result = await capture(() => {
      new GatewayTeam("vision", { adminUrl: "http://gateway.test:4000", masterKey: "", teamAlias: "vision" });
    });
    expect(result.errors.map((e) => e.message).join("\n")).toContain(`masterKey: got ""; pass the gateway's master key`);
  });
});
