/**
 * Writes dist/host.schema.json, the JSON Schema of host.json, from the built TypeBox definition
 * (dist/host/config/schema/host-file.js): the published schema IS the definition the host
 * validates with, so the two cannot drift. Run by `npm run build`, after tsc.
 */
import { writeFile } from 'node:fs/promises';

const { hostJsonSchema } = await import(new URL('../dist/host/config/schema/host-file.js', import.meta.url).href);
await writeFile(new URL('../dist/host.schema.json', import.meta.url), `${JSON.stringify(hostJsonSchema(), null, 2)}\n`);
