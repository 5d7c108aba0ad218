<?php
/*
 * A complete chartio-embed token endpoint in PHP: Debian's php-cli (8.2) and its built-in web
 * server, nothing else. Debian ships no PHP JWT library, so the HS256 token is made here with
 * hash_hmac and base64url by hand: an HS256 JWT is three base64url parts and one HMAC. It is also a
 * tiny app: GET / signs the visitor in (a demo session) and shows a <chartio-embed> that asks
 * POST /embed-token for its token.
 *
 * The wire contract it implements, check by check and in the same order, is
 * docs/token-endpoint.md; the tests in test/examples/ run the same contract against this file, the
 * Python and Ruby ones and the TypeScript endpoint.
 *
 *     CHARTIO_EMBED_SECRET=$(openssl rand -base64 32) php examples/php/app.php 8002
 *
 * Run that way, the file checks its configuration (a misconfigured server exits) and then becomes
 * PHP's built-in server (`php -S 127.0.0.1:8002 app.php`), with itself as the router. In a real
 * app, php-fpm behind nginx (or your framework) does that part; everything below it ports as it
 * is. The built-in server reads a whole request body before the script runs, so the 16 KiB bound
 * below is enforced on what it read: in production set the web server's own limit too (nginx
 * client_max_body_size).
 *
 * Configuration, all from the environment (checked at start: a misconfigured server exits):
 *   CHARTIO_EMBED_SECRET     the organization's Embed Secret, at least 32 bytes (required for HS256)
 *   CHARTIO_EMBED_PRIVATE_KEY  sign with a key pair instead: a private key in PEM, EC P-256 for ES256
 *                            or Ed25519 for EdDSA (what `chartio-embed keygen --alg ES256|EdDSA`
 *                            prints); needs CHARTIO_EMBED_KID, PHP's openssl extension and, for
 *                            EdDSA, its sodium extension. Hosts then hold only the public key.
 *   CHARTIO_ORGANIZATION     organization id (16417)
 *   CHARTIO_DASHBOARDS       dashboard ids the browser may ask for ("38727"; the page shows the first)
 *   CHARTIO_FILTERS          Hidden Variables the browser may set ("DATE_RANGE,USER_ID")
 *   CHARTIO_BASE_URL         where dashboards are served ("http://127.0.0.1:8081/d/{dashboard}")
 *   CHARTIO_TTL              token lifetime in seconds, 1 to 86400 (86400)
 *   CHARTIO_ALLOWED_ORIGINS  origins allowed to ask, comma-separated (default: this server's own);
 *                            pages on these origins may call across origins (CORS, with cookies)
 *   CHARTIO_EMBED_KID        the key id written in each token's header (none by default), so hosts
 *                            holding several keys during a rotation know which one signed it
 *   CHARTIO_ELEMENT_JS       the element bundle served at /chartio-embed.js
 *                            (../../dist/browser/chartio-embed.js, built by `npm run build`)
 *   DEMO_ACCOUNT             the account a new visitor of GET / is signed in as ("1")
 *   DEMO_SESSIONS            sessions to start with, "session-id=account,..." (for tests)
 *   PORT, or the first argument: the port on 127.0.0.1 (8002; 0 picks a free one, which PHP's
 *   "Development Server (http://127.0.0.1:PORT) started" line names)
 */
declare(strict_types=1);

// The protocol's limits (src/protocol/limits.ts): the dashboard host checks the same ones.
const MAX_BODY_BYTES = 16 * 1024;
const MAX_TTL = 86_400;
const MAX_ENV_KEYS = 64;
const MAX_VALUE_LENGTH = 1024; // in UTF-16 code units, as JavaScript counts a string's length
const MAX_LIST_ITEMS = 256;
// The whole env as canonical JSON, in UTF-8 bytes: the token travels in the iframe's URL, and 4 KiB
// of env keeps the largest token near 5.7 KB and its URL under the 8 KB request line proxies accept.
const MAX_ENV_JSON_BYTES = 4096;
const MAX_SAFE_INTEGER = 9_007_199_254_740_991;
const HIDDEN_VARIABLE = '/^[A-Z][A-Z0-9_]{0,63}$/D'; // D: $ is the very end, not before a final newline
const KEY_ID = '/^[!#-\[\]-~]{1,64}$/D'; // printable ASCII but space, quote and backslash: JSON writes it as it is
const LOCKED = 'ACCT_ID'; // set from the session, never from the browser
// JSON as JavaScript's JSON.stringify writes it: UTF-8 text, "/" and U+2028/U+2029 as they are.
const JSON_AS_JAVASCRIPT = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_LINE_TERMINATORS | JSON_THROW_ON_ERROR;

ini_set('serialize_precision', '-1'); // floats in their shortest exact form, as JavaScript writes them
ini_set('default_mimetype', ''); // no Content-Type but the ones set here (a 204 has none)
ini_set('display_errors', '0'); // a warning must never reach a client: it becomes a 500 (below)
ini_set('log_errors', '1');
set_error_handler(static function (int $severity, string $message, string $file, int $line): bool {
    throw new ErrorException($message, 0, $severity, $file, $line);
});

// ---------------------------------------------------------------------------------------------
// Configuration, checked once at start (and read again by each request of the built-in server):
// a server that could only issue bad tokens must not start.

final class ConfigError extends Exception
{
}

function setting(string $name, string $default): string
{
    $value = getenv($name);
    return trim($value === false ? $default : $value);
}

/** @return list<string> */
function listed(string $text): array
{
    return array_values(array_filter(array_map('trim', explode(',', $text)), static fn (string $item): bool => $item !== ''));
}

function positive_int(string $text, string $name): int
{
    if (preg_match('/^[1-9][0-9]{0,14}$/D', $text) !== 1) {
        throw new ConfigError(sprintf('%s must be a positive integer, got %s', $name, json_encode($text, JSON_AS_JAVASCRIPT)));
    }
    return (int) $text;
}

/** @return array<string, mixed> the settings, or throws ConfigError with a message to print */
function load_config(): array
{
    // ES256 or EdDSA with a private key (its type picks which), or HS256 with the Embed Secret
    // (the default, as the original protocol).
    $privateKeyPem = trim((string) getenv('CHARTIO_EMBED_PRIVATE_KEY'));
    $secret = '';
    $privateKey = null;
    $algorithm = 'HS256';
    if ($privateKeyPem !== '') {
        if (!function_exists('openssl_pkey_get_private')) {
            throw new ConfigError('CHARTIO_EMBED_PRIVATE_KEY needs PHP\'s openssl extension');
        }
        $privateKey = openssl_pkey_get_private($privateKeyPem);
        $details = $privateKey === false ? false : openssl_pkey_get_details($privateKey);
        if ($details === false) {
            throw new ConfigError('CHARTIO_EMBED_PRIVATE_KEY is not a PEM private key without a password (chartio-embed keygen --alg ES256 or --alg EdDSA prints one)');
        }
        $seed = ed25519_seed($privateKeyPem);
        if ($seed !== null) {
            if (!function_exists('sodium_crypto_sign_detached')) {
                throw new ConfigError('CHARTIO_EMBED_PRIVATE_KEY is an Ed25519 key, which needs PHP\'s sodium extension (php-sodium) to sign EdDSA');
            }
            // sodium's secret key is the seed and the public key (64 bytes), derived from the seed.
            $privateKey = sodium_crypto_sign_secretkey(sodium_crypto_sign_seed_keypair($seed));
            $algorithm = 'EdDSA';
        } elseif ($details['type'] === OPENSSL_KEYTYPE_EC && ($details['ec']['curve_name'] ?? '') === 'prime256v1') {
            $algorithm = 'ES256';
        } else {
            throw new ConfigError('CHARTIO_EMBED_PRIVATE_KEY must be an EC P-256 private key (for ES256) or an Ed25519 private key (for EdDSA)');
        }
    } else {
        // Bytes, not text: the key is exactly the secret's bytes (UTF-8 when typed as text).
        $secret = getenv('CHARTIO_EMBED_SECRET');
        $secret = $secret === false ? '' : $secret;
        if (strlen($secret) < 32) {
            throw new ConfigError(sprintf('CHARTIO_EMBED_SECRET is %d bytes; HS256 needs at least 32 (RFC 7518 §3.2). '
                . 'Use the organization\'s Embed Secret, or generate one: openssl rand -base64 32', strlen($secret)));
        }
    }
    $organization = positive_int(setting('CHARTIO_ORGANIZATION', '16417'), 'CHARTIO_ORGANIZATION');
    $dashboards = array_map(static fn (string $id): int => positive_int($id, 'CHARTIO_DASHBOARDS'), listed(setting('CHARTIO_DASHBOARDS', '38727')));
    if ($dashboards === []) {
        throw new ConfigError('CHARTIO_DASHBOARDS is empty, so no dashboard could ever be embedded');
    }
    $filters = listed(setting('CHARTIO_FILTERS', 'DATE_RANGE,USER_ID'));
    foreach ($filters as $name) {
        if (preg_match(HIDDEN_VARIABLE, $name) !== 1) {
            throw new ConfigError(sprintf('CHARTIO_FILTERS: %s is not a Hidden Variable name (upper snake case, like DATE_RANGE)', json_encode($name, JSON_AS_JAVASCRIPT)));
        }
    }
    if (in_array(LOCKED, $filters, true)) {
        throw new ConfigError(sprintf('CHARTIO_FILTERS lists %s, which the server sets from the session; remove it', LOCKED));
    }
    $ttl = positive_int(setting('CHARTIO_TTL', (string) MAX_TTL), 'CHARTIO_TTL');
    if ($ttl > MAX_TTL) {
        throw new ConfigError(sprintf('CHARTIO_TTL must be at most %d seconds (24 h), got %d', MAX_TTL, $ttl));
    }
    $baseUrl = setting('CHARTIO_BASE_URL', 'http://127.0.0.1:8081/d/{dashboard}');
    if (!str_contains($baseUrl, '{dashboard}') || preg_match('~^https?://[^/?#\s]+~', $baseUrl) !== 1 || preg_match('/[?#]/', $baseUrl) === 1) {
        throw new ConfigError('CHARTIO_BASE_URL must be an http(s) URL with {dashboard} and no query, like https://dash.example.com/d/{dashboard}');
    }
    $allowedOrigins = array_map('strtolower', listed(setting('CHARTIO_ALLOWED_ORIGINS', '')));
    foreach ($allowedOrigins as $origin) {
        // A wildcard would never match: an Origin is compared exactly.
        if (preg_match('~^https?://[^/?#\s*]+$~D', $origin) !== 1) {
            throw new ConfigError(sprintf('CHARTIO_ALLOWED_ORIGINS: %s is not a bare origin like https://app.example.com (no path, no wildcard: each origin is compared exactly)', json_encode($origin, JSON_AS_JAVASCRIPT)));
        }
    }
    $kid = setting('CHARTIO_EMBED_KID', '');
    if ($kid !== '' && preg_match(KEY_ID, $kid) !== 1) {
        throw new ConfigError(sprintf('CHARTIO_EMBED_KID must be 1 to 64 printable ASCII characters without spaces, quotes or backslashes, got %s', json_encode($kid, JSON_AS_JAVASCRIPT | JSON_INVALID_UTF8_SUBSTITUTE)));
    }
    if ($algorithm !== 'HS256' && $kid === '') {
        throw new ConfigError('CHARTIO_EMBED_PRIVATE_KEY needs CHARTIO_EMBED_KID: hosts pick the public key by the kid in each token');
    }
    // Demo sessions: session id (an HttpOnly cookie) -> account id. Your app has its own store.
    $sessions = [];
    foreach (listed(setting('DEMO_SESSIONS', '')) as $pair) {
        [$id, $account] = array_pad(explode('=', $pair, 2), 2, '');
        $sessions[$id] = $account;
    }
    return [
        'secret' => $secret,
        'algorithm' => $algorithm,
        // An OpenSSL key for ES256; sodium's 64-byte secret key (a string) for EdDSA.
        'private_key' => $privateKey,
        'organization' => $organization,
        'dashboards' => $dashboards,
        'filters' => $filters,
        'ttl' => $ttl,
        'base_url' => $baseUrl,
        'allowed_origins' => $allowedOrigins,
        // The header with its keys sorted, as every language writes it.
        'header' => $kid === '' ? '{"alg":"' . $algorithm . '","typ":"JWT"}' : '{"alg":"' . $algorithm . '","kid":"' . $kid . '","typ":"JWT"}',
        'sessions' => $sessions,
        'demo_account' => setting('DEMO_ACCOUNT', '1'),
        'element_js' => setting('CHARTIO_ELEMENT_JS', __DIR__ . '/../../dist/browser/chartio-embed.js'),
    ];
}

// ---------------------------------------------------------------------------------------------
// The token endpoint. Each check throws Refused with its status and code; the order matters
// (see docs/token-endpoint.md): method, origin, content type, body, JSON, shape, session,
// dashboard, filter names, filter values.

final class Refused extends Exception
{
    public function __construct(public readonly int $status, public readonly string $errorCode, string $message)
    {
        parent::__construct($message);
    }
}

/** token_answer's answer to a CORS preflight: 204, no body. */
const PREFLIGHT = 'preflight';

/**
 * The 200 answer {"token", "expiresAt", "url"} for one request (PREFLIGHT for a CORS preflight
 * the origin check let through), or throws Refused.
 *
 * @param array<string, string> $headers request headers by lower-case name
 * @return array<string, mixed>|string
 */
function token_answer(array $config, string $method, array $headers, callable $readBody, string $ownOrigin): array|string
{
    // With allowed origins, OPTIONS is a CORS preflight; without them the endpoint is same-origin only.
    $preflight = $method === 'OPTIONS' && $config['allowed_origins'] !== [];
    if ($method !== 'POST' && !$preflight) {
        throw new Refused(405, 'method_not_allowed', 'Use POST with a JSON body {"dashboard": <id>, "filters": {...}}.');
    }
    check_origin($config, $headers['origin'] ?? null, $headers['sec-fetch-site'] ?? null, $ownOrigin);
    if ($preflight) {
        return PREFLIGHT;
    }
    if (!is_json($headers['content-type'] ?? null)) {
        throw new Refused(415, 'unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json".');
    }
    [$body, $lone] = parse_json($readBody());

    if (!$body instanceof stdClass) {
        throw new Refused(400, 'invalid_request', 'The body must be a JSON object like {"dashboard": 38727, "filters": {}}.');
    }
    $fields = get_object_vars($body);
    foreach (array_keys($fields) as $field) {
        if ($field !== 'dashboard' && $field !== 'filters' && $field !== 'fresh') {
            throw new Refused(400, 'invalid_request', sprintf('Unknown field "%s"; only "dashboard", "filters" and "fresh" are read.', printable((string) $field)));
        }
    }
    $dashboard = positive_id($fields['dashboard'] ?? null);
    if ($dashboard === null) {
        throw new Refused(400, 'invalid_request', '"dashboard" must be a positive integer dashboard id, like 38727.');
    }
    $filters = array_key_exists('filters', $fields) ? $fields['filters'] : new stdClass(); // null is not "left out"
    if (!$filters instanceof stdClass) {
        throw new Refused(400, 'invalid_request', '"filters" must be an object of Hidden Variable names to values, or be left out.');
    }
    $filters = get_object_vars($filters);
    // true: the element's one retry after the dashboard host refused its token (see sign).
    $fresh = array_key_exists('fresh', $fields) ? $fields['fresh'] : false;
    if (!is_bool($fresh)) {
        throw new Refused(400, 'invalid_request', '"fresh" must be true or false, or be left out; send true only when the dashboard host refused the token you had.');
    }

    $account = session_account($config, $_COOKIE['session'] ?? null);
    if ($account === null) {
        throw new Refused(401, 'unauthenticated', 'No session: sign in to the application before asking for an embed token.');
    }
    if (!in_array($dashboard, $config['dashboards'], true)) {
        throw new Refused(403, 'dashboard_not_allowed', sprintf('Dashboard %d may not be embedded through this endpoint.', $dashboard));
    }
    foreach (array_keys($filters) as $name) {
        $name = (string) $name; // PHP turns "123" into the key 123
        if ($name === LOCKED) { // a locked name is refused even if it were also allowed: never merged
            throw new Refused(400, 'filter_locked', sprintf('"%s" is set by the server from the session; remove it from filters.', $name));
        }
        if (!in_array($name, $config['filters'], true)) {
            $allowed = $config['filters'] === [] ? 'none' : implode(', ', $config['filters']);
            throw new Refused(400, 'filter_not_allowed', sprintf('"%s" is not a filter the browser may set here (allowed: %s).', printable($name), $allowed));
        }
    }
    $env = env_values($filters, $lone);
    $env[LOCKED] = $account;
    ksort($env, SORT_STRING);
    // The locked values are added last, so the env is checked again in all: what they can break
    // is the count and the size (the TypeScript endpoint's combineEnv).
    if (count($env) > MAX_ENV_KEYS) {
        throw new Refused(400, 'invalid_filter_value', sprintf('env has %d variables; at most %d are allowed', count($env), MAX_ENV_KEYS));
    }
    check_env_size($env);
    return sign($config, $dashboard, $env, $fresh);
}

/** Only pages of allowed origins may ask (else any site could mint tokens with the user's cookie). */
function check_origin(array $config, ?string $origin, ?string $fetchSite, string $ownOrigin): void
{
    if ($origin === null) {
        // Browsers send Origin on every POST from fetch(); without it, only a browser's own
        // Sec-Fetch-Site can still tell a cross-site request. Neither header: not a web page (curl).
        if ($fetchSite === 'cross-site' || $fetchSite === 'same-site') {
            throw new Refused(403, 'origin_not_allowed', sprintf('A %s request without an Origin header is refused.', $fetchSite));
        }
        return;
    }
    $allowed = $config['allowed_origins'] !== [] ? $config['allowed_origins'] : [strtolower($ownOrigin)];
    if (!in_array(strtolower($origin), $allowed, true)) {
        throw new Refused(403, 'origin_not_allowed', sprintf('Origin %s may not request embed tokens here.', printable($origin)));
    }
}

/**
 * Credentialed CORS headers for an origin in CHARTIO_ALLOWED_ORIGINS (that exact origin, as
 * browsers send it: lower case), on every answer to it; none for any other origin.
 *
 * @return array<string, string>
 */
function cors_headers(array $config, ?string $origin): array
{
    if ($origin === null || !in_array(strtolower($origin), $config['allowed_origins'], true)) {
        return [];
    }
    return ['Access-Control-Allow-Origin' => strtolower($origin), 'Access-Control-Allow-Credentials' => 'true', 'Vary' => 'Origin'];
}

/** application/json, any case; a charset parameter, if any, must be UTF-8. */
function is_json(?string $contentType): bool
{
    if ($contentType === null) {
        return false;
    }
    $parameters = explode(';', $contentType);
    if (strtolower(trim(array_shift($parameters))) !== 'application/json') {
        return false;
    }
    foreach ($parameters as $parameter) {
        $equals = strpos($parameter, '=');
        if ($equals === false || strtolower(trim(substr($parameter, 0, $equals))) !== 'charset') {
            continue;
        }
        if (!in_array(strtolower(trim(trim(substr($parameter, $equals + 1)), '"')), ['utf-8', 'utf8'], true)) {
            return false;
        }
    }
    return true;
}

/**
 * The body as JSON, and the character that stands for a lone surrogate in its strings (or null).
 * Objects come out as stdClass (so {} and [] stay apart), numbers as PHP ints and floats.
 *
 * Lone surrogates: JSON can write one ("\ud800" with no low surrogate after it), and PHP's parser
 * refuses the whole body for it, where JavaScript's JSON.parse keeps it for the value check to
 * refuse by name. So each lone-surrogate escape is first rewritten as the escape of one character
 * that occurs nowhere in the body (a private-use one): after parsing, a string holding that
 * character held a lone surrogate there, and it counts as one UTF-16 code unit like the surrogate.
 * Escaped pairs and every other escape are left as they are (\\ud800 in JSON is a backslash, then text).
 *
 * @return array{0: mixed, 1: ?string}
 */
function parse_json(string $raw): array
{
    if ($raw === '') {
        throw new Refused(400, 'invalid_json', 'The body is empty; send {"dashboard": 38727, "filters": {}}.');
    }
    if (preg_match('//u', $raw) !== 1) { // strict: malformed UTF-8 is refused; a BOM is kept and refused below
        throw new Refused(400, 'invalid_json', 'The body is not valid UTF-8; JSON must be sent as UTF-8.');
    }
    $lone = null;
    if (preg_match('/\\\\u[dD][89a-fA-F]/', $raw) === 1) {
        $marker = unused_private_character($raw);
        $raw = preg_replace_callback(
            '/\\\\u[dD][89abAB][0-9a-fA-F]{2}\\\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\\\u[dD][89a-fA-F][0-9a-fA-F]{2}|\\\\./s',
            static fn (array $match): string => strlen($match[0]) === 6 && ($match[0][1] === 'u') ? sprintf('\\u%04x', $marker) : $match[0],
            $raw,
        );
        $lone = utf8_of($marker);
    }
    try {
        return [json_decode($raw, false, 512, JSON_THROW_ON_ERROR), $lone];
    } catch (JsonException) {
        throw new Refused(400, 'invalid_json', 'The body is not valid JSON; send {"dashboard": 38727, "filters": {}}.');
    }
}

/** A private-use code point (U+E000 … U+F8FF) the body holds neither as text nor as an escape. */
function unused_private_character(string $raw): int
{
    for ($codePoint = 0xE000; $codePoint <= 0xF8FF; $codePoint++) {
        if (!str_contains($raw, utf8_of($codePoint)) && stripos($raw, sprintf('\\u%04x', $codePoint)) === false) {
            return $codePoint; // a 16 KiB body holds at most ~5,500 of the 6,400
        }
    }
    throw new LogicException('no unused private-use character');
}

/** The UTF-8 bytes of a BMP code point (mbstring is not part of php-cli). */
function utf8_of(int $codePoint): string
{
    return chr(0xE0 | ($codePoint >> 12)) . chr(0x80 | (($codePoint >> 6) & 0x3F)) . chr(0x80 | ($codePoint & 0x3F));
}

/** A positive integer as JavaScript sees JSON numbers: 38727 and 38727.0 alike, never true. */
function positive_id(mixed $value): ?int
{
    if (is_float($value) && is_finite($value) && floor($value) === $value && $value > 0 && $value <= MAX_SAFE_INTEGER) {
        return (int) $value;
    }
    return is_int($value) && $value > 0 && $value <= MAX_SAFE_INTEGER ? $value : null;
}

/**
 * Filter values as the token carries them: strings, or lists of strings (numbers become text).
 * `$lone` is the character parse_json put where a lone surrogate was (or null).
 *
 * @param array<array-key, mixed> $filters
 * @return array<string, string|list<string>>
 */
function env_values(array $filters, ?string $lone): array
{
    if (count($filters) > MAX_ENV_KEYS) {
        throw new Refused(400, 'invalid_filter_value', sprintf('env has %d variables; at most %d are allowed', count($filters), MAX_ENV_KEYS));
    }
    $env = [];
    foreach ($filters as $name => $value) {
        $name = (string) $name;
        if (is_array($value)) {
            if (count($value) > MAX_LIST_ITEMS) {
                throw value_refused($name, sprintf('a list may hold at most %d values, got %d', MAX_LIST_ITEMS, count($value)));
            }
            $env[$name] = array_map(static fn (mixed $item): string => scalar($name, $item, 'list items must be strings or finite numbers', $lone), $value);
        } else {
            $env[$name] = scalar($name, $value, sprintf('values must be a string or a list of strings, got %s', json_kind($value)), $lone);
        }
    }
    ksort($env, SORT_STRING);
    check_env_size($env); // after every value is checked, as the TypeScript endpoint does
    return $env;
}

/**
 * Every token must fit in a URL: the env's canonical JSON (the bytes the token carries) is at most
 * MAX_ENV_JSON_BYTES of UTF-8. Bytes, not characters: "€" is 3.
 */
function check_env_size(array $env): void
{
    $size = strlen(env_json($env));
    if ($size > MAX_ENV_JSON_BYTES) {
        throw new Refused(400, 'invalid_filter_value', sprintf('env is %d bytes as JSON; at most %d fit in a token that travels in a URL (pass ids and ranges, not data)', $size, MAX_ENV_JSON_BYTES));
    }
}

function scalar(string $name, mixed $value, string $problem, ?string $lone): string
{
    if (is_int($value) || is_float($value)) {
        $text = javascript_number($value);
        if ($text === null) {
            throw value_refused($name, 'numbers must be finite');
        }
        return $text;
    }
    if (!is_string($value)) {
        throw value_refused($name, $problem);
    }
    $length = intdiv(strlen(iconv('UTF-8', 'UTF-16LE', $value)), 2);
    if ($length > MAX_VALUE_LENGTH) {
        throw value_refused($name, sprintf('values may be at most %d characters, got %d', MAX_VALUE_LENGTH, $length));
    }
    if ($lone !== null && str_contains($value, $lone)) {
        throw value_refused($name, 'values must be well-formed Unicode text (a lone surrogate was found)');
    }
    return $value;
}

function value_refused(string $name, string $problem): Refused
{
    return new Refused(400, 'invalid_filter_value', "$name: $problem");
}

function json_kind(mixed $value): string
{
    return $value === null ? 'null' : (is_bool($value) ? 'boolean' : 'object');
}

/**
 * The text JavaScript's String(n) gives (1 -> "1", 1.5 -> "1.5", 1e21 -> "1e+21"), so every
 * server writes a number the same way; null when it is not finite.
 */
function javascript_number(int|float $number): ?string
{
    $number = (float) $number; // JSON numbers are doubles in JavaScript
    if (!is_finite($number)) {
        return null;
    }
    if ($number == 0.0) {
        return '0';
    }
    // json_encode (serialize_precision -1) has the shortest digits that read back to the same
    // double, as JavaScript's has; only where the decimal point goes differs. Value = 0.<digits> x 10^n.
    preg_match('/^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/D', json_encode(abs($number)), $parts);
    $digits = $parts[1] . ($parts[2] ?? '');
    $n = strlen($parts[1]) + (int) ($parts[3] ?? 0);
    $n -= strlen($digits) - strlen(ltrim($digits, '0'));
    $digits = rtrim(ltrim($digits, '0'), '0');
    $k = strlen($digits);
    if ($k <= $n && $n <= 21) {
        $text = $digits . str_repeat('0', $n - $k);
    } elseif (0 < $n && $n <= 21) {
        $text = substr($digits, 0, $n) . '.' . substr($digits, $n);
    } elseif (-6 < $n && $n <= 0) {
        $text = '0.' . str_repeat('0', -$n) . $digits;
    } else {
        $text = $digits[0] . ($k > 1 ? '.' . substr($digits, 1) : '') . 'e' . ($n - 1 >= 0 ? '+' : '-') . abs($n - 1);
    }
    return ($number < 0 ? '-' : '') . $text;
}

/** A request's text inside a message: short and printable, never a huge or binary echo. */
function printable(string $text): string
{
    $characters = preg_split('//u', $text, -1, PREG_SPLIT_NO_EMPTY) ?: [];
    $shown = implode('', array_map(static fn (string $c): string => preg_match('/^[\x20-\x7e]$/D', $c) === 1 ? $c : '?', array_slice($characters, 0, 40)));
    return $shown . (count($characters) > 40 ? '…' : '');
}

function session_account(array $config, ?string $id): ?string
{
    if ($id === null || $id === '') {
        return null;
    }
    if (array_key_exists($id, $config['sessions'])) {
        return $config['sessions'][$id];
    }
    // Sessions GET / started: PHP's own (its session ids only; an unknown one reads as empty).
    if (preg_match('/^[A-Za-z0-9,-]{22,256}$/D', $id) !== 1) {
        return null;
    }
    session_id($id);
    session_start(['name' => 'session', 'read_and_close' => true, 'use_cookies' => false, 'cache_limiter' => '', 'save_path' => session_dir()]);
    $account = $_SESSION['account'] ?? null;
    return is_string($account) ? $account : null;
}

function session_dir(): string
{
    $dir = sys_get_temp_dir() . '/chartio-embed-php-sessions';
    if (!is_dir($dir)) {
        @mkdir($dir, 0700); // another request may create it first
    }
    return $dir;
}

// ---------------------------------------------------------------------------------------------
// Signing. The same payload within one reuse window gives the byte-identical token, so the
// dashboard host's per-token cache hits: claims in a fixed order, env keys sorted, compact JSON,
// and iat rounded down to the window (a tenth of the lifetime, 1 s to 1 h).

/** The env's canonical JSON, as the token's payload carries it (and JSON.stringify writes it). */
function env_json(array $env): string
{
    ksort($env, SORT_STRING);
    return json_encode((object) $env, JSON_AS_JAVASCRIPT);
}

function base64url(string $bytes): string
{
    return rtrim(strtr(base64_encode($bytes), '+/', '-_'), '=');
}

/**
 * The ES256 signature of $input as JWS wants it (RFC 7518 §3.4): r and s as two 32-byte
 * big-endian integers. openssl_sign writes DER instead (SEQUENCE { INTEGER r, INTEGER s }, each
 * with a leading zero when its top bit is set), so it is unpacked here. ECDSA signatures are
 * randomized: only header.payload repeat.
 */
function es256_signature(string $input, OpenSSLAsymmetricKey $key): string
{
    if (!openssl_sign($input, $der, $key, OPENSSL_ALGO_SHA256)) {
        throw new RuntimeException('openssl_sign failed');
    }
    $offset = 2; // SEQUENCE tag and length (under 128 bytes for P-256)
    $raw = '';
    foreach (['r', 's'] as $_) {
        if (ord($der[$offset]) !== 0x02) {
            throw new RuntimeException('unexpected ECDSA signature encoding');
        }
        $length = ord($der[$offset + 1]);
        $integer = ltrim(substr($der, $offset + 2, $length), "\0");
        $raw .= str_pad($integer, 32, "\0", STR_PAD_LEFT);
        $offset += 2 + $length;
    }
    return $raw;
}

/**
 * The 32-byte seed of an Ed25519 private key in PKCS#8 PEM, or null for any other key. PHP's
 * openssl_sign cannot sign Ed25519 on every build, sodium can, from the seed; the seed is the
 * last 32 bytes of the 48-byte PKCS#8 structure every tool writes for Ed25519 (RFC 8410 §7):
 * SEQUENCE { version 0, AlgorithmIdentifier { 1.3.101.112 }, OCTET STRING { OCTET STRING seed } }.
 *
 * Example: ed25519_seed($pem) with the private key `chartio-embed keygen --alg EdDSA` prints gives
 * its 32-byte seed; with a P-256 key, null.
 */
function ed25519_seed(string $pem): ?string
{
    if (preg_match('/^-----BEGIN PRIVATE KEY-----\s*([A-Za-z0-9+\/=\s]+?)\s*-----END PRIVATE KEY-----$/D', $pem, $match) !== 1) {
        return null;
    }
    $der = base64_decode(preg_replace('/\s+/', '', $match[1]), true);
    $prefix = hex2bin('302e020100300506032b657004220420');
    if ($der === false || strlen($der) !== 48 || !str_starts_with($der, $prefix)) {
        return null;
    }
    return substr($der, 16);
}

/**
 * The token's signature over $input: HMAC-SHA-256 with the Embed Secret, ECDSA P-256 (randomized)
 * or Ed25519 (deterministic, so an EdDSA token repeats byte for byte, as an HS256 one does).
 */
function signature(array $config, string $input): string
{
    return match ($config['algorithm']) {
        'HS256' => hash_hmac('sha256', $input, $config['secret'], true),
        'ES256' => es256_signature($input, $config['private_key']),
        'EdDSA' => sodium_crypto_sign_detached($input, $config['private_key']),
    };
}

/** @return array{token: string, expiresAt: int, url: string} */
function sign(array $config, int $dashboard, array $env, bool $fresh = false): array
{
    $ttl = $config['ttl'];
    $window = max(1, min(3600, intdiv($ttl, 10)));
    $now = time();
    // A fresh request (the host refused the token in hand) gets a token issued this second.
    $iat = $fresh ? $now : $now - $now % $window;
    $payload = sprintf('{"organization":%d,"dashboard":%d,"env":%s,"iat":%d,"exp":%d}', $config['organization'], $dashboard, env_json($env), $iat, $iat + $ttl);
    $input = base64url($config['header']) . '.' . base64url($payload);
    $token = $input . '.' . base64url(signature($config, $input));
    $base = str_replace('{dashboard}', (string) $dashboard, $config['base_url']);
    return ['token' => $token, 'expiresAt' => $iat + $ttl, 'url' => (str_ends_with($base, '/') ? $base : "$base/") . '?embed_token=' . $token];
}

// ---------------------------------------------------------------------------------------------
// HTTP: PHP's built-in server calls this file for every request.

/** @param array<string, string> $headers */
function respond(int $status, ?string $contentType, string $body, array $headers = []): void
{
    header_remove('X-Powered-By');
    http_response_code($status);
    if ($contentType !== null) {
        header("Content-Type: $contentType");
    }
    header('Cache-Control: no-store'); // a token is a credential: no cache keeps it
    header('X-Content-Type-Options: nosniff');
    foreach ($headers as $name => $value) {
        header("$name: $value");
    }
    echo $body;
}

function embed_token(array $config): void
{
    $headers = array_change_key_case(getallheaders(), CASE_LOWER);
    $cors = cors_headers($config, $headers['origin'] ?? null);
    $allow = $config['allowed_origins'] === [] ? 'POST' : 'POST, OPTIONS';
    try {
        $answer = token_answer($config, $_SERVER['REQUEST_METHOD'], $headers, 'read_body', own_origin($headers));
        if ($answer === PREFLIGHT) {
            respond(204, null, '', $cors + [
                'Access-Control-Allow-Methods' => 'POST',
                'Access-Control-Allow-Headers' => 'Content-Type',
                'Access-Control-Max-Age' => '600', // seconds a browser may reuse this answer
                'Allow' => $allow,
            ]);
            return;
        }
        $status = 200;
    } catch (Refused $refused) {
        [$status, $answer] = [$refused->status, ['error' => ['code' => $refused->errorCode, 'message' => $refused->getMessage()]]];
        if ($status === 405) {
            $cors['Allow'] = $allow;
        }
    } catch (Throwable $error) {
        error_log((string) $error); // the detail goes to the server's log, never to the client
        [$status, $answer] = [500, ['error' => ['code' => 'internal_error', 'message' => 'The embed token could not be issued because of a server error.']]];
    }
    respond($status, 'application/json; charset=utf-8', json_encode($answer, JSON_AS_JAVASCRIPT), $cors);
}

/** @param array<string, string> $headers */
function own_origin(array $headers): string
{
    // Behind a TLS proxy that rewrites Host, list the public origin in CHARTIO_ALLOWED_ORIGINS.
    $forwarded = strtolower(trim(explode(',', $headers['x-forwarded-proto'] ?? '')[0]));
    return ($forwarded === 'https' ? 'https' : 'http') . '://' . ($headers['host'] ?? '');
}

/** The request body, at most MAX_BODY_BYTES of it: a declared length over that is refused unread. */
function read_body(): string
{
    $length = $_SERVER['CONTENT_LENGTH'] ?? null;
    if ($length !== null && preg_match('/^[0-9]{1,15}$/D', (string) $length) !== 1) {
        throw new Refused(400, 'invalid_request', 'The request body could not be read to its end.');
    }
    $tooLarge = new Refused(413, 'body_too_large', sprintf("The request body is larger than this endpoint's limit of %d bytes.", MAX_BODY_BYTES));
    if ($length !== null && (int) $length > MAX_BODY_BYTES) {
        throw $tooLarge;
    }
    $body = file_get_contents('php://input', false, null, 0, MAX_BODY_BYTES + 1);
    if (strlen($body) > MAX_BODY_BYTES) { // a chunked body, which has no Content-Length
        throw $tooLarge;
    }
    return $body;
}

function page(array $config): void
{
    $headers = [];
    $account = session_account($config, $_COOKIE['session'] ?? null);
    if ($account === null) {
        // Demo sign-in: a first-time visitor gets a session for DEMO_ACCOUNT, under a new random id
        // (never one the request chose). The browser only ever holds that id (HttpOnly); the
        // account stays on the server.
        session_id(session_create_id());
        session_start(['name' => 'session', 'use_cookies' => true, 'cookie_httponly' => true, 'cookie_samesite' => 'Lax', 'cookie_path' => '/', 'cache_limiter' => '', 'save_path' => session_dir()]);
        $_SESSION['account'] = $account = $config['demo_account'];
        session_write_close();
    }
    $escape = static fn (string $text): string => htmlspecialchars($text, ENT_QUOTES | ENT_HTML5, 'UTF-8');
    $html = <<<HTML
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>chartio-embed: PHP example</title>
        <script type="module" src="/chartio-embed.js"></script>
        <style>body { font: 16px system-ui; margin: 2rem; } chartio-embed { display: block; height: 640px; }</style>
        </head>
        <body>
        <p>Signed in as account <strong>{$escape($account)}</strong> (PHP {$escape(PHP_VERSION)}, hash_hmac)</p>
        <chartio-embed dashboard="{$config['dashboards'][0]}" token-endpoint="/embed-token"></chartio-embed>
        </body>
        </html>

        HTML;
    respond(200, 'text/html; charset=utf-8', $html, $headers);
}

function serve(): void
{
    try {
        $config = load_config();
    } catch (ConfigError $error) {
        error_log('app.php: ' . $error->getMessage());
        respond(500, 'text/plain; charset=utf-8', 'Misconfigured: see the server log.');
        return;
    }
    $method = $_SERVER['REQUEST_METHOD'];
    $path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
    if ($path === '/embed-token') {
        embed_token($config); // every method reaches the endpoint, which answers anything but POST with 405
    } elseif ($path === '/' && $method === 'GET') {
        page($config);
    } elseif ($path === '/chartio-embed.js' && $method === 'GET' && is_readable($config['element_js'])) {
        respond(200, 'text/javascript; charset=utf-8', file_get_contents($config['element_js']));
    } else {
        respond(404, 'text/plain; charset=utf-8', 'Not found');
    }
}

// ---------------------------------------------------------------------------------------------
// Start: `php app.php [PORT]` checks the configuration, then becomes the built-in server
// (`php -S 127.0.0.1:PORT app.php`, same process) with this file as its router.

if (PHP_SAPI === 'cli-server') {
    serve();
    return;
}
try {
    $config = load_config();
} catch (ConfigError $error) {
    fwrite(STDERR, 'app.php: ' . $error->getMessage() . "\n");
    exit(1);
}
if (!is_readable($config['element_js'])) {
    fwrite(STDERR, "app.php: no element bundle at {$config['element_js']} (npm run build); the page will not work\n");
}
$port = $argv[1] ?? (getenv('PORT') ?: '8002');
if (preg_match('/^[0-9]{1,5}$/D', $port) !== 1 || (int) $port > 65535) {
    fwrite(STDERR, "app.php: the port must be a number from 0 to 65535, got " . json_encode($port, JSON_INVALID_UTF8_SUBSTITUTE) . "\n");
    exit(1);
}
pcntl_exec(PHP_BINARY, ['-S', "127.0.0.1:$port", __FILE__]);
fwrite(STDERR, "app.php: could not start PHP's built-in server; run: php -S 127.0.0.1:$port " . __FILE__ . "\n");
exit(1);
