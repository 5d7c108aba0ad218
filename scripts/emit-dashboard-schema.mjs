#!/usr/bin/env node
// Writes dist/dashboard.schema.json, the JSON Schema of dashboard files that the package exports
// as `chartio-embed/dashboard.schema.json`: the TypeBox definition the host validates files with
// (src/host/definition/dashboard-schema.ts), as JSON. Runs after tsc, from the compiled module,
// so the published file is the built definition itself. Usage: node scripts/emit-dashboard-schema.mjs
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const { dashboardFileSchema } = await import(new URL('../dist/host/definition/dashboard-schema.js', import.meta.url).href);
const target = `${root}dist/dashboard.schema.json`;
await writeFile(target, `${JSON.stringify(dashboardFileSchema(), null, 2)}\n`);
console.log(`dashboard schema → ${target}`);
