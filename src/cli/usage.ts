/**
 * The CLI's help texts and its usage error (exit code 2).
 * @module
 */

/** Exit codes: documented in the help text, relied on by scripts. */
export const EXIT = { ok: 0, refused: 1, usage: 2 } as const;

/**
 * A mistake in how the CLI was called: printed as one line, exit code 2, never a stack.
 *
 * @example
 * throw new UsageError('--organization is required');
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const SECRET_HELP = `The Embed Secret is read from the CHARTIO_EMBED_SECRET environment variable, or from
the file given with --secret-file PATH (which wins; one trailing newline is ignored). It is never
taken from the command line, where other users and the shell history could see it.`;

/** `chartio-embed --help`. */
export const MAIN_HELP = `Usage: chartio-embed <command> [options]

Sign and verify Chartio-style dashboard embed tokens (HS256 JWTs).

Commands:
  sign     sign a token for a dashboard (prints the token, or the iframe URL with --base-url)
  verify   verify a token and print its claims as JSON
  host     run the dashboard host from a JSON configuration (host --config host.json)

Run "chartio-embed <command> --help" for a command's options.

${SECRET_HELP}

Exit codes: 0 success, 1 token refused (verify), 2 usage or input error.
`;

/** `chartio-embed sign --help`. */
export const SIGN_HELP = `Usage: chartio-embed sign --organization ID --dashboard ID [options]

Options:
  --organization ID     the organization id (e.g. 16417)
  --dashboard ID        the dashboard id (e.g. 38727)
  --env NAME=VALUE      a Hidden Variable; repeat for more. A value with commas becomes a list:
                        --env DATE_RANGE=2014-02-11,2015-02-11
  --env-json JSON       Hidden Variables as a JSON object (for values that contain commas):
                        --env-json '{"ACCT_ID":"1","DATE_RANGE":["2014-02-11","2015-02-11"]}'
  --ttl SECONDS         token lifetime, 1 to 86400 (default 86400)
  --base-url URL        the dashboard's base URL with {dashboard}, e.g.
                        https://dash.example.com/d/{dashboard}; prints the iframe URL
  --json                print {"token","expiresAt","url"} instead
  --secret-file PATH    read the Embed Secret from this file
  -h, --help            show this help

${SECRET_HELP}
`;

/** `chartio-embed verify --help`. */
export const VERIFY_HELP = `Usage: chartio-embed verify TOKEN --organization ID [--dashboard ID]

Verifies TOKEN (HS256 only, exp and iat required, lifetime at most 24 h) and prints its claims as
JSON (exit 0), or prints "error <code>: <message>" (exit 1).

Options:
  --organization ID     the organization id the token must carry
  --dashboard ID        the dashboard id the token must carry (optional)
  --secret-file PATH    read the Embed Secret from this file
  -h, --help            show this help

${SECRET_HELP}
`;
