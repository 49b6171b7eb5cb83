import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { DEFAULT_NOTEBOOK_IMAGES, DEFAULT_NOTEBOOK_SIZES, GpuCloud, notebookFor } from "@mlops-platform/components";
import { podPlacement, validateNotebook } from "@mlops-platform/components/internal";

const ROOT = path.resolve(import.meta.dirname, "../../..");

describe("examples/notebook-gpu.yaml", () => {
  const docs = parseAllDocuments(fs.readFileSync(path.join(ROOT, "examples/notebook-gpu.yaml"), "utf8")).map((d) => d.toJS());

  it("is exactly what notebookFor builds for dev's l4-spot pool", () => {
    const { notebook, workspace } = notebookFor({
      name: "explore",
      namespace: "team-vision",
      image: DEFAULT_NOTEBOOK_IMAGES.find((i) => i.name === "jupyter-pytorch-cuda")!,
      size: DEFAULT_NOTEBOOK_SIZES.find((s) => s.name === "gpu-1")!,
      gpuPool: { name: "l4-spot", ...podPlacement({ name: "l4-spot" }, GpuCloud.Aws) },
      workspaceGiB: 10,
      priorityClassName: "mlp-notebooks",
    });
    expect(docs).toEqual([workspace, notebook]);
  });

  it("is a valid Notebook that targets a pool the dev stack defines", () => {
    const notebook = docs[1] as Record<string, any>;
    expect(validateNotebook(notebook)).toEqual([]);
    const dev = fs.readFileSync(path.join(ROOT, "stacks/Pulumi.dev.yaml"), "utf8");
    expect(dev).toContain(`- name: ${notebook["spec"].template.spec.nodeSelector["mlops-platform.io/gpu-pool"]}`);
  });
});
