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
the file given with --secret-file PATH (which wins; one trailing newline is ignored; at most
4096 bytes). It is never taken from the command line, where other users and the shell history
could see it.`;

/** `chartio-embed --help`. */
export const MAIN_HELP = `Usage: chartio-embed <command> [options]

Sign, verify and read Chartio-style dashboard embed tokens (HS256 JWTs, or ES256 and EdDSA with
a key pair).

Commands:
  sign     sign a token for a dashboard (prints the token, or the iframe URL with --base-url)
  verify   verify a token (or the iframe URL sign printed) and print its claims as JSON
  decode   print a token's header, claims and expiry in words, without the secret (not verified)
  keygen   make an ES256 or EdDSA key pair: the private key, the public key and a JWKS
  snippet  print a dashboard's embed code in Python, Ruby, JavaScript or PHP
  host     run the dashboard host from a JSON configuration (host --config host.json)
  revoke   refuse tokens issued before a time, on every host sharing the configuration's Redis
  check    check every dashboard against its real data source, for CI (check --config host.json)
  dev      run the host on loopback for dashboard work: files reloaded, an index, view-as, embed code

Run "chartio-embed <command> --help" for a command's options; "chartio-embed --version" for the
version.

${SECRET_HELP}

Exit codes: 0 success, 1 token refused (verify, decode), Redis unreachable (revoke) or a
problem found (check), 2 usage or input error (for host, also a configuration it cannot start
with: a dashboard file, a setup statement, a package not installed, the port taken).
`;

/** `chartio-embed sign --help`. */
export const SIGN_HELP = `Usage: chartio-embed sign --organization ID --dashboard ID [options]

Options:
  --organization ID     the organization id (e.g. 16417)
  --dashboard ID        the dashboard id (e.g. 38727)
  --env NAME=VALUE      a Hidden Variable; repeat for more. A comma makes a list:
                        --env DATE_RANGE=2014-02-11,2015-02-11
                        and \\, is a comma inside a value: --env 'NAME=Smith\\, John'
                        (\\\\ is a backslash). A list item padded with spaces is refused.
  --env-json JSON       Hidden Variables as a JSON object:
                        --env-json '{"ACCT_ID":"1","DATE_RANGE":["2014-02-11","2015-02-11"]}'
  --ttl SECONDS         token lifetime, 1 to 86400 (default 86400)
  --base-url URL        the dashboard's base URL with {dashboard}, e.g.
                        https://dash.example.com/d/{dashboard}; prints the iframe URL
  --kid ID              the key id to write in the token's header (for a key rotation;
                        required with --private-key-file)
  --json                print {"token","expiresAt","url"} instead
  --secret-file PATH    read the Embed Secret from this file
  --private-key-file PATH
                        sign ES256 or EdDSA with this private key (PEM, as keygen writes
                        it) instead of HS256 with the Embed Secret
  -h, --help            show this help

${SECRET_HELP}
`;

/** `chartio-embed verify --help`. */
export const VERIFY_HELP = `Usage: chartio-embed verify TOKEN|URL --organization ID [--dashboard ID]

Verifies TOKEN (HS256 with the Embed Secret, or ES256 and EdDSA with a public key; exp and iat
required, lifetime at most 24 h) and prints its claims as
JSON (exit 0), or prints "error <code>: <message>" (exit 1). TOKEN may be the iframe URL that
"chartio-embed sign --base-url" prints: its embed_token is verified.

Options:
  --organization ID     the organization id the token must carry
  --dashboard ID        the dashboard id the token must carry (optional)
  --kid ID              the key id of the secret or public key given (tokens must then name it;
                        required with --public-key-file)
  --secret-file PATH    read the Embed Secret from this file
  --public-key-file PATH
                        verify with this ES256 or EdDSA public key (PEM) instead of a secret
  --jwks-url URL        verify with the public keys published at this URL (a JWKS)
  -h, --help            show this help

${SECRET_HELP}
`;

/** `chartio-embed keygen --help`. */
export const KEYGEN_HELP = `
Usage: chartio-embed keygen --alg ES256|EdDSA [--kid ID] [--out PREFIX | --json]

Makes a key pair for public-key tokens. The signing server keeps the private key; hosts get only
the public key (host.json "keys": [{ "kid", "publicKey" }]) or fetch it from a JWKS ("jwksUrl"),
so whoever reads a host's configuration cannot mint tokens.

Options:
  --alg ES256|EdDSA     ES256 (ECDSA on P-256; every JWT library has it) or EdDSA (Ed25519;
                        smaller, faster, newer in libraries)
  --kid ID              the key id tokens will name (default: today's date, like 2026-01-31)
  --out PREFIX          write PREFIX.key.pem (the private key, mode 600), PREFIX.pub.pem and
                        PREFIX.jwks.json (never overwriting a file) and print the public key
  --json                print {"alg","kid","privateKey","publicKey","jwks"} as one JSON line
  -h, --help            show this help

Without --out or --json it prints the private key, the public key and the JWKS, each under a
comment saying where it goes.
`.trimStart();

/** `chartio-embed decode --help`. */
export const DECODE_HELP = `Usage: chartio-embed decode TOKEN|URL

Prints what a token says: its header, its claims, and when it was issued and expires, in words.
It needs no secret, so it proves nothing: anyone can write a token that says anything. Use
"chartio-embed verify" to check one. TOKEN may be the iframe URL that sign prints.
`;

/** `chartio-embed snippet --help`. */
export const SNIPPET_HELP = `Usage: chartio-embed snippet --lang LANG --organization ID --dashboard ID [options]

Prints the embed code for one dashboard, as the original Chartio document showed it: the payload
(organization, dashboard, env, iat, exp), the JWT made with the language's usual library, and the
<iframe> line. The code reads the secret from CHARTIO_EMBED_SECRET when it runs.

Options:
  --lang LANG           python (PyJWT), ruby (ruby-jwt), javascript (jsonwebtoken) or php (hash_hmac)
  --organization ID     the organization id (e.g. 16417; with --config, the host's)
  --dashboard ID        the dashboard id (e.g. 38727)
  --config PATH         the host's configuration: the code then names the dashboard's own
                        Hidden Variables (example values), not the document's
  --env NAME=VALUE      a Hidden Variable, as for sign (default: the dashboard's own with
                        --config, else the document's example, ACCT_ID=1,
                        DATE_RANGE=2014-02-11,2015-02-11, USER_ID=1)
  --env-json JSON       Hidden Variables as a JSON object
  --ttl SECONDS         token lifetime, 1 to 86400 (default 900, the document's example)
  --base-url URL        the dashboard's base URL with {dashboard}
                        (default https://dashboards.example.com/d/{dashboard})
  -h, --help            show this help
`;
