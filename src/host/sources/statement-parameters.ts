/**
 * The run-time half of the tenant check: a source refuses to run a statement whose parameters, as
 * the database itself reads them, differ from those checked when the dashboard was loaded. A
 * statement that binds fewer parameters than were checked could be missing its tenant filter.
 * @module
 */

/**
 * A statement the database reads with other parameters than were checked. `code` is stable:
 * `statement_parameters_differ`. The message names parameters only, never their values.
 *
 * @example
 * if (error instanceof StatementParametersError) log({ level: 'error', event: 'query_refused', message: error.message });
 */
export class StatementParametersError extends Error {
  override readonly name = 'StatementParametersError';
  readonly code = 'statement_parameters_differ';
  /** The parameters checked at load. */
  readonly expected: readonly string[];
  /** The parameters the database reads in the statement. */
  readonly found: readonly string[];
  constructor(expected: readonly string[], found: readonly string[]) {
    super(
      `the statement was not run: the database reads its parameters as ${listParameters(found)}, and it was checked with ${listParameters(expected)}; ` +
        'load the dashboards again (their check asks the database which parameters each query has)',
    );
    this.expected = expected;
    this.found = found;
  }
}

/**
 * Throws a {@link StatementParametersError} unless `found` (what the database reads) holds the
 * same names as `expected` (what was checked), in any order. No `expected`: nothing to compare.
 *
 * @example
 * assertSameParameters(['ACCT_ID'], []); // throws: the database reads none
 */
export function assertSameParameters(expected: readonly string[] | undefined, found: readonly string[]): void {
  if (expected === undefined) return;
  const want = new Set(expected);
  const have = new Set(found);
  if (want.size !== have.size || [...want].some((name) => !have.has(name))) throw new StatementParametersError([...want], [...have]);
}

function listParameters(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.map((name) => `$${name}`).join(', ');
}
