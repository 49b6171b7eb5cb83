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
  const gatewayConfig = object("core/v1", "ConfigMap", "ai-gateway-config", "mlp-gateway", {
    metadata: { name: "ai-gateway-config", namespace: "mlp-gateway", annotations: { "mlops-platform.io/models-without-fallback": "" } },
  });
  const budgeted = (name: string, budget?: string) =>
    resource("kubernetes:core/v1:Namespace", name, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name, annotations: budget === undefined ? {} : { "mlops-platform.io/gateway-monthly-budget-usd": budget } },
    });

  it("fails for a team without a gateway budget when the stack runs the gateway", () => {
    expect(messagesOf("gateway-team-budgets", [gatewayConfig, budgeted("team-vision", "500"), budgeted("team-nlp")])).toEqual([
      'team namespace "team-nlp" has no monthly gateway budget: set teams[].gateway.monthlyBudgetUsd for team "nlp"',
    ]);
  });

  it("passes with budgets everywhere, or without a gateway, and is advisory in dev", () => {
    expect(messagesOf("gateway-team-budgets", [gatewayConfig, budgeted("team-vision", "500")])).toEqual([]);
    expect(messagesOf("gateway-team-budgets", [budgeted("team-nlp")])).toEqual([]);
    expect(violationsOf("gateway-team-budgets", [gatewayConfig, budgeted("team-nlp")], "dev").map((v) => v.enforcementLevel)).toEqual(["advisory"]);
  });
});
