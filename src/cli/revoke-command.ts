/**
 * `chartio-embed revoke --config host.json --before TIME [--dashboard ID]`: sets a revocation
 * cut-off at run time in the hosts' shared Redis (the configuration's `redis`), so every instance
 * refuses the tokens issued before it, cached or not, within its `revocation.refreshMs`. `--list`
 * prints the cut-offs in force. A cut-off only ever moves later; to make one permanent (it lives
 * in Redis, which may be emptied), copy it into the configuration's `revocation`.
 * @module
 */
import { reuseWindowSeconds } from '../server/index.js';
import type { HostConfigWithoutDataSources as HostConfig } from '../host/config/host-config.js';
import { DashboardDefinitionError } from '../host/definition/dashboard-definition.js';
import { loadDashboardFiles } from '../host/definition/load-dashboards.js';
import { MissingPeerError } from '../host/sources/optional-peer.js';
import { raiseRevocationCutOff, readRevocationCutOffs } from '../host/store/redis-revocations.js';
import { momentMs, type CutOffs } from '../host/store/revocation.js';
import { parse } from './args.js';
import { readHostConfigFile } from './host-config-file.js';
import type { CliIo } from './io.js';
import { printable, quoted } from './printable.js';
import { EXIT, UsageError } from './usage.js';

/** `chartio-embed revoke --help`. */
export const REVOKE_HELP = `
Usage: chartio-embed revoke --config host.json --before TIME [--dashboard ID]
       chartio-embed revoke --config host.json --list

Refuses the tokens issued before TIME on every dashboard host that shares the configuration's
Redis: all the organization's tokens, or one dashboard's with --dashboard. Cached pages of those
tokens are refused too. Each host sees the cut-off at once (announced on Redis), and in any case
within the configuration's revocation.refreshMs (5000 ms by default).

TIME is "now" or an ISO 8601 time with its zone (2026-03-01T12:00:00Z), not in the future. A
cut-off only ever moves later: an earlier TIME than the one in force changes nothing. Signers
round a token's issue time down to their reuse window (a tenth of its lifetime, at most an hour),
so tokens signed shortly after "now" may still be refused until the next window (revoke prints
when, for 24-hour and 15-minute tokens). revoke needs Redis only: the data sources' urlEnv
variables need not be set.

The cut-off lives in Redis: to keep it for good, also write it in the configuration's
"revocation" field. Redis that cannot be reached changes nothing (exit 1).

Options:
  --config PATH         the hosts' configuration file (JSON), with its "redis"
  --before TIME         refuse tokens issued before TIME ("now", or ISO 8601 with a zone)
  --dashboard ID        only this dashboard's tokens (default: the whole organization's)
  --list                print the cut-offs in force (the configuration's and Redis's)
  -h, --help            show this help
`.trimStart();

/** How far ahead of this clock a cut-off may be (a signer's clock may run a little ahead). */
const FUTURE_TOLERANCE_MS = 30_000;

/**
 * Runs the command; resolves to the exit code.
 *
 * @example
 * process.exitCode = await revokeCommand(['--config', 'host.json', '--before', 'now'], io);
 */
export async function revokeCommand(args: readonly string[], io: CliIo): Promise<number> {
  try {
    return await revoke(args, io);
  } catch (error) {
    if (!(error instanceof RedisUnreachable)) throw error;
    io.err(`chartio-embed revoke: ${error.message}\n`);
    return EXIT.refused;
  }
}

async function revoke(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(
    args,
    {
      config: { type: 'string' },
      before: { type: 'string' },
      dashboard: { type: 'string' },
      list: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values.help) {
    io.out(REVOKE_HELP);
    return EXIT.ok;
  }
  if (values.config === undefined) throw new UsageError('revoke needs --config PATH (the hosts\' JSON configuration, with its "redis")');
  if ((values.before === undefined) === !values.list) throw new UsageError('revoke needs --before TIME (or --list to print the cut-offs in force)');
  // Revoke talks to Redis only: the data sources' URLs (DATABASE_URL…) need not be set here.
  const config = await readHostConfigFile(values.config, io.env, { dataSourceUrls: false });
  if (!config.redis) {
    throw new UsageError(`${values.config} has no "redis": run-time cut-offs live in the hosts' shared Redis; without one, write the cut-off in the configuration's "revocation" field and restart the hosts`);
  }
  const redis = { url: config.redis.url, ...(config.redis.keyPrefix === undefined ? {} : { keyPrefix: config.redis.keyPrefix }), organization: config.organization };

  if (values.list) {
    const inRedis = await reach(() => readRevocationCutOffs(redis));
    io.out(describeCutOffs(config, inRedis));
    return EXIT.ok;
  }
  const before = cutOffOf(values.before!);
  const dashboard = values.dashboard === undefined ? undefined : await servedDashboard(values.dashboard, config, values.config);
  const result = await reach(() => raiseRevocationCutOff({ ...redis, before, ...(dashboard === undefined ? {} : { dashboard }) }));
  const scope = dashboard === undefined ? `organization ${config.organization}` : `dashboard ${dashboard} of organization ${config.organization}`;
  const refreshMs = config.revocation?.refreshMs ?? 5_000;
  if (result.raised) {
    io.out(`chartio-embed revoke: tokens for ${scope} issued before ${iso(result.cutOff)} are refused by every host sharing this Redis (each within ${refreshMs} ms)\n`);
    io.out(`${reuseWindowNote(result.cutOff)}\n`);
  } else {
    io.out(`chartio-embed revoke: a later cut-off for ${scope} is already in force (${iso(result.cutOff)}): kept\n`);
  }
  return EXIT.ok;
}

/** `now`, or an ISO time with its zone, not in the future. */
function cutOffOf(text: string): number {
  const now = Date.now();
  if (text === 'now') return now;
  const ms = momentMs(text);
  if (ms === undefined) throw new UsageError(`--before ${quoted(text)} is not a time: give "now" or ISO 8601 with its zone, like 2026-03-01T12:00:00Z`);
  if (ms > now + FUTURE_TOLERANCE_MS) {
    throw new UsageError(`--before ${iso(ms)} is in the future: a cut-off refuses tokens issued before it, so a future one would refuse tokens not yet signed; give a time up to now`);
  }
  return ms;
}

/** The dashboard id, if the configuration's folder serves it. */
async function servedDashboard(text: string, config: HostConfig, file: string): Promise<number> {
  if (!/^[1-9][0-9]{0,15}$/.test(text)) throw new UsageError(`--dashboard must be a dashboard id (a positive integer), got ${quoted(text)}`);
  let ids: number[];
  try {
    ids = (await loadDashboardFiles(config.dashboards)).map((dashboard) => dashboard.id);
  } catch (error) {
    if (error instanceof DashboardDefinitionError) throw new UsageError(error.message);
    throw error;
  }
  if (!ids.includes(Number(text))) throw new UsageError(`--dashboard ${text}: ${file} serves no such dashboard (${ids.join(', ')})`);
  return Number(text);
}

/** Runs a Redis operation; a failure is one line and exit 1, saying nothing changed. */
async function reach<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MissingPeerError) throw new UsageError(error.message);
    throw new RedisUnreachable(printable((error as Error).message));
  }
}

/** Redis could not be reached: exit 1 (the command was right; the outcome is not what was asked). */
class RedisUnreachable extends Error {
  override readonly name = 'RedisUnreachable';
}

function describeCutOffs(config: HostConfig, inRedis: CutOffs): string {
  const lines: string[] = [];
  const configured = config.revocation;
  if (configured?.before !== undefined) lines.push(`organization ${config.organization}: before ${iso(configured.before)} (configuration)`);
  for (const [id, ms] of Object.entries(configured?.dashboards ?? {})) lines.push(`dashboard ${id}: before ${iso(ms)} (configuration)`);
  if (inRedis.organization !== undefined) lines.push(`organization ${config.organization}: before ${iso(inRedis.organization)} (Redis)`);
  for (const [id, ms] of [...inRedis.dashboards].sort(([a], [b]) => a - b)) lines.push(`dashboard ${id}: before ${iso(ms)} (Redis)`);
  return lines.length === 0 ? `no revocation cut-offs for organization ${config.organization}\n` : `${lines.join('\n')}\n`;
}

/** The lifetimes the note speaks of: `sign`'s default (24 hours) and a common short one (15 minutes). */
const NOTED_LIFETIMES = { long: 86_400, short: 900 } as const;

/**
 * The line after a new cut-off: signers round `iat` down to their reuse window, so a token signed
 * after the cut-off but within the window it falls in carries an earlier `iat` and is refused
 * too. Such tokens pass again once the window turns: from the cut-off rounded up to the window.
 * Computed with the signer's own {@link reuseWindowSeconds}, for `sign`'s default lifetime (24
 * hours) and a common short one (15 minutes).
 *
 * @example
 * reuseWindowNote(Date.parse('2026-03-01T02:50:30Z'));
 * // 'chartio-embed revoke: signers round issue times down to their reuse window, so tokens signed
 * //  since are refused too until their window turns: 03:00:00Z for 24-hour tokens (1-hour
 * //  window), 02:51:00Z for 15-minute tokens (90-second window)' (one line)
 */
export function reuseWindowNote(cutOffMs: number): string {
  const day = iso(cutOffMs).slice(0, 10);
  const until = (ttl: number) => {
    const windowSeconds = reuseWindowSeconds(ttl);
    const text = iso(Math.ceil(cutOffMs / (windowSeconds * 1000)) * windowSeconds * 1000);
    // The time alone when it falls on the cut-off's day; else with its date.
    const when = text.slice(0, 10) === day ? `${text.slice(11, 19)}Z` : `${text.slice(0, 19)}Z`;
    return `${when} for ${duration(ttl)} tokens (${duration(windowSeconds)} window)`;
  };
  return `chartio-embed revoke: signers round issue times down to their reuse window, so tokens signed since are refused too until their window turns: ${until(86_400)}, ${until(900)}`;
}

/** `24-hour`, `15-minute`, `90-second`: a duration as an adjective. */
function duration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}-hour`;
  if (seconds % 60 === 0) return `${seconds / 60}-minute`;
  return `${seconds}-second`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
