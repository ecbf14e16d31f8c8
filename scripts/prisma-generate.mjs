#!/usr/bin/env node
// Writes one Prisma schema per provider from prisma/models.prisma and generates both clients.
//
// Why the environment variable: `prisma generate` never runs Prisma's native schema engine but insists the
// binary exists, and this project's machines cannot download it. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any
// existing file lets generation finish (see docs/database.md). Migrations use the WebAssembly engine instead.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const PROVIDERS = ["sqlite", "postgresql"];

export function schemaFor(provider, models) {
  return `// GENERATED from prisma/models.prisma by scripts/prisma-generate.mjs. Do not edit.
generator client {
  provider     = "prisma-client"
  output       = "../../src/db/generated/${provider}"
  moduleFormat = "esm"
}

datasource db {
  provider = "${provider}"
}

${models}`;
}

function main() {
  const models = readFileSync(join(root, "prisma/models.prisma"), "utf8");
  const onlyWrite = process.argv.includes("--write-only");
  for (const provider of PROVIDERS) {
    const file = join(root, "prisma", provider, "schema.prisma");
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, schemaFor(provider, models));
    if (onlyWrite) continue;
    execFileSync(process.execPath, [join(root, "node_modules/prisma/build/index.js"), "generate", "--schema", file], {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
        CHECKPOINT_DISABLE: "1",
      },
    });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
