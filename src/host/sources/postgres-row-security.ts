/**
 * Row-level security for the PostgreSQL source: the token's Hidden Variables carried into the
 * database as transaction settings (`set_config('chartio.acct_id', '7', true)` at the start of
 * each chart's and each download's read-only transaction, before its query), so that PostgreSQL's
 * own policies (`CREATE POLICY … USING (account_id = current_setting('chartio.acct_id')::int)`)
 * isolate tenants whatever a chart's SQL says, a chart that forgets its `WHERE` included.
 *
 * Policies bind only roles they apply to: a superuser, a role with `BYPASSRLS`, and a table's
 * owner (unless the table has `FORCE ROW LEVEL SECURITY`) read every row. So a source with
 * settings checks its role when it starts, and refuses to start when the policies would not hold.
 * @module
 */
import type { Env, EnvValue } from '../../protocol/index.js';

/** Setting names to Hidden Variable names: `{ "chartio.acct_id": "ACCT_ID" }`. */
export type TransactionSettings = Readonly<Record<string, string>>;

/** A custom setting's name as PostgreSQL takes it: `prefix.name` (lower case, so no quoting question arises). */
const SETTING_NAME = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;
/** A Hidden Variable's name, as dashboards declare them. */
const VARIABLE_NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * The source's role would read past the policies, or the settings are malformed: the source must
 * not start. The message says what is wrong and what to do, and never holds the connection URL.
 *
 * @example
 * try {
 *   await createPostgresDataSource({ connectionString, transactionSettings: { 'chartio.acct_id': 'ACCT_ID' } });
 * } catch (error) {
 *   if (error instanceof RowSecurityError) console.error(`warehouse ${error.message}`); // 'warehouse connects as app, a superuser, …'
 * }
 */
export class RowSecurityError extends Error {
  override readonly name = 'RowSecurityError';
}

/**
 * Checks the settings' shape; throws a {@link RowSecurityError} naming the one at fault.
 *
 * @example
 * checkTransactionSettings({ 'chartio.acct_id': 'ACCT_ID' }); // fine
 * checkTransactionSettings({ acct_id: 'ACCT_ID' }); // throws: a custom setting needs a prefix
 */
export function checkTransactionSettings(settings: unknown): asserts settings is TransactionSettings {
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings) || Object.keys(settings).length === 0) {
    throw new RowSecurityError('transactionSettings must map setting names to Hidden Variables, like { "chartio.acct_id": "ACCT_ID" }');
  }
  for (const [name, variable] of Object.entries(settings)) {
    if (!SETTING_NAME.test(name)) throw new RowSecurityError(`transactionSettings: "${name}" is not a custom setting name: write it lower case with a prefix, like "chartio.acct_id"`);
    if (typeof variable !== 'string' || !VARIABLE_NAME.test(variable)) {
      throw new RowSecurityError(`transactionSettings.${name} must name a Hidden Variable in upper snake case, like "ACCT_ID"`);
    }
  }
}

/**
 * The statement that applies the settings for one token, and its values; throws when the token
 * lacks a variable (no query runs without its tenant: the policies would see no setting, or the
 * previous transaction's empty one).
 *
 * @example
 * settingsStatement({ 'chartio.acct_id': 'ACCT_ID' }, { ACCT_ID: '7' });
 * // { text: 'SELECT set_config($1, $2, true)', values: ['chartio.acct_id', '7'] }
 */
export function settingsStatement(settings: TransactionSettings, env: Env | undefined): { text: string; values: string[] } {
  const calls: string[] = [];
  const values: string[] = [];
  for (const [name, variable] of Object.entries(settings)) {
    const value = env !== undefined && Object.hasOwn(env, variable) ? env[variable] : undefined;
    if (value === undefined) {
      throw new Error(`row-level security: the token does not set the Hidden Variable ${variable}, which the setting ${name} takes; the query was not run`);
    }
    values.push(name, settingText(value));
    calls.push(`set_config($${values.length - 1}, $${values.length}, true)`);
  }
  return { text: `SELECT ${calls.join(', ')}`, values };
}

/**
 * A variable's value as a setting's text: a string as it is, a list as a PostgreSQL array literal
 * (`{"7","8"}`), so a policy reads it with `= ANY (current_setting('chartio.acct_ids')::int[])`.
 */
function settingText(value: EnvValue): string {
  if (typeof value === 'string') return value;
  return `{${value.map((item) => `"${item.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/**
 * The query that finds why a role would read past row-level security: one row per reason.
 * Membership counts: a role that inherits a table owner's privileges is treated as its owner.
 */
export const ROLE_CHECK_SQL = `
SELECT 'superuser' AS reason, NULL::text AS relation FROM pg_roles WHERE rolname = current_user AND rolsuper
UNION ALL
SELECT 'bypassrls', NULL FROM pg_roles WHERE rolname = current_user AND rolbypassrls
UNION ALL
SELECT 'owner', format('%I.%I', n.nspname, c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relrowsecurity AND NOT c.relforcerowsecurity AND pg_has_role(current_user, c.relowner, 'USAGE')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')`;

/**
 * The refusal for the rows {@link ROLE_CHECK_SQL} found (`undefined` when there are none): what
 * is wrong and what to do.
 *
 * @example
 * roleProblem('app', [{ reason: 'superuser', relation: null }]);
 * // 'connects as app, a superuser, which row-level security policies never bind: connect as a role without SUPERUSER or BYPASSRLS'
 */
export function roleProblem(role: string, rows: readonly { reason: string; relation: string | null }[]): string | undefined {
  const fix = 'connect as a role without SUPERUSER or BYPASSRLS';
  if (rows.some((row) => row.reason === 'superuser')) return `connects as ${role}, a superuser, which row-level security policies never bind: ${fix}`;
  if (rows.some((row) => row.reason === 'bypassrls')) return `connects as ${role}, a role with BYPASSRLS, which row-level security policies never bind: ${fix}`;
  const owned = rows.filter((row) => row.reason === 'owner').map((row) => row.relation!);
  if (owned.length === 0) return undefined;
  const shown = owned.slice(0, 5).join(', ') + (owned.length > 5 ? ', …' : '');
  return `connects as ${role}, which owns ${shown} (row-level security on, not forced), so their policies do not bind it: connect as a role that does not own them, or run ALTER TABLE … FORCE ROW LEVEL SECURITY on each`;
}
