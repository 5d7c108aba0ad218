/**
 * `chartio-embed snippet --lang python|ruby|javascript|php --organization N --dashboard N`: prints
 * the original document's example code for that dashboard (see snippet-code.ts); with `--config
 * host.json`, filled with that dashboard's own Hidden Variables (and the host's organization). It needs no
 * secret: the code it prints reads `CHARTIO_EMBED_SECRET` when it runs.
 * @module
 */
import { MAX_TTL_SECONDS, MIN_TTL_SECONDS, isPositiveId, normalizeEnv } from '../protocol/index.js';
import { EmbedError } from '../server/index.js';
import { TOKEN_OPTIONS, parse, wholeNumber } from './args.js';
import { envFromFlags } from './env-flags.js';
import type { CliIo } from './io.js';
import { quoted } from './printable.js';
import { SNIPPET_LANGUAGES, snippetCode, type SnippetLanguage } from './snippet-code.js';
import { EXIT, SNIPPET_HELP, UsageError } from './usage.js';
import { readHostConfigFile } from './host-config-file.js';
import { exampleEnv } from './dev/example-env.js';
import { DashboardDefinitionError } from '../host/definition/dashboard-definition.js';
import { loadEachDashboardFile } from '../host/definition/load-dashboards.js';

/** The original document's example env, used when no --env is given. */
export const SEED_ENV = Object.freeze({ ACCT_ID: '1', DATE_RANGE: ['2014-02-11', '2015-02-11'], USER_ID: '1' });
/** The original document's example lifetime (its Django example's 900 s). */
export const SNIPPET_TTL_SECONDS = 900;
/** Where the printed code points until told otherwise. */
export const SNIPPET_BASE_URL = 'https://dashboards.example.com/d/{dashboard}';

/**
 * Runs `snippet` and resolves to the exit code.
 *
 * @example
 * await snippetCommand(['--lang', 'php', '--organization', '16417', '--dashboard', '38727'], io);
 */
export async function snippetCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    ...TOKEN_OPTIONS,
    lang: { type: 'string' },
    config: { type: 'string' },
  }, false);
  if (values.help) {
    io.out(SNIPPET_HELP);
    return EXIT.ok;
  }
  const language = values.lang as string | undefined;
  if (language === undefined || !(SNIPPET_LANGUAGES as readonly string[]).includes(language)) {
    throw new UsageError(`--lang must be one of ${SNIPPET_LANGUAGES.join(', ')}${language === undefined ? '' : `, got ${quoted(language)}`}`);
  }
  // With the host's configuration, its organization and the dashboard's own variables are the defaults.
  const host = values.config === undefined ? undefined : await readHostConfigFile(values.config, io.env, { dataSourceUrls: false });
  const organization = host === undefined ? wholeNumber(values.organization, '--organization', true) : (wholeNumber(values.organization, '--organization', false) ?? host.organization);
  if (!isPositiveId(organization)) throw new EmbedError('invalid_organization', `--organization must be a positive integer, got ${organization}`);
  const dashboard = wholeNumber(values.dashboard, '--dashboard', true);
  if (!isPositiveId(dashboard)) throw new EmbedError('invalid_dashboard', `--dashboard must be a positive integer, got ${dashboard}`);
  const example = host === undefined ? SEED_ENV : await dashboardExampleEnv(host.dashboards, dashboard);
  const ttl = wholeNumber(values.ttl, '--ttl', false) ?? SNIPPET_TTL_SECONDS;
  if (ttl < MIN_TTL_SECONDS || ttl > MAX_TTL_SECONDS) {
    throw new EmbedError('invalid_ttl', `--ttl must be a whole number of seconds from ${MIN_TTL_SECONDS} to ${MAX_TTL_SECONDS} (24 h), got ${ttl}`);
  }
  const flags = (values.env as string[] | undefined) ?? [];
  const json = values['env-json'] as string | undefined;
  const normalized = normalizeEnv(flags.length === 0 && json === undefined ? example : envFromFlags(flags, json));
  if (!normalized.ok) throw new EmbedError('invalid_env', normalized.problem.message, { variable: normalized.problem.variable });
  const baseUrl = dashboardBase((values['base-url'] as string | undefined) ?? SNIPPET_BASE_URL, dashboard);
  io.out(snippetCode(language as SnippetLanguage, { organization, dashboard, baseUrl, env: normalized.env, ttl }));
  return EXIT.ok;
}

/** Example values of the Hidden Variables `dashboard` (one of the files in `folder`) reads. */
async function dashboardExampleEnv(folder: string, dashboard: number): Promise<Record<string, string | readonly string[]>> {
  let loaded;
  try {
    loaded = await loadEachDashboardFile(folder);
  } catch (error) {
    if (error instanceof DashboardDefinitionError) throw new UsageError(error.message);
    throw error;
  }
  const found = loaded.dashboards.find((item) => item.id === dashboard);
  if (!found) {
    const broken = loaded.problems.length === 0 ? '' : ` (${loaded.problems.length} file${loaded.problems.length === 1 ? '' : 's'} could not be read: run chartio-embed check)`;
    throw new UsageError(`--dashboard ${dashboard} is not among the configuration's dashboards (${loaded.dashboards.map((item) => item.id).join(', ') || 'none'})${broken}`);
  }
  return exampleEnv(found.variables);
}

/** The base URL for `dashboard`, checked like the signer's `baseUrl`, normalized, without a trailing slash. */
function dashboardBase(template: string, dashboard: number): string {
  const problem = (why: string) => new EmbedError('invalid_base_url', `--base-url ${why}; write it like "${SNIPPET_BASE_URL}"`);
  if (!template.includes('{dashboard}')) throw problem('must contain {dashboard} where the dashboard id goes');
  const base = template.replaceAll('{dashboard}', String(dashboard));
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw problem('is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw problem('must be an http(s) URL');
  if (url.username || url.password || base.includes('?') || base.includes('#')) throw problem('must have no user name, password, query or fragment');
  // The URL API's own spelling: anything that could end an HTML attribute is percent-encoded.
  return url.href.replace(/\/+$/, '');
}
