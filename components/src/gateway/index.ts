export * from "./litellm-config.js";
export * from "./ai-gateway.js";
export * from "./gateway-team.js";
export * from "./gateway-team-secret.js";
export * from "./litellm-admin.js";
