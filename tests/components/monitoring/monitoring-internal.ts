// The monitoring module's internals, as the tests use them; re-exported from the build until the
// `@mlops-platform/components/internal` barrel names them.
export * from "../../../components/dist/monitoring/metrics.js";
export * from "../../../components/dist/monitoring/rules.js";
export * from "../../../components/dist/monitoring/cost-rules.js";
export * from "../../../components/dist/monitoring/drift-rules.js";
export * from "../../../components/dist/monitoring/charts.js";
export * from "../../../components/dist/monitoring/content.js";
export * from "../../../components/dist/monitoring/dashboard-kit.js";
export * from "../../../components/dist/monitoring/dashboards.js";
export * from "../../../components/dist/monitoring/cost-model-dashboards.js";
export * from "../../../components/dist/monitoring/monitoring-manifests.js";
export * from "../../../components/dist/monitoring/monitoring-stack.js";
