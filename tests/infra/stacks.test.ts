import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { evaluatePolicies } from "@mlops-platform/policies/rules";
import { findProject, loadOfflineStack } from "../../infra/stack-files.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The dev stack, captured by running the real program under mocks (one program import per test file). */
const dev = (async () => {
  const offline = loadOfflineStack(findProject(ROOT), "dev");
  const { captureProgram } = await import("@mlops-platform/components/testing");
  return captureProgram(() => import("../../infra/program.js").then((program) => program.platformProgram({ preflight: false })), { project: "mlops-platform", stack: "dev", config: offline.config, secretKeys: offline.secretKeys });
})();

describe("the dev stack with the examples applied", () => {
  const example = parseAllDocuments(fs.readFileSync(path.join(ROOT, "examples/trainjob-pytorch-gpu.yaml"), "utf8"))[0]!.toJS() as Record<string, any>;
  const asResource = (object: Record<string, any>) => ({
    type: `kubernetes:${object["apiVersion"]}:${object["kind"]}`,
    name: object["metadata"].name,
    urn: `urn:example::${object["metadata"].name}`,
    props: object,
  });

  const NOT_ABOUT_THE_JOB: string[] = ["gateway-fallbacks", "metrics-retention", "database-safety"];

  it("accepts the example TrainJob: shipped runtime, team namespace with a GPU quota", async () => {
    const result = await dev;
    expect(result.errors).toEqual([]);
    const resources = [...result.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.plainInputs })), asResource(example)];
    // At prod's levels; dev's gateway has an embedding model without a fallback, dev keeps a week of
    // metrics and its databases are not protected, none of which is about the job.
    expect(evaluatePolicies(resources, { environment: "prod" }).filter((v) => !NOT_ABOUT_THE_JOB.includes(v.policy))).toEqual([]);
  });

  it("rejects the same TrainJob with a runtime the platform does not ship", async () => {
    const result = await dev;
    const stray = { ...example, spec: { ...example["spec"], runtimeRef: { ...example["spec"].runtimeRef, name: "torch-distributed" } } };
    const resources = [...result.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.plainInputs })), asResource(stray)];
    expect(evaluatePolicies(resources, { environment: "prod" }).map((v) => v.policy).filter((p) => !NOT_ABOUT_THE_JOB.includes(p))).toEqual(["trainjob-runtime"]);
  });

  it("ships a CPU runtime and a GPU runtime for its training pool, and no Kueue (dev preset)", async () => {
    const result = await dev;
    const runtimes = result.resources.filter((r) => r.type.endsWith(":ClusterTrainingRuntime")).map((r) => (r.inputs["metadata"] as { name: string }).name);
    expect(runtimes.sort()).toEqual(["torch-distributed-cpu", "torch-distributed-gpu-l4-spot"]);
    expect(result.resources.filter((r) => r.type.startsWith("kubernetes:kueue.x-k8s.io/"))).toEqual([]);
  });
});
