/**
 * The same rules, run by @pulumi/policy's real analyzer RPC handlers (what `pulumi preview --policy-pack`
 * calls over gRPC) and by the offline evaluator, report the same violations. This pins down the two things
 * the offline path imitates: the argument objects the server builds, and the per-violation enforcement
 * level the rules send through the server's (privately typed) object form of reportViolation.
 */
import { createRequire } from "node:module";
import type * as AnalyzerPb from "@pulumi/pulumi/proto/analyzer_pb.js";
import type { JavaScriptValue, Struct as StructType } from "google-protobuf/google/protobuf/struct_pb.js";
import { describe, expect, it } from "vitest";
import {
  PACK_ENFORCEMENT_LEVEL,
  PACK_NAME,
  evaluatePolicies,
  mlopsPolicies,
  policyPackConfigFor,
  reconcileConfig,
  type AnyPolicy,
  type Environment,
  type OfflineResource,
} from "@mlops-platform/policies/rules";
import type { ResourceValidation, StackValidation } from "@pulumi/policy";
import { container, deployment, namespace, object, podSpec, resource } from "./fixtures.js";

type Rpc = (call: { request: unknown }, callback: (error: unknown, response?: AnalyzerPb.AnalyzeResponse) => void) => Promise<void>;
interface PolicyServer {
  makeAnalyzeRpcFun(pack: string, version: string, level: string, policies: readonly AnyPolicy[]): Rpc;
  makeAnalyzeStackRpcFun(pack: string, version: string, level: string, policies: readonly AnyPolicy[]): Rpc;
}

const require = createRequire(import.meta.url);
const server = require("@pulumi/policy/server.js") as PolicyServer;
const analyzer = require("@pulumi/pulumi/proto/analyzer_pb.js") as typeof AnalyzerPb;
// The Struct class of the google-protobuf copy @pulumi/pulumi's generated messages use.
const { Struct } = createRequire(require.resolve("@pulumi/pulumi/package.json"))("google-protobuf/google/protobuf/struct_pb.js") as {
  Struct: typeof StructType;
};

interface Reported {
  policy: string;
  enforcementLevel: string;
  urn: string;
  message: string;
}

const LEVELS: Record<number, string> = { [analyzer.EnforcementLevel.ADVISORY]: "advisory", [analyzer.EnforcementLevel.MANDATORY]: "mandatory" };

/**
 * The policy with `getConfig` answering what the engine would have sent through the Configure RPC (the
 * server keeps that in module state that tests cannot reach).
 */
function configured(policy: AnyPolicy, config: Record<string, unknown>): AnyPolicy {
  const getConfig = <T extends object>(): T => ({ ...config }) as T;
  if ("validateStack" in policy) {
    const validateStack: StackValidation = (args, report) => policy.validateStack({ ...args, getConfig }, report);
    return { ...policy, validateStack };
  }
  const validations = [policy.validateResource ?? []].flat();
  const validateResource: ResourceValidation = (args, report) => {
    for (const validate of validations) void validate({ ...args, getConfig }, report);
  };
  return { ...policy, validateResource };
}

function configuredPack(environment: Environment): AnyPolicy[] {
  const configs = reconcileConfig(mlopsPolicies, PACK_ENFORCEMENT_LEVEL, policyPackConfigFor(environment));
  return mlopsPolicies.map((policy) => configured(policy, configs.get(policy.name)?.properties ?? {}));
}

function struct(props: Record<string, unknown>): StructType {
  return Struct.fromJavaScript(props as Record<string, JavaScriptValue>);
}

async function call(rpc: Rpc, request: unknown): Promise<AnalyzerPb.AnalyzeDiagnostic[]> {
  return new Promise((resolve, reject) => {
    void rpc({ request }, (error, response) => (error ? reject(error) : resolve(response?.getDiagnosticsList() ?? [])));
  });
}

function reported(diagnostic: AnalyzerPb.AnalyzeDiagnostic, urn: string): Reported {
  return {
    policy: diagnostic.getPolicyname(),
    enforcementLevel: LEVELS[diagnostic.getEnforcementlevel()] ?? "unknown",
    urn,
    message: diagnostic.getMessage(),
  };
}

async function analyzeResources(resources: readonly OfflineResource[], policies: AnyPolicy[]): Promise<Reported[]> {
  const rpc = server.makeAnalyzeRpcFun(PACK_NAME, "0.1.0", PACK_ENFORCEMENT_LEVEL, policies);
  const results: Reported[] = [];
  for (const r of resources) {
    const request = new analyzer.AnalyzeRequest().setType(r.type).setName(r.name).setUrn(r.urn);
    request.setProperties(struct(r.props)).setOptions(new analyzer.AnalyzerResourceOptions());
    // The engine attributes a resource policy's violations to the resource it sent.
    results.push(...(await call(rpc, request)).map((d) => reported(d, r.urn)));
  }
  return results;
}

async function analyzeStack(resources: readonly OfflineResource[], policies: AnyPolicy[]): Promise<Reported[]> {
  const rpc = server.makeAnalyzeStackRpcFun(PACK_NAME, "0.1.0", PACK_ENFORCEMENT_LEVEL, policies);
  const list = resources.map((r) =>
    new analyzer.AnalyzerResource().setType(r.type).setName(r.name).setUrn(r.urn).setProperties(struct(r.props)).setOptions(new analyzer.AnalyzerResourceOptions()),
  );
  const diagnostics = await call(rpc, new analyzer.AnalyzeStackRequest().setResourcesList(list));
  return diagnostics.map((d) => reported(d, d.getUrn()));
}

function sorted(items: Reported[]): string[] {
  return items.map((v) => JSON.stringify([v.policy, v.urn, v.message, v.enforcementLevel])).sort();
}

const STACK: OfflineResource[] = [
  namespace("team-vision"),
  deployment(
    "web",
    podSpec({
      hostNetwork: true,
      tolerations: [{ operator: "Exists" }],
      containers: [container({ image: "nginx:latest", resources: {}, env: [{ name: "HF_TOKEN", value: "hf_x" }] })],
    }),
  ),
  object("core/v1", "Service", "api", "team-vision", { spec: { type: "LoadBalancer" } }),
  object("core/v1", "ConfigMap", "settings", "team-vision", { data: { ADMIN_PASSWORD: "changeme" } }),
  resource("kubernetes:helm.sh/v4:Chart", "kuberay", { chart: "kuberay-operator", version: "1.x" }),
  resource("kubernetes:kustomize/v2:Directory", "kf", { directory: "https://github.com/kubeflow/manifests//common" }),
];

describe("offline evaluation matches @pulumi/policy's analyzer", () => {
  it.each(["dev", "prod"] as const)("reports the same violations at the same levels in %s", async (environment) => {
    const policies = configuredPack(environment);
    const live = [...(await analyzeResources(STACK, policies)), ...(await analyzeStack(STACK, policies))];
    const offline = evaluatePolicies(STACK, { environment });
    expect(live.length).toBeGreaterThanOrEqual(9);
    expect(sorted(live)).toEqual(sorted(offline));
  });

  it("sends advisory levels in dev even though every policy's own level is mandatory", async () => {
    const live = await analyzeResources(STACK, configuredPack("dev"));
    const levels = new Map(live.map((v) => [v.policy, v.enforcementLevel]));
    expect(levels.get("container-resources")).toBe("advisory");
    expect(levels.get("no-host-access")).toBe("mandatory");
    expect(mlopsPolicies.find((p) => p.name === "container-resources")?.enforcementLevel).toBe("mandatory");
  });
});
