import { describe, expect, it } from "vitest";
import { isPinnedImage } from "@mlops-platform/components/internal";

const DIGEST = `sha256:${"a".repeat(64)}`;

describe("isPinnedImage", () => {
  it.each([
    ["pytorch/pytorch:2.10.0-cuda12.8-cudnn9-runtime", true],
    ["ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:v1.11.0", true],
    [`ghcr.io/berriai/litellm@${DIGEST}`, true],
    [`ghcr.io/berriai/litellm:v1.103.0@${DIGEST}`, true],
    ["registry.internal:5000/ml/nb:1.2.3", true],
    ["registry.internal:5000/ml/nb", false],
    ["nginx", false],
    ["nginx:latest", false],
    [`nginx:latest@${DIGEST}`, false],
    ["nginx@sha256:abc", false],
    ["nginx:1.0@sha256:abc@x", false],
    ["nginx: 1.0", false],
    [":1.0", false],
  ])("%s is pinned: %s", (reference, pinned) => {
    expect(isPinnedImage(reference)).toBe(pinned);
  });
});
