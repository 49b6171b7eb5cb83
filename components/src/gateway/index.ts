/**
 * AI gateway: `AiGateway` (the LiteLLM proxy and what it needs), `GatewayTeamReconciler` (every team and its
 * key, reconciled inside the cluster), `GatewayTeam` (a team and its key through LiteLLM's admin API from
 * where Pulumi runs), `litellmConfig` (the proxy's configuration from a model list) and `gatewayKeySecret`
 * (where a team's key lives). The admin client, the dynamic provider's functions, the reconciler's script
 * and builders and the plans stay inside this folder.
 */
export {
  AiGateway,
  GATEWAY_BUDGET_ANNOTATION,
  GATEWAY_NAMESPACE,
  type AiGatewayArgs,
  type AiGatewayCacheArgs,
  type AiGatewayModelArgs,
} from "./ai-gateway.js";
export { GATEWAY_PORT, MODELS_WITHOUT_FALLBACK_ANNOTATION } from "./gateway-manifests.js";
export { GatewayTeam, type GatewayTeamArgs, type GatewayTeamInputs, type GatewayTeamOutputs } from "./gateway-team.js";
export { GATEWAY_KEY_SECRET_KEY, GATEWAY_KEY_SECRET_NAME, gatewayKeySecret, type GatewayKeySecretArgs } from "./gateway-team-secret.js";
export { type TeamSettings } from "./litellm-admin.js";
export {
  defaultApiKeyEnv,
  GATEWAY_ENV,
  GATEWAY_PROVIDERS,
  GatewayProvider,
  litellmConfig,
  type GatewayModel,
  type GatewayPrompt,
  type LiteLlmConfigInput,
} from "./litellm-config.js";
export { DESIRED_GATEWAY_TEAMS_KEY, DESIRED_GATEWAY_TEAMS_LABEL } from "./team-reconciler-manifests.js";
export { GatewayTeamReconciler, type GatewayTeamReconcilerArgs, type GatewayTeamReconcilerTeamArgs } from "./team-reconciler.js";
