export * from "./litellm-config.js";
export * from "./ai-gateway.js";
