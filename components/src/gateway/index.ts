export * from "./litellm-config.js";
