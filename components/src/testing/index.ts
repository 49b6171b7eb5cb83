/**
 * The offline render kit: run any Pulumi program under mocks, capture what it registers (with the options
 * that matter for safety), turn Kubernetes resources into manifests, validate them, and write them out.
 * This is how `npm run render` works, and library users can test their own programs the same way.
 *
 * The kit's surface, named one by one (api/testing.api.md records it). Pulumi's wire-format constants, the
 * secret splitting and masking behind the capture, and the steps `buildArtifacts` takes (manifests,
 * releases, canonical ordering) stay inside this folder.
 *
 * @packageDocumentation
 */
export {
  buildArtifacts,
  buildPlan,
  countByComponent,
  readRenderMarker,
  RENDER_MARKER,
  RenderOutputError,
  writeArtifacts,
  type BuildOptions,
  type Plan,
  type PlanResource,
  type RenderArtifacts,
  type RenderMarker,
} from "./artifacts.js";
export { captureProgram, type CapturedResource, type CaptureOptions, type CaptureResult } from "./capture.js";
export { crdSchema, crdSchemaKeys, crdSchemaSources, crdValidator, crdValidators, type CrdSchemaSource } from "./crd-validation.js";
export {
  fakeLiteLLM,
  sha256Hex,
  type FakeAnswer,
  type FakeCall,
  type FakeKeyRow,
  type FakeLiteLLM,
  type FakeTeamRow,
} from "./litellm-admin-fake.js";
export { type Manifest, type ReleaseRecord, type RenderProblem } from "./manifests.js";
export {
  isConnectionAllowed,
  selectorMatches,
  type Connection,
  type Endpoint,
  type LabelSelector,
  type NetworkPolicyObject,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type NetworkPolicyRule,
} from "./network-policy.js";
export { PLATFORM_VALIDATORS } from "./platform-validators.js";
export { assertNoSecretIn, MASK } from "./secrets.js";
export {
  modelValidator,
  validateManifests,
  type ManifestValidator,
  type ModelClass,
  type SyncManifestValidator,
  type ValidateOptions,
} from "./validate.js";
// The fetch shape `fakeLiteLLM` serves (the same one the gateway's admin client calls).
export type { FetchInit, FetchLike, FetchResponseLike } from "../gateway/litellm-admin.js";
