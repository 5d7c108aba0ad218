/**
 * The per-dashboard example code of the original document ("Embedding a Dashboard (old)"), in
 * its four languages: the payload (`organization`, `dashboard`, `env`, `iat`, `exp`), the JWT
 * made with the language's usual library (PyJWT, ruby-jwt, jsonwebtoken; `hash_hmac` in PHP,
 * which has no JWT library built in), and the `<iframe>` line, with the secret read from
 * `CHARTIO_EMBED_SECRET`. Values are written as each language's string literals, escaped so
 * that any text stays text.
 * @module
 */
import type { Env } from '../protocol/index.js';
import { printable } from './printable.js';

/** The languages `snippet --lang` prints. */
export const SNIPPET_LANGUAGES = ['python', 'ruby', 'javascript', 'php'] as const;
export type SnippetLanguage = (typeof SNIPPET_LANGUAGES)[number];

/** What a snippet is made for. */
export interface SnippetInput {
  organization: number;
  dashboard: number;
  /** The dashboard's base URL, without a trailing slash: `https://dash.example.com/d/38727`. */
  baseUrl: string;
  /** Hidden Variables, already normalized (sorted names, string values). */
  env: Env;
  /** Token lifetime in seconds. */
  ttl: number;
}

/** Characters no literal may hold as they are: controls, separators, bidirectional overrides. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A double-quoted literal that Python, Ruby and JavaScript all read as `text`: JSON's, with the
 * controls JSON leaves raw escaped as `\\uXXXX` (which all three read), as the CLI prints any text.
 */
function quotedJson(text: string): string {
  return printable(JSON.stringify(text));
}

const LITERAL: Record<SnippetLanguage, (text: string) => string> = {
  python: quotedJson,
  javascript: quotedJson,
  // In a double-quoted Ruby string "#{…}", "#$x" and "#@x" interpolate: "\#" is a plain "#".
  ruby: (text) => quotedJson(text).replaceAll('#', '\\#'),
  // In a double-quoted PHP string "$x" interpolates; "\u{…}" is a code point.
  php: (text) =>
    `"${text.replace(/[\\"$]/g, (c) => `\\${c}`).replace(UNSAFE, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`)}"`,
};

/** The env as a map literal, one variable a line: entries indented by `indent`, the close by `outer`. */
function envMap(language: SnippetLanguage, env: Env, outer: string, indent: string): string {
  const literal = LITERAL[language];
  const value = (v: Env[string]): string => (typeof v === 'string' ? literal(v) : `[${v.map(literal).join(', ')}]`);
  const lines = Object.entries(env).map(([name, v]) => {
    if (language === 'javascript') return `${indent}${name}: ${value(v)},`; // names are upper snake case
    if (language === 'php') return `${indent}'${name}' => ${value(v)},`;
    return `${indent}${literal(name)}${language === 'ruby' ? ' =>' : ':'} ${value(v)},`;
  });
  const [open, close] = language === 'php' ? ['(object) [', ']'] : ['{', '}'];
  return lines.length === 0 ? `${open}${close}` : `${open}\n${lines.join('\n')}\n${outer}${close}`;
}

function header(language: SnippetLanguage, input: SnippetInput, comment: string, needs: string): string {
  return [
    `The embed code for dashboard ${input.dashboard} of organization ${input.organization} (chartio-embed snippet --lang ${language}).`,
    needs,
    'It reads the Embed Secret from CHARTIO_EMBED_SECRET: the secret never belongs in code or in a browser.',
    'env holds the Hidden Variables: take values such as ACCT_ID from your session, never from the browser.',
  ]
    .map((line) => `${comment} ${line}`)
    .join('\n');
}

const MISSING = "Set CHARTIO_EMBED_SECRET to the organization's Embed Secret.";
/** The comment above `iat`, two lines in the language's comment syntax. */
function reuseComment(comment: string): string {
  return `${comment} iat rounded down to a tenth of the lifetime: the same payload then signs to the same\n${comment} token, which the dashboard host serves from its cache instead of running its queries again.`;
}

/**
 * The example code for one dashboard in `language`.
 *
 * @example
 * snippetCode('python', { organization: 16417, dashboard: 38727, baseUrl: 'https://dash.example.com/d/38727', env: { ACCT_ID: '1' }, ttl: 900 });
 */
export function snippetCode(language: SnippetLanguage, input: SnippetInput): string {
  const { organization, dashboard, ttl } = input;
  const base = LITERAL[language](input.baseUrl);
  switch (language) {
    case 'python':
      return `${header(language, input, '#', 'It needs PyJWT: pip install pyjwt (Debian: apt-get install python3-jwt).')}
import os
import sys
import time

import jwt

ORGANIZATION_SECRET = os.environ.get("CHARTIO_EMBED_SECRET") or sys.exit(${quotedJson(MISSING)})
BASE_URL = ${base}
TTL = ${ttl}  # seconds the token lives: at most 86400 (24 h), about a session's length

now = int(time.time())
${reuseComment('#')}
iat = now - now % max(1, min(3600, TTL // 10))
payload = {
    "organization": ${organization},
    "dashboard": ${dashboard},
    "env": ${envMap(language, input.env, '    ', '        ')},
    "iat": iat,
    "exp": iat + TTL,
}

token = jwt.encode(payload, ORGANIZATION_SECRET, algorithm="HS256")

print('<iframe src="%s/?embed_token=%s"></iframe>' % (BASE_URL, token))
`;
    case 'ruby':
      return `${header(language, input, '#', 'It needs ruby-jwt: gem install jwt (Debian: apt-get install ruby-jwt).')}
require 'jwt'

ORGANIZATION_SECRET = ENV.fetch('CHARTIO_EMBED_SECRET', '')
abort ${quotedJson(MISSING)} if ORGANIZATION_SECRET.empty?
BASE_URL = ${base}
TTL = ${ttl} # seconds the token lives: at most 86400 (24 h), about a session's length

now = Time.now.to_i
${reuseComment('#')}
iat = now - (now % (TTL / 10).clamp(1, 3600))
payload = {
  organization: ${organization},
  dashboard: ${dashboard},
  env: ${envMap(language, input.env, '  ', '    ')},
  iat: iat,
  exp: iat + TTL
}

token = JWT.encode(payload, ORGANIZATION_SECRET, 'HS256')

puts %(<iframe src="#{BASE_URL}/?embed_token=#{token}"></iframe>)
`;
    case 'javascript':
      return `${header(language, input, '//', 'It needs jsonwebtoken (npm install jsonwebtoken); run it as an ES module: node embed.mjs.')}
import jwt from 'jsonwebtoken';

const ORGANIZATION_SECRET = process.env.CHARTIO_EMBED_SECRET;
if (!ORGANIZATION_SECRET) {
  console.error(${quotedJson(MISSING)});
  process.exit(1);
}
const BASE_URL = ${base};
const TTL = ${ttl}; // seconds the token lives: at most 86400 (24 h), about a session's length

const now = Math.floor(Date.now() / 1000);
${reuseComment('//')}
const iat = now - (now % Math.max(1, Math.min(3600, Math.floor(TTL / 10))));
const payload = {
  organization: ${organization},
  dashboard: ${dashboard},
  env: ${envMap(language, input.env, '  ', '    ')},
  iat,
  exp: iat + TTL,
};

const token = jwt.sign(payload, ORGANIZATION_SECRET, { algorithm: 'HS256' });

console.log(\`<iframe src="\${BASE_URL}/?embed_token=\${token}"></iframe>\`);
`;
    case 'php':
      return `<?php
${header(language, input, '//', 'PHP has no JWT library built in (Debian ships none): the HS256 token is made with hash_hmac.')}
$organization_secret = getenv('CHARTIO_EMBED_SECRET');
if ($organization_secret === false || $organization_secret === '') {
    fwrite(STDERR, ${LITERAL.php(MISSING)} . "\\n");
    exit(1);
}
$base_url = ${base};
$ttl = ${ttl}; // seconds the token lives: at most 86400 (24 h), about a session's length

$now = time();
${reuseComment('//')}
$iat = $now - $now % max(1, min(3600, intdiv($ttl, 10)));
$payload = [
    'organization' => ${organization},
    'dashboard' => ${dashboard},
    'env' => ${envMap(language, input.env, '    ', '        ')},
    'iat' => $iat,
    'exp' => $iat + $ttl,
];

function base64url(string $bytes): string
{
    return rtrim(strtr(base64_encode($bytes), '+/', '-_'), '=');
}

$signing_input = base64url(json_encode(['alg' => 'HS256', 'typ' => 'JWT'])) . '.'
    . base64url(json_encode($payload, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE));
$token = $signing_input . '.' . base64url(hash_hmac('sha256', $signing_input, $organization_secret, true));

echo '<iframe src="' . $base_url . '/?embed_token=' . $token . '"></iframe>' . "\\n";
`;
  }
}
