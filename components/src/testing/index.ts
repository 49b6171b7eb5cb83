/**
 * The offline render kit: run any Pulumi program under mocks, capture what it registers (with the options
 * that matter for safety), turn Kubernetes resources into manifests, validate them, and write them out.
 * This is how `npm run render` works, and library users can test their own programs the same way.
 */
export * from "./artifacts.js";
export * from "./canonical.js";
export * from "./capture.js";
export * from "./crd-validation.js";
export * from "./manifests.js";
export * from "./network-policy.js";
export * from "./platform-validators.js";
export * from "./secrets.js";
export * from "./validate.js";
export * from "./litellm-admin-fake.js";
