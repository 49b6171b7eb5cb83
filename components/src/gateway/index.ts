/**
 * AI gateway: `AiGateway` (the LiteLLM proxy and what it needs), `GatewayTeam` (a team and its key through
 * LiteLLM's admin API), `litellmConfig` (the proxy's configuration from a model list) and `gatewayKeySecret`
 * (where a team's key lives). The admin client, the dynamic provider's functions and the plan stay inside
 * this folder.
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
