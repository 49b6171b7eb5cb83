/**
 * GPU list prices per GPU-hour, USD, by cloud, GPU type and capacity type: instance price divided by its
 * GPU count, for the representative machine named in `basis`. Regions: AWS us-east-1, Azure eastus, GCP
 * us-central1. Spot prices move hourly and by zone: they are typical snapshots, not quotes.
 *
 * Sources (read 2026-11-22):
 *   SKY  skypilot-org/skypilot-catalog: catalogs/v8/aws/vms.csv @00148f2a, v8/gcp/vms.csv @006059e0,
 *        v6/azure/vms.csv @098741e7 (cloud price APIs; snapshot dates not published)
 *   DR   data-receipts 109-gpu-pricing/hyperscalers.json, retrieved 2026-11-09 (on-demand cross-check)
 *   CYC  Cyclenerd/google-cloud-pricing-cost-calculator pricing.yml @082120d2 (GCP, 2025)
 *   GCP  Google Cloud list price of the host machine where SKY prices the GPU alone
 * Re-pull from the AWS Price List API, the Azure Retail Prices API and the GCP Cloud Billing Catalog
 * before relying on a figure for a purchase decision; `note` marks the figures we could not confirm.
 */
import type { GpuCloud, GpuType } from "../gpu/catalog.js";

export interface GpuPrice {
  onDemandPerGpuHourUsd: number;
  spotPerGpuHourUsd: number;
  /** The machine the per-GPU price was derived from. */
  basis: string;
  source: string;
  /** What is uncertain about this figure, if anything. */
  note?: string;
}

export interface GpuPriceTable {
  /** One line for summaries: where the figures come from and when they were read. */
  source: string;
  clouds: Readonly<Record<GpuCloud, Partial<Record<GpuType, GpuPrice>>>>;
}

export const GPU_PRICES: GpuPriceTable = {
  source: "list prices read 2026-11-22, see components/src/cost/gpu-prices.ts",
  clouds: {
    aws: {
      "nvidia-t4": { onDemandPerGpuHourUsd: 0.526, spotPerGpuHourUsd: 0.21, basis: "g4dn.xlarge", source: "SKY" },
      "nvidia-l4": { onDemandPerGpuHourUsd: 0.805, spotPerGpuHourUsd: 0.38, basis: "g6.xlarge", source: "SKY" },
      "nvidia-a10g": { onDemandPerGpuHourUsd: 1.006, spotPerGpuHourUsd: 0.44, basis: "g5.xlarge", source: "SKY" },
      "nvidia-l40s": { onDemandPerGpuHourUsd: 1.861, spotPerGpuHourUsd: 1.06, basis: "g6e.xlarge", source: "SKY" },
      "nvidia-a100": { onDemandPerGpuHourUsd: 2.745, spotPerGpuHourUsd: 1.0, basis: "p4d.24xlarge / 8", source: "SKY, DR" },
      "nvidia-a100-80gb": { onDemandPerGpuHourUsd: 3.431, spotPerGpuHourUsd: 1.18, basis: "p4de.24xlarge / 8", source: "SKY, DR" },
      "nvidia-h100": { onDemandPerGpuHourUsd: 6.88, spotPerGpuHourUsd: 2.7, basis: "p5.48xlarge / 8", source: "SKY, DR" },
    },
    azure: {
      "nvidia-t4": {
        onDemandPerGpuHourUsd: 0.526,
        spotPerGpuHourUsd: 0.063,
        basis: "Standard_NC4as_T4_v3",
        source: "SKY",
        note: "spot from an older catalog of unknown date",
      },
      "nvidia-a100": {
        onDemandPerGpuHourUsd: 3.4,
        spotPerGpuHourUsd: 0.37,
        basis: "Standard_ND96asr_v4 / 8",
        source: "DR (on-demand), SKY (spot)",
        note: "spot from an older catalog of unknown date",
      },
      "nvidia-a100-80gb": {
        onDemandPerGpuHourUsd: 3.673,
        spotPerGpuHourUsd: 0.44,
        basis: "Standard_NC24ads_A100_v4",
        source: "SKY, DR (on-demand), SKY (spot)",
        note: "spot from an older catalog of unknown date",
      },
      "nvidia-h100": {
        onDemandPerGpuHourUsd: 6.98,
        spotPerGpuHourUsd: 6.98,
        basis: "Standard_NC40ads_H100_v5",
        source: "DR",
        note: "no spot price found: spot is priced as on-demand (an upper bound)",
      },
    },
    gcp: {
      "nvidia-t4": {
        onDemandPerGpuHourUsd: 0.54,
        spotPerGpuHourUsd: 0.25,
        basis: "n1-standard-4 + 1 nvidia-tesla-t4",
        source: "SKY (GPU 0.35 / spot 0.175), GCP (host)",
        note: "host share estimated from the n1-standard-4 list price",
      },
      "nvidia-l4": { onDemandPerGpuHourUsd: 0.707, spotPerGpuHourUsd: 0.282, basis: "g2-standard-4", source: "SKY" },
      "nvidia-a100": { onDemandPerGpuHourUsd: 3.673, spotPerGpuHourUsd: 1.47, basis: "a2-highgpu-1g", source: "CYC, SKY" },
      "nvidia-a100-80gb": {
        onDemandPerGpuHourUsd: 5.07,
        spotPerGpuHourUsd: 2.03,
        basis: "a2-ultragpu-1g",
        source: "unconfirmed",
        note: "not confirmed: the catalog row we found is implausible; figure from other public listings",
      },
      "nvidia-h100": { onDemandPerGpuHourUsd: 11.06, spotPerGpuHourUsd: 4.45, basis: "a3-highgpu-8g / 8", source: "CYC" },
    },
  },
};
