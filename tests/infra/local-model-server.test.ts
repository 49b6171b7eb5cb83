/**
 * The local stack points only at what exists: its gateway model is the Ollama server of
 * examples/local-ollama.yaml, which README tells a laptop user to apply. The example must be valid
 * Kubernetes, serve at the URL the stack names, and pull and wait for the model the stack names.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { validateManifests, type Manifest } from "@mlops-platform/components/testing";
import { loadStack, ROOT } from "./config-helpers.js";

const EXAMPLE = "examples/local-ollama.yaml";
const objects = parseAllDocuments(fs.readFileSync(path.join(ROOT, EXAMPLE), "utf8")).map((doc) => doc.toJS() as Record<string, any>);
const find = (kind: string) => objects.find((object) => object["kind"] === kind)!;

describe("the local stack's model server", () => {
  const local = loadStack("local");
  const models = local.gateway.models.filter((model) => model.apiBase !== undefined);

  it("is the only in-cluster endpoint the local stack names, and the example serves it", () => {
    expect(models).toHaveLength(local.gateway.models.length);
    const service = find("Service");
    for (const model of models) {
      const url = new URL(model.apiBase!);
      expect(url.hostname).toBe(`${service["metadata"].name}.${service["metadata"].namespace}.svc`);
      expect(service["spec"].ports.map((port: { port: number }) => port.port)).toContain(Number(url.port));
      expect(model.provider).toBe("ollama");
    }
  });

  it("pulls every model the stack names and is ready only once it has them", () => {
    const container = find("Deployment")["spec"].template.spec.containers[0];
    for (const model of models) {
      expect(container.args.join(" ")).toContain(`ollama pull ${model.model}`);
      expect(container.readinessProbe.exec.command).toEqual(["ollama", "show", model.model]);
    }
    expect(container.image).toMatch(/^ollama\/ollama:\d+\.\d+\.\d+$/);
  });

  it("is valid Kubernetes (the render's schema validators)", async () => {
    const manifests: Manifest[] = objects.map((object) => ({
      apiVersion: object["apiVersion"],
      kind: object["kind"],
      name: object["metadata"].name,
      ...(object["metadata"].namespace ? { namespace: object["metadata"].namespace } : {}),
      object,
      unmasked: object,
      urn: `example::${object["kind"]}::${object["metadata"].name}`,
      resource: `${object["kind"]}::${object["metadata"].name}`,
      path: `${object["metadata"].namespace ?? "_cluster"}/${object["kind"].toLowerCase()}-${object["metadata"].name}.yaml`,
      patch: false,
    }));
    expect(manifests.map((m) => m.kind)).toEqual(["Namespace", "PersistentVolumeClaim", "Deployment", "Service"]);
    expect(await validateManifests(manifests)).toEqual([]);
    // And the validators do look: a broken copy is refused.
    const broken = structuredClone(manifests[3]!);
    (broken.unmasked["spec"] as { ports: Array<{ port: unknown }> }).ports[0]!.port = "eleven";
    expect(await validateManifests([broken])).not.toEqual([]);
  });

  it("README tells a laptop user to apply it", () => {
    expect(fs.readFileSync(path.join(ROOT, "README.md"), "utf8")).toContain(`kubectl apply -f ${EXAMPLE}`);
  });
});
