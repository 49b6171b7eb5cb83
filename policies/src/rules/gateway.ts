/**
 * AI gateway rules: every model has a fallback, and every team on the gateway has a monthly budget. They
 * read what the components write (an annotation, the desired teams' JSON), so they need no gateway config
 * parser.
 */
import { resourceRule } from "../enforcement.js";
import { asString, dig, isKind } from "../kubernetes.js";
import { ADVISORY_UNTIL_STAGING } from "./common.js";

// ---------------------------------------------------------------------------------------------------
// gateway-fallbacks

/** The annotation the AI gateway writes on its ConfigMap (components/src/gateway/ai-gateway.ts). */
export const MODELS_WITHOUT_FALLBACK_ANNOTATION = "mlops-platform.io/models-without-fallback";

/** Every model the AI gateway serves has a fallback, so one provider's outage is not the platform's. */
export const gatewayFallbacks = resourceRule({
  id: "gateway-fallbacks",
  description: "Every model the AI gateway serves names a fallback model.",
  remediationSteps: "Add fallbacks: [<another model>] to each gateway.models entry in the stack file.",
  // A model without a fallback is an outage when its provider has one; only production must not have any.
  enforcement: { local: "advisory", dev: "advisory", staging: "advisory", prod: "mandatory" },
  settings: [],
  check({ type, props }, _settings, report) {
    if (!isKind(type, "core", "ConfigMap")) return;
    const missing = asString(dig(props, "metadata", "annotations", MODELS_WITHOUT_FALLBACK_ANNOTATION));
    if (!missing) return;
    report(`gateway models without a fallback: ${missing.split(",").join(", ")}: add fallbacks: [<another model>] to each in gateway.models`);
  },
});

// ---------------------------------------------------------------------------------------------------
// gateway-team-budgets

/** The label of the ConfigMap holding the gateway's desired teams (components/src/gateway/team-reconciler-manifests.ts). */
export const DESIRED_GATEWAY_TEAMS_LABEL = "mlops-platform.io/gateway-teams";
/** The key of the desired teams (JSON) in that ConfigMap. */
export const DESIRED_GATEWAY_TEAMS_KEY = "teams.json";
/** Type token of the GatewayTeam dynamic resource (a team managed from where Pulumi runs). */
const GATEWAY_TEAM_TYPE = "pulumi-nodejs:dynamic:GatewayTeam";

const SET_BUDGET = "set teams[].gateway.monthlyBudgetUsd for it, or gateway.defaultTeamMonthlyBudgetUsd for every team without one";

function hasBudget(value: unknown): boolean {
  return typeof value === "number" && value > 0;
}

/**
 * Every team the gateway has gets a monthly budget: no open-ended LLM spend. It reads what the gateway's
 * teams are made from: the desired teams the in-cluster reconciler applies (its ConfigMap), and each
 * GatewayTeam resource.
 */
export const gatewayTeamBudgets = resourceRule({
  id: "gateway-team-budgets",
  description: "Every team on the AI gateway has a monthly budget.",
  remediationSteps: "Set teams[].gateway.monthlyBudgetUsd for every team in the stack file, or gateway.defaultTeamMonthlyBudgetUsd for those without one.",
  enforcement: ADVISORY_UNTIL_STAGING,
  settings: [],
  check({ type, props }, _settings, report) {
    if (type === GATEWAY_TEAM_TYPE) {
      if (!hasBudget(props["maxBudgetUsd"])) report(`gateway team "${asString(props["teamAlias"]) ?? "?"}" has no budget (maxBudgetUsd): ${SET_BUDGET}`);
      return;
    }
    if (!isKind(type, "core", "ConfigMap") || dig(props, "metadata", "labels", DESIRED_GATEWAY_TEAMS_LABEL) === undefined) return;
    let teams: unknown;
    try {
      teams = dig(JSON.parse(asString(dig(props, "data", DESIRED_GATEWAY_TEAMS_KEY)) ?? ""), "teams");
    } catch {
      // The render masks nothing here; unreadable data is reported, not skipped.
    }
    if (!Array.isArray(teams)) {
      report(`the gateway's desired teams (data.${DESIRED_GATEWAY_TEAMS_KEY}) cannot be read: expected JSON with a teams list`);
      return;
    }
    for (const team of teams) {
      const name = asString(dig(team, "name")) ?? "?";
      if (!hasBudget(dig(team, "maxBudgetUsd"))) report(`gateway team "${name}" has no monthly budget: ${SET_BUDGET}`);
    }
  },
});
