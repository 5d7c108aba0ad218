/**
 * Reading the host's configuration file for a CLI command (`host`, `revoke`): its JSON, then
 * `parseHostConfig`, every problem a usage error (exit 2) that names the file.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { HostConfigError, parseHostConfig, type HostConfig, type HostConfigWithoutDataSources } from '../host/config/host-config.js';
import { printable } from './printable.js';
import { UsageError } from './usage.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The checked configuration in `file`; with `{ dataSourceUrls: false }`, without reading the
 * data sources' URLs (for a command that does not query them).
 *
 * @example
 * const config = await readHostConfigFile('host.json', process.env);
 */
export async function readHostConfigFile(file: string, env: Env): Promise<HostConfig>;
export async function readHostConfigFile(file: string, env: Env, options: { readonly dataSourceUrls: false }): Promise<HostConfigWithoutDataSources>;
export async function readHostConfigFile(file: string, env: Env, options?: { readonly dataSourceUrls: false }): Promise<HostConfig | HostConfigWithoutDataSources> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const name = `"${printable(file)}"`;
    throw new UsageError(code ? `cannot read --config ${name} (${code})` : `--config ${name} is not valid JSON (${(error as Error).message})`);
  }
  try {
    return options ? parseHostConfig(json, file, env, options) : parseHostConfig(json, file, env);
  } catch (error) {
    if (error instanceof HostConfigError) throw new UsageError(error.message);
    throw error;
  }
}
