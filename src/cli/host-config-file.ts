/**
 * Reading the host's configuration file for a CLI command (`host`, `revoke`): its JSON (at most
 * 1 MiB, never quoted in a message), then `parseHostConfig`, every problem a usage error (exit 2)
 * that names the file.
 * @module
 */
import { readJsonFile } from '../host/read-json-file.js';
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
  // Read with a size cap, and never quoted: a path that names the wrong file (a secret, say) says so and no more.
  const read = await readJsonFile(file);
  if (!read.ok) throw new UsageError(`--config "${printable(file)}" ${read.problem}`);
  const json = read.value;
  try {
    return options ? parseHostConfig(json, file, env, options) : parseHostConfig(json, file, env);
  } catch (error) {
    if (error instanceof HostConfigError) throw new UsageError(error.message);
    throw error;
  }
}
