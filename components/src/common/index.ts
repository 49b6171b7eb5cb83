export * from "./component.js";
export * from "./helm.js";
export * from "./kubernetes.js";
export { checkSchema, type FieldSchema } from "./crd-schema.js";
