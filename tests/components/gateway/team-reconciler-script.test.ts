/**
 * The team reconciler's logic, for real: the Python script the ConfigMap ships, run by a real Python against
 * the testing kit's in-memory LiteLLM admin API (over HTTP) and a fake Kubernetes API, with the desired teams
 * the component writes.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { GatewayTeamReconcilerTeamArgs } from "@mlops-platform/components";
import { desiredGatewayTeamsJson, planGatewayTeamReconciler } from "@mlops-platform/components/internal";
import { fakeLiteLLM, sha256Hex, type FakeLiteLLM } from "@mlops-platform/components/testing";
import { requireTool } from "../../helpers.js";
import { runReconciler, serveFakeLiteLLM, startFakeKubernetes, tokenFile, writeReconcilerScript, type FakeKubernetes, type ReconcilerRun } from "./team-reconciler-harness.js";

const python = requireTool("python3", "apt-get install python3");
const MASTER_KEY = "sk-master-key-for-the-reconciler-0123";

const vision: GatewayTeamReconcilerTeamArgs = { name: "vision", namespace: "team-vision", models: ["chat-default"], maxBudgetUsd: 200, rpmLimit: 600 };
const nlp: GatewayTeamReconcilerTeamArgs = { name: "nlp", namespace: "team-nlp", maxBudgetUsd: 500, tpmLimit: 100_000 };
const teamsJson = (teams: GatewayTeamReconcilerTeamArgs[]) => desiredGatewayTeamsJson(planGatewayTeamReconciler("teams", { namespace: "mlp-gateway", teams }));

/** Every key the gateway ever issued, and the master key: none may appear in what the script prints. */
function keysOf(gateway: FakeLiteLLM, issued: Set<string>): string[] {
  for (const row of gateway.keys.values()) issued.add(row.key);
  return [MASTER_KEY, ...issued];
}

const keyIn = (kube: FakeKubernetes, namespace: string) => {
  const data = kube.secrets.get(`${namespace}/ai-gateway-key`)?.data?.["api-key"];
  return data === undefined ? undefined : Buffer.from(data, "base64").toString();
};

describe.skipIf(!python)("the team reconciler script, against the in-memory LiteLLM admin API and a fake Kubernetes API", () => {
  let gateway: FakeLiteLLM;
  let gatewayServer: { url: string; close(): Promise<void> };
  let kube: FakeKubernetes;
  let script: string;
  let token: string;
  const issued = new Set<string>();
  const runs: ReconcilerRun[] = [];

  beforeAll(() => {
    script = writeReconcilerScript();
  });

  const start = async () => {
    gateway = fakeLiteLLM(MASTER_KEY);
    gatewayServer = await serveFakeLiteLLM(gateway);
    kube = await startFakeKubernetes();
    token = tokenFile(fs.mkdtempSync(path.join(os.tmpdir(), "mlp-token-")), kube.token);
  };

  afterEach(async () => {
    // Whatever a run printed, no key is in it.
    for (const run of runs.splice(0)) for (const key of keysOf(gateway, issued)) expect(run.output).not.toContain(key);
    await gatewayServer?.close();
    await kube?.close();
  });

  afterAll(() => fs.rmSync(path.dirname(script), { recursive: true, force: true }));

  const reconcile = async (teams: GatewayTeamReconcilerTeamArgs[], env: Record<string, string> = {}) => {
    const run = await runReconciler(python!, script, teamsJson(teams), {
      GATEWAY_URL: gatewayServer.url,
      LITELLM_MASTER_KEY: MASTER_KEY,
      KUBE_API_URL: kube.url,
      KUBE_TOKEN_FILE: token,
      ...env,
    });
    runs.push(run);
    keysOf(gateway, issued);
    return run;
  };
  const teamNamed = (alias: string) => [...gateway.teams.values()].find((team) => team.team_alias === alias);
  const writes = () => gateway.calls.filter((call) => call.method !== "GET");

  it("creates each team with its models, budget and limits, issues its key and stores it in the team's Secret", async () => {
    await start();
    const run = await reconcile([vision, nlp]);

    expect(run.code, run.output).toBe(0);
    expect(teamNamed("vision")).toMatchObject({ models: ["chat-default"], max_budget: 200, budget_duration: "30d", rpm_limit: 600, tpm_limit: null, metadata: { managed_by: "mlops-platform" } });
    expect(teamNamed("nlp")).toMatchObject({ models: [], max_budget: 500, budget_duration: "30d", tpm_limit: 100_000, rpm_limit: null });
    for (const [team, namespace] of [["vision", "team-vision"], ["nlp", "team-nlp"]] as const) {
      const key = keyIn(kube, namespace)!;
      expect(gateway.keys.get(sha256Hex(key))).toEqual({ key, keyAlias: `mlops-platform/${team}`, teamId: teamNamed(team)!.team_id });
      expect(kube.secrets.get(`${namespace}/ai-gateway-key`)).toMatchObject({
        metadata: { labels: { "app.kubernetes.io/managed-by": "mlops-platform" }, managedFields: [{ manager: "mlops-platform-gateway-teams", operation: "Apply" }] },
        type: "Opaque",
      });
    }
    expect(run.stdout).toContain("team vision: created");
    expect(run.stdout).toContain("team vision: issued a new key into Secret team-vision/ai-gateway-key (it had no key)");
    expect(run.stdout).toContain("teams: 2 created, 0 updated, 0 unchanged, 0 deleted; keys: 2 issued, 0 kept");
    // The key is looked up by its hash, never sent in a URL.
    for (const call of gateway.calls.filter((c) => c.path === "/key/info")) expect(call.query["key"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("a second run with nothing changed changes nothing", async () => {
    await start();
    await reconcile([vision, nlp]);
    const [gatewayWrites, kubeCalls, keys] = [writes().length, kube.calls.length, [keyIn(kube, "team-vision"), keyIn(kube, "team-nlp")]];

    const run = await reconcile([vision, nlp]);

    expect(run.code, run.output).toBe(0);
    expect(writes().length).toBe(gatewayWrites);
    expect(kube.calls.slice(kubeCalls).map((call) => call.method)).toEqual(["GET", "GET"]);
    expect([keyIn(kube, "team-vision"), keyIn(kube, "team-nlp")]).toEqual(keys);
    expect(run.stdout.trim()).toBe("teams: 0 created, 0 updated, 2 unchanged, 0 deleted; keys: 0 issued, 2 kept");
  });

  it("updates a team's models, budget and limits in place and keeps its key", async () => {
    await start();
    await reconcile([vision]);
    const { team_id: teamId } = teamNamed("vision")!;
    const key = keyIn(kube, "team-vision");

    const run = await reconcile([{ name: "vision", namespace: "team-vision", models: ["chat-default", "embed-default"], maxBudgetUsd: 300, tpmLimit: 50_000 }]);

    expect(run.code, run.output).toBe(0);
    expect(gateway.teams.size).toBe(1);
    // A limit removed from the stack is cleared, not kept.
    expect(teamNamed("vision")).toMatchObject({ team_id: teamId, models: ["chat-default", "embed-default"], max_budget: 300, tpm_limit: 50_000, rpm_limit: null });
    expect(run.stdout).toContain('team vision: updated: max_budget 200 -> 300; models ["chat-default"] -> ["chat-default", "embed-default"]; rpm_limit 600 -> null; tpm_limit null -> 50000');
    expect(keyIn(kube, "team-vision")).toBe(key);
    expect(gateway.calls.filter((c) => c.path === "/key/generate")).toHaveLength(1);
  });

  it("deletes a team it created once the team is no longer listed, with its keys, and leaves other teams alone", async () => {
    await start();
    gateway.teams.set("by-hand", { team_id: "by-hand", team_alias: "research", models: [] });
    await reconcile([vision, nlp]);
    const nlpKey = keyIn(kube, "team-nlp")!;

    const run = await reconcile([vision]);

    expect(run.code, run.output).toBe(0);
    expect([...gateway.teams.values()].map((team) => team.team_alias).sort()).toEqual(["research", "vision"]);
    expect(gateway.keys.has(sha256Hex(nlpKey))).toBe(false);
    expect(run.stdout).toMatch(/team nlp: deleted \(team-\d+\), with its keys/);
  });

  it("after a LiteLLM database reset, creates the teams again and issues new keys in place of the lost ones", async () => {
    await start();
    await reconcile([vision, nlp]);
    const lost = keyIn(kube, "team-vision")!;
    gateway.teams.clear();
    gateway.keys.clear();
    gateway.deletedKeys.clear();

    const run = await reconcile([vision, nlp]);

    expect(run.code, run.output).toBe(0);
    expect([...gateway.teams.values()].map((team) => team.team_alias).sort()).toEqual(["nlp", "vision"]);
    const key = keyIn(kube, "team-vision")!;
    expect(key).not.toBe(lost);
    expect(gateway.keys.get(sha256Hex(key))).toMatchObject({ teamId: teamNamed("vision")!.team_id });
    expect(run.stdout).toContain("team vision: issued a new key into Secret team-vision/ai-gateway-key (its key is unknown to the gateway: the gateway's database was reset");
    expect(run.stdout).toContain("teams: 2 created, 0 updated, 0 unchanged, 0 deleted; keys: 2 issued, 0 kept");
  });

  it("rotates a key whose Secret was deleted: a new key, and the old one revoked", async () => {
    await start();
    await reconcile([vision]);
    const old = keyIn(kube, "team-vision")!;
    kube.secrets.delete("team-vision/ai-gateway-key");

    const run = await reconcile([vision]);

    expect(run.code, run.output).toBe(0);
    const key = keyIn(kube, "team-vision")!;
    expect(key).not.toBe(old);
    expect([...gateway.keys.values()].map((row) => row.key)).toEqual([key]);
  });

  it("replaces a key an admin deleted on the gateway", async () => {
    await start();
    await reconcile([vision]);
    const revoked = keyIn(kube, "team-vision")!;
    const deleted = gateway.answer("POST", "/key/delete", { authorization: `Bearer ${MASTER_KEY}` }, JSON.stringify({ keys: [sha256Hex(revoked)] }));
    expect(deleted.status).toBe(200);

    const run = await reconcile([vision]);

    expect(run.code, run.output).toBe(0);
    expect(run.stdout).toContain("team vision: issued a new key into Secret team-vision/ai-gateway-key (its key is deleted)");
    const key = keyIn(kube, "team-vision")!;
    expect(key).not.toBe(revoked);
    expect(gateway.keys.get(sha256Hex(key))).toMatchObject({ teamId: teamNamed("vision")!.team_id });
  });

  it("replaces and revokes a key that belongs to another team (copied into the wrong Secret)", async () => {
    await start();
    await reconcile([vision, nlp]);
    const nlpKey = keyIn(kube, "team-nlp")!;
    kube.secrets.get("team-vision/ai-gateway-key")!.data!["api-key"] = Buffer.from(nlpKey).toString("base64");

    const run = await reconcile([vision, nlp]);

    expect(run.code, run.output).toBe(0);
    expect(run.stdout).toContain("team vision: issued a new key into Secret team-vision/ai-gateway-key (its key belongs to another team)");
    // The copied key is out in the open: revoked, and its own team gets a new one.
    expect(gateway.keys.has(sha256Hex(nlpKey))).toBe(false);
    for (const [team, namespace] of [["vision", "team-vision"], ["nlp", "team-nlp"]] as const) {
      expect(gateway.keys.get(sha256Hex(keyIn(kube, namespace)!))?.teamId).toBe(teamNamed(team)!.team_id);
    }
  });

  it("adopts a team of the same name made outside the platform instead of making a second one", async () => {
    await start();
    gateway.teams.set("made-by-hand", { team_id: "made-by-hand", team_alias: "vision", models: [], max_budget: null });

    const run = await reconcile([vision]);

    expect(run.code, run.output).toBe(0);
    expect(gateway.teams.size).toBe(1);
    expect(gateway.teams.get("made-by-hand")).toMatchObject({ max_budget: 200, metadata: { managed_by: "mlops-platform" } });
    expect(run.stdout).toContain("team vision: updated: ");
    expect(run.stdout).toContain("adopted");
  });

  it("fails for a team whose namespace it may not write, names the Role, and still reconciles the others", async () => {
    await start();
    kube.forbid("team-nlp");

    const run = await reconcile([vision, nlp]);

    expect(run.code).toBe(1);
    expect(keyIn(kube, "team-vision")).toBeDefined();
    expect(run.stdout).toContain(
      'error: team nlp: GET /api/v1/namespaces/team-nlp/secrets/ai-gateway-key: HTTP 403: secrets "ai-gateway-key" is forbidden: User "system:serviceaccount:mlp-gateway:ai-gateway-team-reconciler" cannot get resource "secrets" in API group "" in the namespace "team-nlp" (the reconciler\'s Role in team-nlp lets it get, create and patch the Secret ai-gateway-key only)',
    );
  });

  it("fails with the gateway's own message when the master key is wrong, without printing either key", async () => {
    await start();
    const run = await reconcile([vision], { LITELLM_MASTER_KEY: "sk-not-the-master-key-42" });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain("error: GET /team/list: HTTP 401: Authentication Error, Invalid proxy server token passed.");
    expect(run.output).not.toContain("sk-not-the-master-key-42");
    expect(gateway.calls.filter((call) => call.path === "/team/list")).toHaveLength(1);
  });

  it("retries a gateway that answers 503, then carries on", async () => {
    await start();
    let failures = 1;
    gateway.intercept((call) => (call.path === "/team/list" && failures-- > 0 ? { status: 503, body: { error: { message: "busy" } } } : undefined));

    const run = await reconcile([vision]);

    expect(run.code, run.output).toBe(0);
    expect(gateway.calls.filter((call) => call.path === "/team/list")).toHaveLength(2);
  });

  it("stops, saying so, when the gateway never becomes ready", async () => {
    await start();
    const run = await reconcile([vision], { GATEWAY_URL: "http://127.0.0.1:9" });

    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^error: GET \/health\/readiness: could not reach the server: the gateway did not become ready: could not reach it/m);
  });

  it("stops, saying so, when the desired teams cannot be read", async () => {
    await start();
    const run = await reconcile([vision], { TEAMS_FILE: "/nonexistent/teams.json" });

    expect(run.code).toBe(2);
    expect(run.stdout).toContain("error: the desired teams in /nonexistent/teams.json cannot be read");
    expect(gateway.calls).toEqual([]);
  });
});
