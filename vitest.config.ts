import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Each test file runs in its own process: Pulumi's runtime keeps global state (mocks, config, stack).
    pool: "forks",
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
