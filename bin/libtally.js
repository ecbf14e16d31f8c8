#!/usr/bin/env node
// The `libtally` bin: runs the TypeScript CLI through tsx's loader, wherever it is called from.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../commands/cli.ts");
await runCli();
