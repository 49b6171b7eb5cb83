import { describe, expect, it } from "vitest";
import { GatewayProvider, GatewayTeamReconciler, type GatewayTeamReconcilerArgs } from "@mlops-platform/components";
import {
  desiredGatewayTeams,
  gatewayFromReconcilerNetworkPolicy,
  gatewayNetworkPolicy,
  LITELLM_IMAGE,
  planAiGateway,
  planGatewayTeamReconciler,
  reconcilerCronJob,
  reconcilerJob,
  reconcilerNetworkPolicy,
  reconcilerRole,
  reconcilerRoleBinding,
  reconcilerScriptConfigMap,
  reconcilerServiceAccount,
  reconcilerTeamsConfigMap,
  TEAM_RECONCILER_SCRIPT,
  valkeyNetworkPolicy,
  type GatewayTeamReconcilerPlan,
} from "@mlops-platform/components/internal";
import { isConnectionAllowed, type NetworkPolicyObject } from "@mlops-platform/components/testing";
import { capture, ofType, one } from "../../helpers.js";

const args: GatewayTeamReconcilerArgs = {
  namespace: "mlp-gateway",
  teams: [
    { name: "vision", namespace: "team-vision", models: ["chat-default"], maxBudgetUsd: 200, rpmLimit: 600 },
    { name: "nlp", namespace: "team-nlp", maxBudgetUsd: 500, budgetDuration: "1mo", tpmLimit: 100_000 },
  ],
};
const plan = (overrides: Partial<GatewayTeamReconcilerArgs> = {}): GatewayTeamReconcilerPlan => planGatewayTeamReconciler("teams", { ...args, ...overrides });

const RECONCILER_POD = { namespace: "mlp-gateway", labels: { "app.kubernetes.io/name": "ai-gateway-team-reconciler" } };
const GATEWAY_POD = { namespace: "mlp-gateway", labels: { "app.kubernetes.io/name": "ai-gateway" } };

describe("GatewayTeamReconciler's plan", () => {
  it("gives each team its key alias, a 30-day budget period when it has a budget, every model when it names none, and runs in the gateway's image every 15 minutes", () => {
    expect(plan()).toEqual({
      namespace: "mlp-gateway",
      image: LITELLM_IMAGE,
      schedule: "*/15 * * * *",
      teams: [
        { name: "vision", namespace: "team-vision", keyAlias: "mlops-platform/vision", models: ["chat-default"], maxBudgetUsd: 200, budgetDuration: "30d", rpmLimit: 600 },
        { name: "nlp", namespace: "team-nlp", keyAlias: "mlops-platform/nlp", models: [], maxBudgetUsd: 500, budgetDuration: "1mo", tpmLimit: 100_000 },
      ],
    });
    expect(plan({ teams: [{ name: "free", namespace: "team-free" }] }).teams).toEqual([{ name: "free", namespace: "team-free", keyAlias: "mlops-platform/free", models: [] }]);
  });

  it.each<[string, Partial<GatewayTeamReconcilerArgs>, string]>([
    ["the namespace is not a name", { namespace: "MLP" }, 'namespace: got "MLP"; use the gateway\'s namespace name'],
    ["a team's name is not a DNS label", { teams: [{ name: "Vision Team", namespace: "team-vision" }] }, 'teams[0].name: got "Vision Team"; use a DNS label'],
    ["a team is listed twice", { teams: [{ name: "a", namespace: "team-a" }, { name: "a", namespace: "team-b" }] }, 'teams[1].name: got "a"; list each team once'],
    ["a team's namespace is not a name", { teams: [{ name: "a", namespace: "team_a" }] }, 'teams[0].namespace: got "team_a"; use the team\'s namespace name'],
    ["a budget is negative", { teams: [{ name: "a", namespace: "team-a", maxBudgetUsd: -1 }] }, "teams[0].maxBudgetUsd: got -1; use a dollar amount of 0 or more"],
    ["a budget period has no unit", { teams: [{ name: "a", namespace: "team-a", maxBudgetUsd: 1, budgetDuration: "30" }] }, 'teams[0].budgetDuration: got "30"; use a count and a unit'],
    ["a limit is not a whole number", { teams: [{ name: "a", namespace: "team-a", rpmLimit: 1.5 }] }, "teams[0].rpmLimit: got 1.5; use a whole number above 0"],
    ["the image is not pinned", { image: "ghcr.io/berriai/litellm:latest" }, 'image: got "ghcr.io/berriai/litellm:latest"; pin the image'],
    ["the schedule has six fields", { schedule: "0 */15 * * * *" }, 'schedule: got "0 */15 * * * *"; use crontab\'s five fields'],
    ["the schedule's minute is out of range", { schedule: "75 * * * *" }, 'schedule: got "75 * * * *"; use crontab\'s five fields: minutes "75" is outside 0-59'],
  ])("fails when %s", (_case, overrides, message) => {
    expect(() => plan(overrides)).toThrow(message);
  });

  it("fails with every problem at once", () => {
    expect(() => plan({ namespace: "", image: "x:latest", teams: [{ name: "", namespace: "" }] })).toThrow(/namespace[\s\S]*teams\[0\]\.name[\s\S]*teams\[0\]\.namespace[\s\S]*image/);
  });
});

describe("GatewayTeamReconciler's objects", () => {
  it("in each team's namespace, lets the reconciler get, create and patch the team's key Secret and nothing else", () => {
    const role = reconcilerRole("team-vision");
    expect(role.metadata?.namespace).toBe("team-vision");
    expect(role.rules).toEqual([{ apiGroups: [""], resources: ["secrets"], resourceNames: ["ai-gateway-key"], verbs: ["get", "create", "patch"] }]);
    const binding = reconcilerRoleBinding(plan(), "team-vision");
    const account = reconcilerServiceAccount(plan());
    expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata?.name });
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: account.metadata?.name, namespace: "mlp-gateway" }]);
  });

  it("runs the shipped script with the desired teams, the gateway's URL and the master key from the gateway's own Secret", () => {
    const p = plan();
    const pod = reconcilerJob(p).spec!.template.spec!;
    const container = pod.containers[0]!;
    expect(pod.serviceAccountName).toBe(reconcilerServiceAccount(p).metadata?.name);
    expect(container.image).toBe(LITELLM_IMAGE);
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toEqual({
      GATEWAY_URL: "http://ai-gateway.mlp-gateway.svc:4000",
      LITELLM_MASTER_KEY: { secretKeyRef: { name: "ai-gateway-env", key: "LITELLM_MASTER_KEY" } },
      TEAMS_FILE: "/etc/gateway-teams/teams.json",
      PYTHONDONTWRITEBYTECODE: "1",
    });
    // The command runs the script from its ConfigMap; the teams file is the teams ConfigMap's key.
    const mountOf = (configMap: string) => {
      const volume = pod.volumes!.find((v) => v.configMap?.name === configMap)!;
      return container.volumeMounts!.find((m) => m.name === volume.name)!.mountPath;
    };
    const [scriptKey] = Object.keys(reconcilerScriptConfigMap(p).data!);
    expect(container.command).toEqual(["python3", `${mountOf(reconcilerScriptConfigMap(p).metadata!.name!)}/${scriptKey}`]);
    expect(env["TEAMS_FILE"]).toBe(`${mountOf(reconcilerTeamsConfigMap(p).metadata!.name!)}/teams.json`);
    expect(reconcilerScriptConfigMap(p).data![scriptKey!]).toBe(TEAM_RECONCILER_SCRIPT);
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(pod.restartPolicy).toBe("Never");
  });

  it("writes the desired teams, and where their keys go, with no secret in them", () => {
    const configMap = reconcilerTeamsConfigMap(plan());
    expect(configMap.metadata?.labels?.["mlops-platform.io/gateway-teams"]).toBe("desired");
    expect(JSON.parse(configMap.data!["teams.json"]!)).toEqual(desiredGatewayTeams(plan()));
    expect(desiredGatewayTeams(plan()).keySecret).toEqual({ name: "ai-gateway-key", key: "api-key", labels: { "app.kubernetes.io/managed-by": "mlops-platform", "app.kubernetes.io/component": "ai-gateway" } });
    expect(configMap.data!["teams.json"]).not.toMatch(/sk-/);
  });

  it("names the Job after the desired teams: a changed budget is a new run, an unchanged stack keeps the finished one", () => {
    const name = (p: GatewayTeamReconcilerPlan) => reconcilerJob(p).metadata?.name;
    expect(name(plan())).toMatch(/^ai-gateway-teams-[0-9a-f]+$/);
    expect(name(plan())).toBe(name(plan()));
    expect(name(plan({ teams: [{ ...args.teams[0]!, maxBudgetUsd: 250 }, args.teams[1]!] }))).not.toBe(name(plan()));
    // The healing run does not depend on the teams: it reads the ConfigMap when it runs.
    expect(reconcilerCronJob(plan({ teams: [] })).metadata?.name).toBe(reconcilerCronJob(plan()).metadata?.name);
  });

  it("heals every 15 minutes with the same pod as the Job, never two runs at once", () => {
    const cron = reconcilerCronJob(plan()).spec!;
    expect(cron.schedule).toBe("*/15 * * * *");
    expect(cron.concurrencyPolicy).toBe("Forbid");
    expect(cron.jobTemplate.spec).toEqual(reconcilerJob(plan()).spec);
  });

  it.each([
    ["the reconciler reaches the gateway's port", RECONCILER_POD, GATEWAY_POD, 4000, true],
    ["the reconciler reaches the Kubernetes API", RECONCILER_POD, { ip: "10.96.0.1" }, 443, true],
    ["the reconciler does not reach Valkey", RECONCILER_POD, { namespace: "mlp-gateway", labels: { "app.kubernetes.io/name": "ai-gateway-valkey" } }, 6379, false],
    ["the reconciler does not reach team pods", RECONCILER_POD, { namespace: "team-vision", labels: {} }, 8888, false],
    ["no team pod reaches the reconciler", { namespace: "team-vision", labels: {} }, RECONCILER_POD, 8080, false],
    ["team pods still reach the gateway", { namespace: "team-vision", labels: {} }, GATEWAY_POD, 4000, true],
    ["other pods of the gateway's namespace do not reach it", { namespace: "mlp-gateway", labels: { app: "other" } }, GATEWAY_POD, 4000, false],
  ])("network: %s", (_case, from, to, port, allowed) => {
    const gateway = planAiGateway("gateway", { namespace: "mlp-gateway", models: [{ name: "chat", provider: GatewayProvider.Ollama, model: "m", apiBase: "http://ollama:11434" }], clientNamespaces: ["team-vision"] });
    const policies = [gatewayNetworkPolicy(gateway), valkeyNetworkPolicy(gateway), reconcilerNetworkPolicy(plan()), gatewayFromReconcilerNetworkPolicy(plan())] as unknown as NetworkPolicyObject[];
    expect(isConnectionAllowed(policies, {}, { from, to, port })).toBe(allowed);
  });
});

describe("GatewayTeamReconciler in a Pulumi program", () => {
  it("creates its objects, with the Job and CronJob after the access they need", async () => {
    const result = await capture(() => new GatewayTeamReconciler("teams", args));
    expect(result.errors).toEqual([]);
    const job = one(result, "kubernetes:batch/v1:Job", "teams-run");
    const cron = one(result, "kubernetes:batch/v1:CronJob", "teams-heal");
    const needed = [
      one(result, "kubernetes:core/v1:ServiceAccount", "teams-account"),
      one(result, "kubernetes:core/v1:ConfigMap", "teams-teams"),
      one(result, "kubernetes:core/v1:ConfigMap", "teams-script"),
      ...ofType(result, "kubernetes:rbac.authorization.k8s.io/v1:Role"),
      ...ofType(result, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding"),
      ...ofType(result, "kubernetes:networking.k8s.io/v1:NetworkPolicy"),
    ].map((r) => r.urn);
    expect(needed).toHaveLength(9);
    for (const dependent of [job, cron]) expect(dependent.dependsOn).toEqual(expect.arrayContaining(needed));
    expect(ofType(result, "kubernetes:rbac.authorization.k8s.io/v1:Role").map((r) => (r.inputs["metadata"] as { namespace: string }).namespace).sort()).toEqual(["team-nlp", "team-vision"]);
    expect(one(result, "mlops-platform:index:GatewayTeamReconciler", "teams").outputs["jobName"]).toBe(reconcilerJob(plan()).metadata?.name);
  });

  it("fails on a bad argument before creating anything", async () => {
    const result = await capture(() => new GatewayTeamReconciler("teams", { ...args, schedule: "hourly" }));
    expect(result.errors.map((e) => e.message).join("\n")).toContain('mlops-platform:index:GatewayTeamReconciler "teams": schedule: got "hourly"');
    expect(result.resources.filter((r) => r.type.startsWith("kubernetes:"))).toEqual([]);
  });
});
