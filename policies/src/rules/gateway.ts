/**
 * AI gateway rules: every model has a fallback, and with a gateway in the stack every team has a monthly
 * budget. Both read annotations the components write, so they need no gateway config parser.
 */
import { resourceRule, stackRule } from "../enforcement.js";
import { asString, dig, isKind, objectNameOf } from "../kubernetes.js";
import { ADVISORY_UNTIL_STAGING } from "./common.js";
import { isTeamNamespace } from "./tenancy.js";

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

/** The annotation a team namespace carries with its monthly gateway budget (components/src/platform/ml-platform.ts writes it). */
export const GATEWAY_BUDGET_ANNOTATION = "mlops-platform.io/gateway-monthly-budget-usd";

/** With an AI gateway in the stack, every team has a monthly gateway budget: no open-ended LLM spend. */
export const gatewayTeamBudgets = stackRule({
  id: "gateway-team-budgets",
  description: "When the stack runs the AI gateway, every team namespace carries a monthly gateway budget.",
  remediationSteps: "Set teams[].gateway.monthlyBudgetUsd for every team in the stack file.",
  enforcement: ADVISORY_UNTIL_STAGING,
  settings: [],
  check({ resources }, _settings, report) {
    const hasGateway = resources.some(
      (resource) => isKind(resource.type, "core", "ConfigMap") && dig(resource.props, "metadata", "annotations", MODELS_WITHOUT_FALLBACK_ANNOTATION) !== undefined,
    );
    if (!hasGateway) return;
    for (const namespace of resources.filter((resource) => isKind(resource.type, "core", "Namespace"))) {
      const name = objectNameOf(namespace.props, namespace.name);
      if (!isTeamNamespace(namespace.props, name)) continue;
      const budget = Number.parseFloat(asString(dig(namespace.props, "metadata", "annotations", GATEWAY_BUDGET_ANNOTATION)) ?? "");
      if (!(budget > 0)) {
        report(`team namespace "${name}" has no monthly gateway budget: set teams[].gateway.monthlyBudgetUsd for team "${name.replace(/^team-/, "")}"`, namespace.urn);
      }
    }
  },
});
