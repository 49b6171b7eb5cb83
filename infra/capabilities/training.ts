/**
 * Kubeflow Trainer and Kueue (`mlops-platform:training`): distributed training with the platform's
 * runtimes, and fair GPU sharing between teams where Kueue is on.
 */
import type { MlPlatformTrainingArgs } from "@mlops-platform/components";
import { z } from "zod";
import type { PlatformConfig } from "../config.js";
import type { Capability } from "./capability.js";
import { flag } from "./fields.js";

const trainingSection = z
  .strictObject({
    enabled: flag().default(true),
    /** Exact chart versions: TrainingPlatform checks them. */
    trainerVersion: z.string().optional(),
    /** Fair GPU sharing between teams: each team's quota guaranteed, idle GPUs lent. */
    kueue: z.strictObject({
      enabled: flag(),
      version: z.string().optional(),
    }),
  })
  .prefault({ kueue: { enabled: false } });

export const training: Capability<"training", typeof trainingSection> = {
  key: "training",
  section: trainingSection,
  argPaths: [
    [/^training\.kueueEnabled$/, "training.kueue.enabled"],
    [/^training\.kueueVersion$/, "training.kueue.version"],
  ],
  presets: {
    local: { kueue: { enabled: false } },
    dev: { kueue: { enabled: false } },
    staging: { kueue: { enabled: true } },
    prod: { kueue: { enabled: true } },
  },
};

export function trainingArgs(config: PlatformConfig): MlPlatformTrainingArgs {
  const section = config.training;
  return {
    enabled: section.enabled,
    kueueEnabled: section.kueue.enabled,
    ...(section.trainerVersion ? { trainerVersion: section.trainerVersion } : {}),
    ...(section.kueue.version ? { kueueVersion: section.kueue.version } : {}),
  };
}
