import { describe, expect, it } from "vitest";
import { messagesOf, object, resource, violationsOf } from "../fixtures.js";

describe("gateway-fallbacks", () => {
  const gatewayConfig = (withoutFallback: string) =>
    object("core/v1", "ConfigMap", "ai-gateway-config", "mlp-gateway", {
      metadata: { name: "ai-gateway-config", namespace: "mlp-gateway", annotations: { "mlops-platform.io/models-without-fallback": withoutFallback } },
      data: { "config.yaml": "model_list: []" },
    });

  it("fails in prod for models without a fallback, naming them", () => {
    expect(messagesOf("gateway-fallbacks", [gatewayConfig("embed-default,chat-x")])).toEqual([
      "gateway models without a fallback: embed-default, chat-x: add fallbacks: [<another model>] to each in gateway.models",
    ]);
  });

  it("passes when every model has one, and only advises outside prod", () => {
    expect(messagesOf("gateway-fallbacks", [gatewayConfig("")])).toEqual([]);
    expect(violationsOf("gateway-fallbacks", [gatewayConfig("a")], "staging").map((v) => v.enforcementLevel)).toEqual(["advisory"]);
  });
});

describe("gateway-team-budgets", () => {
  const desiredTeams = (teams: Array<Record<string, unknown>>, data?: string) =>
    object("core/v1", "ConfigMap", "ai-gateway-teams", "mlp-gateway", {
      metadata: { name: "ai-gateway-teams", namespace: "mlp-gateway", labels: { "mlops-platform.io/gateway-teams": "desired" } },
      data: { "teams.json": data ?? JSON.stringify({ keySecret: { name: "ai-gateway-key", key: "api-key" }, teams }) },
    });
  const gatewayTeam = (teamAlias: string, maxBudgetUsd?: number) =>
    resource("pulumi-nodejs:dynamic:GatewayTeam", `mlops-gateway-team-${teamAlias}`, { teamAlias, ...(maxBudgetUsd === undefined ? {} : { maxBudgetUsd }) });

  it("fails for a team the in-cluster reconciler would create without a budget, naming it", () => {
    const teams = [
      { name: "vision", namespace: "team-vision", maxBudgetUsd: 500 },
      { name: "nlp", namespace: "team-nlp" },
      { name: "free", namespace: "team-free", maxBudgetUsd: 0 },
    ];
    expect(messagesOf("gateway-team-budgets", [desiredTeams(teams)])).toEqual([
      'gateway team "free" has no monthly budget: set teams[].gateway.monthlyBudgetUsd for it, or gateway.defaultTeamMonthlyBudgetUsd for every team without one',
      'gateway team "nlp" has no monthly budget: set teams[].gateway.monthlyBudgetUsd for it, or gateway.defaultTeamMonthlyBudgetUsd for every team without one',
    ]);
  });

  it("fails for a GatewayTeam without a budget", () => {
    expect(messagesOf("gateway-team-budgets", [gatewayTeam("vision", 100), gatewayTeam("nlp")])).toEqual([
      'gateway team "nlp" has no budget (maxBudgetUsd): set teams[].gateway.monthlyBudgetUsd for it, or gateway.defaultTeamMonthlyBudgetUsd for every team without one',
    ]);
  });

  it("fails when the desired teams cannot be read rather than passing them", () => {
    expect(messagesOf("gateway-team-budgets", [desiredTeams([], "<masked>")])).toEqual([
      "the gateway's desired teams (data.teams.json) cannot be read: expected JSON with a teams list",
    ]);
  });

  it("passes with budgets everywhere, reads no other ConfigMap, and is advisory in dev", () => {
    expect(messagesOf("gateway-team-budgets", [desiredTeams([{ name: "vision", maxBudgetUsd: 500 }])])).toEqual([]);
    const unlabelled = object("core/v1", "ConfigMap", "teams", "elsewhere", { metadata: { name: "teams" }, data: { "teams.json": '{"teams":[{"name":"x"}]}' } });
    expect(messagesOf("gateway-team-budgets", [unlabelled])).toEqual([]);
    expect(violationsOf("gateway-team-budgets", [desiredTeams([{ name: "nlp" }])], "dev").map((v) => v.enforcementLevel)).toEqual(["advisory"]);
  });
});
