#!/usr/bin/env python3
"""A complete chartio-embed token endpoint in Python: the standard library's http.server and
PyJWT, nothing else. It is also a tiny app: GET / signs the visitor in (a demo session) and shows
a <chartio-embed> that asks POST /embed-token for its token.

The wire contract it implements, check by check and in the same order, is docs/token-endpoint.md;
the tests in test/examples/ run the same contract against this file, the Ruby one and the
TypeScript endpoint.

    CHARTIO_EMBED_SECRET=$(openssl rand -base64 32) python3 examples/python/app.py 8000

Configuration, all from the environment (checked at start: a misconfigured server exits):
    CHARTIO_EMBED_SECRET     the organization's Embed Secret, at least 32 bytes (required for HS256)
    CHARTIO_EMBED_PRIVATE_KEY  sign with a key pair instead: a private key in PEM, EC P-256 for ES256
                             or Ed25519 for EdDSA (what `chartio-embed keygen --alg ES256|EdDSA`
                             prints); needs CHARTIO_EMBED_KID and python3-cryptography. Hosts then
                             hold only the public key.
    CHARTIO_ORGANIZATION     organization id (16417)
    CHARTIO_DASHBOARDS       dashboard ids the browser may ask for ("38727"; the page shows the first)
    CHARTIO_FILTERS          Hidden Variables the browser may set ("DATE_RANGE,USER_ID")
    CHARTIO_BASE_URL         where dashboards are served ("http://127.0.0.1:8081/d/{dashboard}")
    CHARTIO_TTL              token lifetime in seconds, 1 to 86400 (86400)
    CHARTIO_ALLOWED_ORIGINS  origins allowed to ask, comma-separated (default: this server's own);
                             pages on these origins may call across origins (CORS, with cookies)
    CHARTIO_EMBED_KID        the key id written in each token's header (none by default), so hosts
                             holding several keys during a rotation know which one signed it
    CHARTIO_ELEMENT_JS       the element bundle served at /chartio-embed.js
                             (../../dist/browser/chartio-embed.js, built by `npm run build`)
    DEMO_ACCOUNT             the account a new visitor of GET / is signed in as ("1")
    DEMO_SESSIONS            sessions to start with, "session-id=account,..." (for tests)
    PORT, or the first argument: the port on 127.0.0.1 (8000; 0 picks a free one)
"""
import html
import json
import math
import os
import re
import secrets
import sys
import time
import traceback
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

try:
    import jwt  # PyJWT
except ImportError:
    sys.exit("app.py: PyJWT is missing: apt-get install python3-jwt (or pip install pyjwt)")

# The protocol's limits (src/protocol/limits.ts): the dashboard host checks the same ones.
MAX_BODY_BYTES = 16 * 1024
MAX_TTL = 86_400
MAX_ENV_KEYS = 64
MAX_VALUE_LENGTH = 1024  # in UTF-16 code units, as JavaScript counts a string's length
MAX_LIST_ITEMS = 256
# The whole env as canonical JSON, in UTF-8 bytes: the token travels in the iframe's URL, and 4 KiB
# of env keeps the largest token near 5.7 KB and its URL under the 8 KB request line proxies accept.
MAX_ENV_JSON_BYTES = 4096
MAX_SAFE_INTEGER = 2**53 - 1
HIDDEN_VARIABLE = re.compile(r"[A-Z][A-Z0-9_]{0,63}")  # used with fullmatch: the whole name
KEY_ID = re.compile(r'[!#-\[\]-~]{1,64}')  # printable ASCII but space, quote and backslash: JSON writes it as it is
LOCKED = "ACCT_ID"  # set from the session, never from the browser
SESSION_COOKIE = re.compile(r"(?:^|;\s*)session=([^;]*)")


# ---------------------------------------------------------------------------------------------
# Configuration, checked once: a server that could only issue bad tokens must not start.

def fail(message):
    sys.exit(f"app.py: {message}")


def setting(name, default):
    return os.environ.get(name, default).strip()


def listed(text):
    return [item.strip() for item in text.split(",") if item.strip()]


def positive_int(text, name):
    if not re.fullmatch(r"[1-9][0-9]{0,14}", text):
        fail(f"{name} must be a positive integer, got {text!r}")
    return int(text)


# ES256 or EdDSA with a private key (its type picks which), or HS256 with the Embed Secret (the default, as the original protocol).
PRIVATE_KEY_PEM = os.environ.get("CHARTIO_EMBED_PRIVATE_KEY", "").strip()
if PRIVATE_KEY_PEM:
    try:
        from cryptography.hazmat.primitives.asymmetric import ec, ed25519
        from cryptography.hazmat.primitives.serialization import load_pem_private_key
    except ImportError:
        fail("CHARTIO_EMBED_PRIVATE_KEY needs the cryptography package: apt-get install python3-cryptography")
    try:
        SIGNING_KEY = load_pem_private_key(PRIVATE_KEY_PEM.encode(), password=None)
    except (ValueError, TypeError):
        fail("CHARTIO_EMBED_PRIVATE_KEY is not a PEM private key without a password (chartio-embed keygen --alg ES256 or --alg EdDSA prints one)")
    if isinstance(SIGNING_KEY, ec.EllipticCurvePrivateKey) and SIGNING_KEY.curve.name == "secp256r1":
        ALGORITHM = "ES256"
    elif isinstance(SIGNING_KEY, ed25519.Ed25519PrivateKey):
        ALGORITHM = "EdDSA"  # PyJWT signs it through cryptography (Ed25519: deterministic)
    else:
        fail("CHARTIO_EMBED_PRIVATE_KEY must be an EC P-256 key (for ES256) or an Ed25519 key (for EdDSA)")
else:
    # Bytes, not text: the key is exactly the secret's bytes (UTF-8 when typed as text).
    SIGNING_KEY = os.environb.get(b"CHARTIO_EMBED_SECRET", b"")
    if len(SIGNING_KEY) < 32:
        fail(f"CHARTIO_EMBED_SECRET is {len(SIGNING_KEY)} bytes; HS256 needs at least 32 (RFC 7518 §3.2). "
             "Use the organization's Embed Secret, or generate one: openssl rand -base64 32")
    ALGORITHM = "HS256"
ORGANIZATION = positive_int(setting("CHARTIO_ORGANIZATION", "16417"), "CHARTIO_ORGANIZATION")
DASHBOARDS = [positive_int(d, "CHARTIO_DASHBOARDS") for d in listed(setting("CHARTIO_DASHBOARDS", "38727"))]
if not DASHBOARDS:
    fail("CHARTIO_DASHBOARDS is empty, so no dashboard could ever be embedded")
FILTERS = listed(setting("CHARTIO_FILTERS", "DATE_RANGE,USER_ID"))
for name in FILTERS:
    if not HIDDEN_VARIABLE.fullmatch(name):
        fail(f"CHARTIO_FILTERS: {name!r} is not a Hidden Variable name (upper snake case, like DATE_RANGE)")
if LOCKED in FILTERS:
    fail(f"CHARTIO_FILTERS lists {LOCKED}, which the server sets from the session; remove it")
TTL = positive_int(setting("CHARTIO_TTL", str(MAX_TTL)), "CHARTIO_TTL")
if TTL > MAX_TTL:
    fail(f"CHARTIO_TTL must be at most {MAX_TTL} seconds (24 h), got {TTL}")
BASE_URL = setting("CHARTIO_BASE_URL", "http://127.0.0.1:8081/d/{dashboard}")
if "{dashboard}" not in BASE_URL or not re.match(r"https?://[^/?#\s]+", BASE_URL) or re.search(r"[?#]", BASE_URL):
    fail("CHARTIO_BASE_URL must be an http(s) URL with {dashboard} and no query, like https://dash.example.com/d/{dashboard}")
ALLOWED_ORIGINS = {origin.lower() for origin in listed(setting("CHARTIO_ALLOWED_ORIGINS", ""))}
for origin in ALLOWED_ORIGINS:
    # A wildcard would never match: an Origin is compared exactly.
    if not re.fullmatch(r"https?://[^/?#\s*]+", origin):
        fail(f"CHARTIO_ALLOWED_ORIGINS: {origin!r} is not a bare origin like https://app.example.com (no path, no wildcard: each origin is compared exactly)")

KID = setting("CHARTIO_EMBED_KID", "")
if KID and not KEY_ID.fullmatch(KID):
    fail(f"CHARTIO_EMBED_KID must be 1 to 64 printable ASCII characters without spaces, quotes or backslashes, got {KID!r}")
if ALGORITHM != "HS256" and not KID:
    fail("CHARTIO_EMBED_PRIVATE_KEY needs CHARTIO_EMBED_KID: hosts pick the public key by the kid in each token")

# Demo sessions: session id (an HttpOnly cookie) -> account id. Your app has its own store.
SESSIONS = dict(pair.split("=", 1) for pair in listed(setting("DEMO_SESSIONS", "")))
DEMO_ACCOUNT = setting("DEMO_ACCOUNT", "1")

ELEMENT_PATH = setting("CHARTIO_ELEMENT_JS", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                          "../../dist/browser/chartio-embed.js"))
try:
    with open(ELEMENT_PATH, "rb") as file:
        ELEMENT_JS = file.read()
except OSError:
    ELEMENT_JS = None
    print(f"app.py: no element bundle at {ELEMENT_PATH} (npm run build); the page will not work", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# The token endpoint. Each check raises Refused with its status and code; the order matters
# (see docs/token-endpoint.md): method, origin, content type, body, JSON, shape, session,
# dashboard, filter names, filter values.

class Refused(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


PREFLIGHT = object()  # token_answer's answer to a CORS preflight: 204, no body


def token_answer(method, header, read_body, own_origin):
    """The 200 answer {"token", "expiresAt", "url"} for one request (PREFLIGHT for a CORS
    preflight the origin check let through), or raises Refused."""
    # With allowed origins, OPTIONS is a CORS preflight; without them the endpoint is same-origin only.
    preflight = method == "OPTIONS" and bool(ALLOWED_ORIGINS)
    if method != "POST" and not preflight:
        raise Refused(405, "method_not_allowed", 'Use POST with a JSON body {"dashboard": <id>, "filters": {...}}.')
    check_origin(header("Origin"), header("Sec-Fetch-Site"), own_origin)
    if preflight:
        return PREFLIGHT
    if not is_json(header("Content-Type")):
        raise Refused(415, "unsupported_media_type", 'Send the body as JSON with "Content-Type: application/json".')
    body = parse_json(read_body())

    if not isinstance(body, dict):
        raise Refused(400, "invalid_request", 'The body must be a JSON object like {"dashboard": 38727, "filters": {}}.')
    for field in body:
        if field not in ("dashboard", "filters", "fresh"):
            raise Refused(400, "invalid_request", f'Unknown field "{printable(field)}"; only "dashboard", "filters" and "fresh" are read.')
    dashboard = positive_id(body.get("dashboard"))
    if dashboard is None:
        raise Refused(400, "invalid_request", '"dashboard" must be a positive integer dashboard id, like 38727.')
    filters = body.get("filters", {})
    if not isinstance(filters, dict):
        raise Refused(400, "invalid_request", '"filters" must be an object of Hidden Variable names to values, or be left out.')
    # true: the element's one retry after the dashboard host refused its token (see sign).
    fresh = body.get("fresh", False)
    if not isinstance(fresh, bool):
        raise Refused(400, "invalid_request", '"fresh" must be true or false, or be left out; send true only when the dashboard host refused the token you had.')

    account = session_account(header("Cookie"))
    if account is None:
        raise Refused(401, "unauthenticated", "No session: sign in to the application before asking for an embed token.")
    if dashboard not in DASHBOARDS:
        raise Refused(403, "dashboard_not_allowed", f"Dashboard {dashboard} may not be embedded through this endpoint.")
    for name in filters:
        if name == LOCKED:  # a locked name is refused even if it were also allowed: never merged
            raise Refused(400, "filter_locked", f'"{name}" is set by the server from the session; remove it from filters.')
        if name not in FILTERS:
            raise Refused(400, "filter_not_allowed",
                          f'"{printable(name)}" is not a filter the browser may set here (allowed: {", ".join(FILTERS) or "none"}).')
    env = env_values(filters)
    env[LOCKED] = account
    # The locked values are added last, so the env is checked again in all: what they can break
    # is the count and the size (the TypeScript endpoint's combineEnv).
    if len(env) > MAX_ENV_KEYS:
        raise Refused(400, "invalid_filter_value", f"env has {len(env)} variables; at most {MAX_ENV_KEYS} are allowed")
    check_env_size(env)
    return sign(dashboard, env, fresh)


def check_origin(origin, fetch_site, own_origin):
    """Only pages of allowed origins may ask (else any site could mint tokens with the user's cookie)."""
    if origin is None:
        # Browsers send Origin on every POST from fetch(); without it, only a browser's own
        # Sec-Fetch-Site can still tell a cross-site request. Neither header: not a web page (curl).
        if fetch_site in ("cross-site", "same-site"):
            raise Refused(403, "origin_not_allowed", f"A {fetch_site} request without an Origin header is refused.")
        return
    allowed = ALLOWED_ORIGINS or {own_origin.lower()}
    if origin.lower() not in allowed:
        raise Refused(403, "origin_not_allowed", f"Origin {printable(origin)} may not request embed tokens here.")


def cors_headers(origin):
    """Credentialed CORS headers for an origin in CHARTIO_ALLOWED_ORIGINS (that exact origin, as
    browsers send it: lower case), on every answer to it; none for any other origin."""
    if origin is None or origin.lower() not in ALLOWED_ORIGINS:
        return {}
    return {"Access-Control-Allow-Origin": origin.lower(), "Access-Control-Allow-Credentials": "true", "Vary": "Origin"}


def is_json(content_type):
    """application/json, any case; a charset parameter, if any, must be UTF-8."""
    if content_type is None:
        return False
    media_type, *parameters = content_type.split(";")
    if media_type.strip().lower() != "application/json":
        return False
    for parameter in parameters:
        name, equals, value = parameter.partition("=")
        if equals and name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            return False
    return True


def parse_json(raw):
    if not raw:
        raise Refused(400, "invalid_json", 'The body is empty; send {"dashboard": 38727, "filters": {}}.')
    try:
        text = raw.decode("utf-8")  # strict: malformed UTF-8 is refused, a BOM is kept and refused below
    except UnicodeDecodeError:
        raise Refused(400, "invalid_json", "The body is not valid UTF-8; JSON must be sent as UTF-8.")
    try:
        # Python also reads NaN and Infinity, which are not JSON: refuse them like any bad JSON.
        return json.loads(text, parse_constant=not_json)
    except (ValueError, RecursionError):
        raise Refused(400, "invalid_json", 'The body is not valid JSON; send {"dashboard": 38727, "filters": {}}.')


def not_json(constant):
    raise ValueError(f"{constant} is not JSON")


def positive_id(value):
    """A positive integer as JavaScript sees JSON numbers: 38727 and 38727.0 alike, never true."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    return int(value) if 0 < value <= MAX_SAFE_INTEGER else None


def env_values(filters):
    """Filter values as the token carries them: strings, or lists of strings (numbers become text)."""
    if len(filters) > MAX_ENV_KEYS:
        raise Refused(400, "invalid_filter_value", f"env has {len(filters)} variables; at most {MAX_ENV_KEYS} are allowed")
    env = {}
    for name in sorted(filters):
        value = filters[name]
        if isinstance(value, list):
            if len(value) > MAX_LIST_ITEMS:
                raise value_refused(name, f"a list may hold at most {MAX_LIST_ITEMS} values, got {len(value)}")
            env[name] = [scalar(name, item, "list items must be strings or finite numbers") for item in value]
        else:
            env[name] = scalar(name, value, f"values must be a string or a list of strings, got {json_kind(value)}")
    check_env_size(env)  # after every value is checked, as the TypeScript endpoint does
    return env


def check_env_size(env):
    """Every token must fit in a URL: the env's canonical JSON (the bytes the token carries) is at
    most MAX_ENV_JSON_BYTES of UTF-8. Bytes, not characters: "€" is 3."""
    size = len(env_json(env).encode("utf-8"))
    if size > MAX_ENV_JSON_BYTES:
        raise Refused(400, "invalid_filter_value", f"env is {size} bytes as JSON; at most {MAX_ENV_JSON_BYTES} "
                      "fit in a token that travels in a URL (pass ids and ranges, not data)")


def scalar(name, value, problem):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = javascript_number(value)
        if text is None:
            raise value_refused(name, "numbers must be finite")
        return text
    if not isinstance(value, str):
        raise value_refused(name, problem)
    length = len(value.encode("utf-16-le", "surrogatepass")) // 2
    if length > MAX_VALUE_LENGTH:
        raise value_refused(name, f"values may be at most {MAX_VALUE_LENGTH} characters, got {length}")
    # json.loads joins an escaped pair ("\ud83d\ude00") into one character, so a surrogate left in
    # a str stood alone ("\ud800"): not text, and UTF-8 cannot carry it.
    if re.search("[\ud800-\udfff]", value):
        raise value_refused(name, "values must be well-formed Unicode text (a lone surrogate was found)")
    return value


def value_refused(name, problem):
    return Refused(400, "invalid_filter_value", f"{name}: {problem}")


def json_kind(value):
    return "null" if value is None else "boolean" if isinstance(value, bool) else "object"


def javascript_number(number):
    """The text JavaScript's String(n) gives (1 -> "1", 1.5 -> "1.5", 1e21 -> "1e+21"), so every
    server writes a number the same way; None when it is not finite."""
    try:
        number = float(number)  # JSON numbers are doubles in JavaScript
    except OverflowError:
        return None
    if not math.isfinite(number):
        return None
    if number == 0:
        return "0"
    # repr() has the shortest digits that read back to the same double, as JavaScript's has;
    # only where the decimal point goes differs.
    parts = Decimal(repr(abs(number))).normalize().as_tuple()
    digits = "".join(map(str, parts.digits))
    k, n = len(digits), len(digits) + parts.exponent  # the value is 0.<digits> x 10^n
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        text = digits[0] + ("." + digits[1:] if k > 1 else "") + f"e{n - 1:+d}"
    return ("-" if number < 0 else "") + text


def printable(text):
    """A request's text inside a message: short and printable, never a huge or binary echo."""
    return re.sub(r"[^\x20-\x7e]", "?", text[:40]) + ("…" if len(text) > 40 else "")


def session_account(cookie):
    match = SESSION_COOKIE.search(cookie or "")
    return SESSIONS.get(match.group(1)) if match else None


# ---------------------------------------------------------------------------------------------
# Signing. The same payload within one reuse window gives the byte-identical token, so the
# dashboard host's per-token cache hits: claims in a fixed order, env keys sorted, compact JSON,
# and iat rounded down to the window (a tenth of the lifetime, 1 s to 1 h).

class Utf8Json(json.JSONEncoder):
    """JSON with text as UTF-8 rather than \\u escapes (Python's default), as JavaScript writes
    it: the same bytes, so the same token, and up to three times shorter for non-ASCII text."""

    def __init__(self, **options):
        super().__init__(**{**options, "ensure_ascii": False})


def env_json(env):
    """The env's canonical JSON, as the token's payload carries it (and JSON.stringify writes it)."""
    return json.dumps(dict(sorted(env.items())), cls=Utf8Json, separators=(",", ":"))


def sign(dashboard, env, fresh=False):
    window = max(1, min(3600, TTL // 10))
    now = int(time.time())
    # A fresh request (the host refused the token in hand) gets a token issued this second.
    iat = now if fresh else now - now % window
    claims = {"organization": ORGANIZATION, "dashboard": dashboard, "env": dict(sorted(env.items())),
              "iat": iat, "exp": iat + TTL}
    # PyJWT writes the header with its keys sorted ({"alg":"HS256","kid":…,"typ":"JWT"}) and the
    # claims as compact JSON in this key order. For ES256 it writes the signature as JWS wants it
    # (r‖s, 64 bytes), not DER; ECDSA signatures are randomized, so only header.payload repeat.
    # Ed25519 signatures are deterministic: an EdDSA token repeats byte for byte, as HS256 does.
    token = jwt.encode(claims, SIGNING_KEY, algorithm=ALGORITHM, json_encoder=Utf8Json, headers={"kid": KID} if KID else None)
    base = BASE_URL.replace("{dashboard}", str(dashboard))
    return {"token": token, "expiresAt": iat + TTL,
            "url": (base if base.endswith("/") else base + "/") + "?embed_token=" + token}


# ---------------------------------------------------------------------------------------------
# HTTP: the standard library's server, one request per connection (HTTP/1.0 answers), so an
# early refusal never has to read the rest of a body it does not want.

class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        path = urlsplit(self.path).path
        if path == "/embed-token":
            self.embed_token()
        elif path == "/" and self.command == "GET":
            self.page()
        elif path == "/chartio-embed.js" and self.command == "GET" and ELEMENT_JS is not None:
            self.send(200, "text/javascript; charset=utf-8", ELEMENT_JS)
        else:
            self.send(404, "text/plain; charset=utf-8", b"Not found")

    # Every method reaches the endpoint, which answers anything but POST with 405.
    do_GET = do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_POST

    def embed_token(self):
        try:
            status = 200
            answer = token_answer(self.command, self.headers.get, self.read_body, self.own_origin())
        except Refused as refused:
            status, answer = refused.status, {"error": {"code": refused.code, "message": refused.message}}
        except Exception:
            traceback.print_exc()  # the detail goes to the server's log, never to the client
            status, answer = 500, {"error": {"code": "internal_error", "message":
                                             "The embed token could not be issued because of a server error."}}
        allow = "POST, OPTIONS" if ALLOWED_ORIGINS else "POST"
        headers = cors_headers(self.headers.get("Origin"))
        if answer is PREFLIGHT:
            self.send_preflight({**headers, "Allow": allow})
            return
        if status == 405:
            headers["Allow"] = allow
        self.send(status, "application/json; charset=utf-8", json.dumps(answer).encode(), headers)

    def send_preflight(self, headers):
        """204 to a CORS preflight: the browser may then POST JSON with the session cookie."""
        self.send_response(204)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Access-Control-Allow-Methods", "POST")
        self.send_header("Access-Control-Allow-Headers", "Content-Type")
        self.send_header("Access-Control-Max-Age", "600")  # seconds a browser may reuse this answer
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def own_origin(self):
        # Behind a TLS proxy that rewrites Host, list the public origin in CHARTIO_ALLOWED_ORIGINS.
        forwarded = self.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
        return f"{'https' if forwarded == 'https' else 'http'}://{self.headers.get('Host', '')}"

    def read_body(self):
        """The request body, never more than MAX_BODY_BYTES read: bounded while reading."""
        too_large = Refused(413, "body_too_large", f"The request body is larger than this endpoint's limit of {MAX_BODY_BYTES} bytes.")
        unreadable = Refused(400, "invalid_request", "The request body could not be read to its end.")
        if self.headers.get("Transfer-Encoding", "").strip().lower() == "chunked":
            body = b""
            while True:
                size = self.rfile.readline(64).split(b";")[0].strip()  # "1a2b" or "1a2b;extension"
                if not re.fullmatch(rb"[0-9a-fA-F]{1,8}", size):
                    raise unreadable
                if int(size, 16) == 0:
                    break
                if len(body) + int(size, 16) > MAX_BODY_BYTES:
                    raise too_large
                chunk = self.rfile.read(int(size, 16))
                if len(chunk) < int(size, 16) or self.rfile.readline(3) not in (b"\r\n", b"\n"):
                    raise unreadable
                body += chunk
            while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                pass  # trailer fields, unused
            return body
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        if not re.fullmatch(r"[0-9]{1,15}", length.strip()):
            raise unreadable
        if int(length) > MAX_BODY_BYTES:  # refused before a single byte is read
            raise too_large
        body = self.rfile.read(int(length))
        if len(body) < int(length):
            raise unreadable
        return body

    def page(self):
        headers = {}
        account = session_account(self.headers.get("Cookie"))
        if account is None:
            # Demo sign-in: a first-time visitor gets a session for DEMO_ACCOUNT. The browser only
            # ever holds a random session id (HttpOnly); the account stays on the server.
            session_id = secrets.token_urlsafe(18)
            SESSIONS[session_id] = account = DEMO_ACCOUNT
            headers["Set-Cookie"] = f"session={session_id}; Path=/; HttpOnly; SameSite=Lax"
        page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>chartio-embed: Python example</title>
<script type="module" src="/chartio-embed.js"></script>
<style>body {{ font: 16px system-ui; margin: 2rem; }} chartio-embed {{ display: block; height: 640px; }}</style>
</head>
<body>
<p>Signed in as account <strong>{html.escape(account)}</strong> (Python, PyJWT {html.escape(jwt.__version__)})</p>
<chartio-embed dashboard="{DASHBOARDS[0]}" token-endpoint="/embed-token"></chartio-embed>
</body>
</html>
"""
        self.send(200, "text/html; charset=utf-8", page.encode(), headers)

    def send(self, status, content_type, body, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # a token is a credential: no cache keeps it
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def main():
    port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", "8000"))
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    # The actual port (port 0 picks a free one); tests wait for this line.
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
