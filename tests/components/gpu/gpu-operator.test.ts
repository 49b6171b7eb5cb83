import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { GpuCloud, GpuOperator } from "@mlops-platform/components";
import { devicePluginConfigs, GPU_OPERATOR_CHART, gpuOperatorValues, migStrategy } from "@mlops-platform/components/internal";
import { buildArtifacts } from "@mlops-platform/components/testing";
import { capture } from "../../helpers.js";

describe("GPU Operator values", () => {
  it.each([
    [GpuCloud.Aws, { driver: false, toolkit: false, devicePlugin: true }],
    [GpuCloud.Azure, { driver: false, toolkit: false, devicePlugin: true }],
    [GpuCloud.Gcp, { driver: false, toolkit: false, devicePlugin: false }],
  ] as const)("on %s installs only what the provider's GPU nodes lack", (cloud, expected) => {
    const values = gpuOperatorValues({ cloud, sharing: [], serviceMonitor: true }) as Record<string, any>;
    expect({ driver: values["driver"].enabled, toolkit: values["toolkit"].enabled, devicePlugin: values["devicePlugin"].enabled }).toEqual(expected);
    expect(values["dcgmExporter"]).toMatchObject({ enabled: true, serviceMonitor: { enabled: true } });
  });

  it("reads GKE's driver from GKE's install directory", () => {
    const values = gpuOperatorValues({ cloud: GpuCloud.Gcp, sharing: [], serviceMonitor: false }) as Record<string, any>;
    expect(values["hostPaths"]).toEqual({ driverInstallDir: "/home/kubernetes/bin/nvidia" });
    expect(values["dcgmExporter"].serviceMonitor.enabled).toBe(false);
  });

  it("writes one valid time-slicing config per shared pool, selected by node label", () => {
    const configs = devicePluginConfigs([{ pool: "l4", timeSlicingReplicas: 4 }, { pool: "a100", migProfile: "all-1g.10gb" }]);
    expect(Object.keys(configs)).toEqual(["default", "l4"]);
    expect(parse(configs["l4"]!)).toEqual({
      version: "v1",
      flags: { migStrategy: "none" },
      sharing: { timeSlicing: { renameByDefault: false, failRequestsGreaterThanOne: true, resources: [{ name: "nvidia.com/gpu", replicas: 4 }] } },
    });
    expect(parse(configs["default"]!)).toEqual({ version: "v1", flags: { migStrategy: "none" } });
    const values = gpuOperatorValues({ cloud: GpuCloud.Aws, sharing: [{ pool: "l4", timeSlicingReplicas: 4 }], serviceMonitor: true }) as Record<string, any>;
    expect(values["devicePlugin"]).toEqual({ enabled: true, config: { name: "mlp-device-plugin-config", default: "default" } });
  });

  it.each([
    [[], "none"],
    [[{ pool: "a", migProfile: "all-1g.10gb" }, { pool: "b", migProfile: "all-3g.40gb" }], "single"],
    [[{ pool: "a", migProfile: "all-balanced" }], "mixed"],
  ])("MIG strategy for %j is %s", (sharing, expected) => {
    expect(migStrategy(sharing)).toBe(expected);
  });
});

describe("GpuOperator under mocks", () => {
  it("installs the pinned chart and the device-plugin ConfigMap when a pool time-slices", async () => {
    const result = await capture(() => {
      new GpuOperator("gpu", { cloud: GpuCloud.Aws, sharing: [{ pool: "l4", timeSlicingReplicas: 2 }] });
    });
    const { releases, manifests, problems } = await buildArtifacts(result);
    expect(problems).toEqual([]);
    expect(releases).toMatchObject([{ chart: "gpu-operator", version: GPU_OPERATOR_CHART.version, namespace: "gpu-operator", repository: "https://helm.ngc.nvidia.com/nvidia" }]);
    expect(manifests.map((m) => m.path)).toEqual(["gpu-operator/configmap-mlp-device-plugin-config.yaml"]);
  });

  it("fails on a kind cluster", async () => {
    const result = await capture(() => {
      new GpuOperator("gpu", { cloud: "kind" as GpuCloud, sharing: [] });
    });
    expect(result.errors[0]!.message).toContain('cloud: got "kind"; use aws, azure or gcp: kind clusters have no GPUs');
  });
});
