/**
 * What the in-process tests of `chartio-embed host --config` share: a CLI io that records what
 * the command writes, the demo host's configuration, and configuration files in a temp folder.
 * @module
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_DASHBOARDS, demoDataSources } from '../../support/demo-database.js';

/**
 * A CLI io with `env`, recording stdout (`out`) and stderr (`err`); `firstLine` resolves with the
 * first thing written to stdout (the host's "listening" line).
 *
 * @example
 * const run = recordingIo({ CHARTIO_EMBED_SECRET: SECRET });
 * await runCli(['host', '--config', file], run.io);
 */
export function recordingIo(env: Record<string, string | undefined>) {
  const out: string[] = [];
  const err: string[] = [];
  let said!: (text: string) => void;
  const firstLine = new Promise<string>((resolve) => (said = resolve));
  const write = (text: string) => {
    out.push(text);
    said(text);
  };
  return { io: { env, out: write, err: (text: string) => void err.push(text) }, out, err, firstLine };
}

/**
 * A fresh configuration of the demo host: the demo's dashboards on an in-memory DuckDB with the
 * demo data, any free port.
 *
 * @example
 * await configFileIn(folder, { ...demoHostConfig(), port: 8081 });
 */
export const demoHostConfig = () => ({
  organization: 16417,
  dashboards: DEMO_DASHBOARDS,
  dataSources: demoDataSources(),
  port: 0,
  frameAncestors: ['https://app.example.com'],
});

/**
 * Writes `config` (a string as it is, else as JSON) to `folder/name` and returns the path.
 *
 * @example
 * const file = await configFileIn(folder, demoHostConfig(), 'host-x.json');
 */
export async function configFileIn(folder: string, config: unknown, name = `host-${Math.random().toString(36).slice(2)}.json`): Promise<string> {
  const file = join(folder, name);
  await writeFile(file, typeof config === 'string' ? config : JSON.stringify(config));
  return file;
}
