import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { assertNoSecretIn, buildArtifacts, writeArtifacts } from "@mlops-platform/components/testing";
import { capture, one } from "../../helpers.js";

const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

describe("captureProgram", () => {
  it("reads protect, retainOnDelete and dependsOn from the registration request", async () => {
    const result = await capture(() => {
      const first = new k8s.core.v1.ConfigMap("first", { metadata: { name: "first", namespace: "a" } });
      new k8s.core.v1.ConfigMap(
        "second",
        { metadata: { name: "second", namespace: "a" } },
        { protect: true, retainOnDelete: true, dependsOn: [first] },
      );
    });
    const first = one(result, CONFIG_MAP, "first");
    const second = one(result, CONFIG_MAP, "second");
    expect([first.protect, first.retainOnDelete, first.dependsOn]).toEqual([false, false, []]);
    expect([second.protect, second.retainOnDelete, second.dependsOn]).toEqual([true, true, [first.urn]]);
  });

  it("masks secrets in inputs and stack outputs, and keeps their values for assertions", async () => {
    const result = await capture(
      () => {
        const token = new pulumi.Config("mlops-platform").requireSecret("token");
        new k8s.core.v1.ConfigMap("cm", { metadata: { name: "cm", namespace: "a", annotations: { token } } });
        return { exposed: token, plain: "visible" };
      },
      { "mlops-platform:token": "s3cr3t-value-123" },
      ["mlops-platform:token"],
    );
    const cm = one(result, CONFIG_MAP, "cm");
    // Pulumi tracks secretness per top-level input: a secret annotation makes all of metadata secret.
    expect(cm.inputs["metadata"]).toBe("<secret>");
    expect(cm.plainInputs["metadata"]).toEqual({ name: "cm", namespace: "a", annotations: { token: "s3cr3t-value-123" } });
    expect(cm.hasSecretInputs).toBe(true);
    expect(result.outputs).toEqual({ exposed: "<secret>", plain: "visible" });
    expect(result.secretStrings.has("s3cr3t-value-123")).toBe(true);
  });

  it("collects the program's errors instead of throwing", async () => {
    const result = await capture(() => {
      throw new Error("bad program");
    });
    expect(result.errors.map((e) => e.message)).toEqual(["bad program"]);
  });
});

describe("render artifacts", () => {
  it("never writes a secret: Secret payloads and secret inputs are masked in every file", async () => {
    const result = await capture(
      () => {
        const password = new pulumi.Config("mlops-platform").requireSecret("password");
        new k8s.core.v1.Secret("db", { metadata: { name: "db", namespace: "a" }, stringData: { password } });
        // A payload the program did not mark secret is masked too: it is a Secret.
        new k8s.core.v1.Secret("plain", { metadata: { name: "plain", namespace: "a" }, stringData: { key: "not-marked-secret" } });
      },
      { "mlops-platform:password": "hunter2-hunter2" },
      ["mlops-platform:password"],
    );
    const artifacts = await buildArtifacts(result);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-render-"));
    writeArtifacts(dir, artifacts);
    const written = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.includes("."));
    expect(written.sort()).toEqual([".mlops-render.json", "manifests/a/secret-db.yaml", "manifests/a/secret-plain.yaml", "plan.json", "releases.yaml"].sort());
    const all = written.map((f) => fs.readFileSync(path.join(dir, f), "utf8")).join("\n");
    expect(all).not.toContain("hunter2-hunter2");
    expect(all).not.toContain("not-marked-secret");
    // Values masked, keys kept: a masked Secret is still one the API server accepts (a map of strings).
    expect(fs.readFileSync(path.join(dir, "manifests/a/secret-plain.yaml"), "utf8")).toContain("stringData:\n  key: <secret>\n");
    expect(fs.readFileSync(path.join(dir, "manifests/a/secret-db.yaml"), "utf8")).toContain("stringData:\n  password: <secret>\n");
  });

  it("refuses to write a file that contains a secret's plaintext", () => {
    expect(() => assertNoSecretIn("password: hunter2-hunter2", ["hunter2-hunter2"], "plan.json")).toThrow(
      "refusing to write plan.json: it contains the plaintext of a secret value",
    );
    expect(() => assertNoSecretIn("replicas: 1", ["hunter2-hunter2"], "plan.json")).not.toThrow();
  });

  it("reports schema problems found by kubernetes-models", async () => {
    const result = await capture(() => {
      new k8s.scheduling.v1.PriorityClass("bad", { metadata: { name: "bad" }, value: "high" as unknown as number });
      new k8s.core.v1.ConfigMap("labels", { metadata: { name: "labels", namespace: "a", labels: { n: 1 as unknown as string } } });
    });
    const { problems } = await buildArtifacts(result);
    expect(problems).toEqual([
      { resource: "kubernetes:scheduling.k8s.io/v1:PriorityClass::bad", stage: "schema", message: 'PriorityClass "bad": value must be integer' },
      { resource: "kubernetes:core/v1:ConfigMap::labels", stage: "schema", message: 'ConfigMap "labels": metadata.labels.n must be string' },
    ]);
  });

  it("flags kinds it has no schema for, and uses a registered validator for them", async () => {
    const result = await capture(() => {
      new k8s.apiextensions.CustomResource("nb", {
        apiVersion: "example.com/v1",
        kind: "Widget",
        metadata: { name: "w", namespace: "a" },
        spec: { size: -1 },
      });
    });
    const unchecked = await buildArtifacts(result);
    expect(unchecked.problems.map((p) => p.message)).toEqual([
      "no schema for example.com/v1/Widget: register a validator for it (ValidateOptions.validators)",
    ]);
    const checked = await buildArtifacts(result, {
      validators: {
        "example.com/v1/Widget": (object) => ((object["spec"] as { size: number }).size < 0 ? ["spec.size must be positive"] : []),
      },
    });
    expect(checked.problems.map((p) => p.message)).toEqual(['Widget "w": spec.size must be positive']);
  });

  it("flags a namespaced object without a namespace, which would land wherever the provider points", async () => {
    const result = await capture(() => {
      new k8s.core.v1.ConfigMap("loose", { metadata: { name: "loose" } });
    });
    const { problems, manifests } = await buildArtifacts(result);
    expect(problems.map((p) => p.message)).toEqual([
      `ConfigMap "loose" has no metadata.namespace: it would land in the provider's default namespace; set it explicitly`,
    ]);
    expect(manifests[0]!.path).toBe("default/configmap-loose.yaml");
  });

  it("lists Helm charts with chart, repository, version, namespace and values", async () => {
    const result = await capture(() => {
      new k8s.helm.v4.Chart("redis", {
        chart: "valkey",
        version: "1.2.3",
        namespace: "cache",
        repositoryOpts: { repo: "https://example.com/charts" },
        values: { b: 1, a: { z: true, y: false } },
      });
    });
    const { releases, files } = await buildArtifacts(result);
    expect(releases).toEqual([
      {
        resource: "kubernetes:helm.sh/v4:Chart::redis",
        kind: "helm.v4.Chart",
        chart: "valkey",
        repository: "https://example.com/charts",
        version: "1.2.3",
        namespace: "cache",
        values: { a: { y: false, z: true }, b: 1 },
      },
    ]);
    expect(files.get("releases.yaml")).toContain("version: 1.2.3");
  });
});
