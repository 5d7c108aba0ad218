#!/usr/bin/env node
/**
 * The `chartio-embed` command: `sign`, `verify`, `decode`, `snippet`.
 * See `chartio-embed --help`; the work is in `run.ts`.
 * @module
 */
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
