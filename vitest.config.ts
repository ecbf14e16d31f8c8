import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Real databases, real HTTP and child processes: generous per-test time, never a timing assertion.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Tests never read a developer's .env or site config by accident.
    env: { LIBTALLY_CONFIG: "", TZ: "UTC" },
  },
});
