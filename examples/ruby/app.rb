#!/usr/bin/env ruby
# frozen_string_literal: true

# A complete chartio-embed token endpoint in Ruby: the standard library (socket, json) and
# ruby-jwt, nothing else. It is also a tiny app: GET / signs the visitor in (a demo session) and
# shows a <chartio-embed> that asks POST /embed-token for its token.
#
# The wire contract it implements, check by check and in the same order, is
# docs/token-endpoint.md; the tests in test/examples/ run the same contract against this file,
# the Python one and the TypeScript endpoint.
#
# The HTTP server is a small HTTP/1.1 reader on TCPServer (bottom of the file), because Ruby 3
# no longer ships WEBrick: `socket` is there wherever Ruby is. In a real app Rack (Rails,
# Sinatra, Puma) does that part; everything above it ports as it is.
#
#   CHARTIO_EMBED_SECRET=$(openssl rand -base64 32) ruby examples/ruby/app.rb 8000
#
# Configuration, all from the environment (checked at start: a misconfigured server exits):
#   CHARTIO_EMBED_SECRET     the organization's Embed Secret, at least 32 bytes (required for HS256)
#   CHARTIO_EMBED_PRIVATE_KEY  sign with a key pair instead: a private key in PEM, EC P-256 for
#                            ES256 or Ed25519 for EdDSA (what `chartio-embed keygen --alg
#                            ES256|EdDSA` prints); needs CHARTIO_EMBED_KID. Hosts then hold only
#                            the public key.
#   CHARTIO_ORGANIZATION     organization id (16417)
#   CHARTIO_DASHBOARDS       dashboard ids the browser may ask for ("38727"; the page shows the first)
#   CHARTIO_FILTERS          Hidden Variables the browser may set ("DATE_RANGE,USER_ID")
#   CHARTIO_BASE_URL         where dashboards are served ("http://127.0.0.1:8081/d/{dashboard}")
#   CHARTIO_TTL              token lifetime in seconds, 1 to 86400 (86400)
#   CHARTIO_ALLOWED_ORIGINS  origins allowed to ask, comma-separated (default: this server's own);
#                            pages on these origins may call across origins (CORS, with cookies)
#   CHARTIO_EMBED_KID        the key id written in each token's header (none by default), so hosts
#                            holding several keys during a rotation know which one signed it
#   CHARTIO_ELEMENT_JS       the element bundle served at /chartio-embed.js
#                            (../../dist/browser/chartio-embed.js, built by `npm run build`)
#   DEMO_ACCOUNT             the account a new visitor of GET / is signed in as ("1")
#   DEMO_SESSIONS            sessions to start with, "session-id=account,..." (for tests)
#   PORT, or the first argument: the port on 127.0.0.1 (8000; 0 picks a free one)

require 'bigdecimal'
require 'cgi'
require 'json'
require 'openssl'
require 'securerandom'
require 'socket'
begin
  require 'jwt' # ruby-jwt
rescue LoadError
  abort 'app.rb: ruby-jwt is missing: apt-get install ruby-jwt (or gem install jwt)'
end

# The protocol's limits (src/protocol/limits.ts): the dashboard host checks the same ones.
MAX_BODY_BYTES = 16 * 1024
MAX_TTL = 86_400
MAX_ENV_KEYS = 64
MAX_VALUE_LENGTH = 1024 # in UTF-16 code units, as JavaScript counts a string's length
MAX_LIST_ITEMS = 256
# The whole env as canonical JSON, in UTF-8 bytes: the token travels in the iframe's URL, and 4 KiB
# of env keeps the largest token near 5.7 KB and its URL under the 8 KB request line proxies accept.
MAX_ENV_JSON_BYTES = 4096
MAX_SAFE_INTEGER = 2**53 - 1
HIDDEN_VARIABLE = /\A[A-Z][A-Z0-9_]{0,63}\z/ # \A and \z: in Ruby, ^ and $ match at any line
KEY_ID = /\A[!#-\[\]-~]{1,64}\z/ # printable ASCII but space, quote and backslash: JSON writes it as it is
LOCKED = 'ACCT_ID' # set from the session, never from the browser
SESSION_COOKIE = /(?:\A|;\s*)session=([^;]*)/

# ---------------------------------------------------------------------------------------------
# Configuration, checked once: a server that could only issue bad tokens must not start.

def setting(name, default) = ENV.fetch(name, default).strip
def listed(text) = text.split(',').map(&:strip).reject(&:empty?)

def positive_int(text, name)
  abort "app.rb: #{name} must be a positive integer, got #{text.inspect}" unless text.match?(/\A[1-9][0-9]{0,14}\z/)
  Integer(text, 10)
end

# An Ed25519 key read from PEM is a generic OpenSSL::PKey::PKey, which has no private?: only a
# private key can sign, so a trial signature tells (a public key raises PKeyError).
def ed25519_private?(key)
  key.sign(nil, '')
  true
rescue OpenSSL::PKey::PKeyError
  false
end

# ES256 or EdDSA with a private key (its type picks which), or HS256 with the Embed Secret (the default, as the original protocol).
PRIVATE_KEY_PEM = ENV.fetch('CHARTIO_EMBED_PRIVATE_KEY', '').strip
if PRIVATE_KEY_PEM.empty?
  # Bytes, not text: the key is exactly the secret's bytes (UTF-8 when typed as text).
  SIGNING_KEY = ENV.fetch('CHARTIO_EMBED_SECRET', '').b
  if SIGNING_KEY.bytesize < 32
    abort "app.rb: CHARTIO_EMBED_SECRET is #{SIGNING_KEY.bytesize} bytes; HS256 needs at least 32 (RFC 7518 §3.2). " \
          'Use the organization\'s Embed Secret, or generate one: openssl rand -base64 32'
  end
  ALGORITHM = 'HS256'
else
  begin
    SIGNING_KEY = OpenSSL::PKey.read(PRIVATE_KEY_PEM)
  rescue OpenSSL::PKey::PKeyError
    abort 'app.rb: CHARTIO_EMBED_PRIVATE_KEY is not a PEM private key without a password (chartio-embed keygen --alg ES256 or --alg EdDSA prints one)'
  end
  ALGORITHM = if SIGNING_KEY.is_a?(OpenSSL::PKey::EC) && SIGNING_KEY.private? && SIGNING_KEY.group.curve_name == 'prime256v1'
                'ES256'
              elsif SIGNING_KEY.oid == 'ED25519' && ed25519_private?(SIGNING_KEY)
                'EdDSA'
              else
                abort 'app.rb: CHARTIO_EMBED_PRIVATE_KEY must be an EC P-256 private key (for ES256) or an Ed25519 private key (for EdDSA)'
              end
end
ORGANIZATION = positive_int(setting('CHARTIO_ORGANIZATION', '16417'), 'CHARTIO_ORGANIZATION')
DASHBOARDS = listed(setting('CHARTIO_DASHBOARDS', '38727')).map { |id| positive_int(id, 'CHARTIO_DASHBOARDS') }
abort 'app.rb: CHARTIO_DASHBOARDS is empty, so no dashboard could ever be embedded' if DASHBOARDS.empty?
FILTERS = listed(setting('CHARTIO_FILTERS', 'DATE_RANGE,USER_ID'))
FILTERS.each do |name|
  abort "app.rb: CHARTIO_FILTERS: #{name.inspect} is not a Hidden Variable name (upper snake case)" unless name.match?(HIDDEN_VARIABLE)
end
abort "app.rb: CHARTIO_FILTERS lists #{LOCKED}, which the server sets from the session; remove it" if FILTERS.include?(LOCKED)
TTL = positive_int(setting('CHARTIO_TTL', MAX_TTL.to_s), 'CHARTIO_TTL')
abort "app.rb: CHARTIO_TTL must be at most #{MAX_TTL} seconds (24 h), got #{TTL}" if TTL > MAX_TTL
BASE_URL = setting('CHARTIO_BASE_URL', 'http://127.0.0.1:8081/d/{dashboard}')
unless BASE_URL.include?('{dashboard}') && BASE_URL.match?(%r{\Ahttps?://[^/?#\s]+}) && !BASE_URL.match?(/[?#]/)
  abort 'app.rb: CHARTIO_BASE_URL must be an http(s) URL with {dashboard} and no query, like https://dash.example.com/d/{dashboard}'
end
ALLOWED_ORIGINS = listed(setting('CHARTIO_ALLOWED_ORIGINS', '')).map(&:downcase)
ALLOWED_ORIGINS.each do |origin|
  # A wildcard would never match: an Origin is compared exactly.
  abort "app.rb: CHARTIO_ALLOWED_ORIGINS: #{origin.inspect} is not a bare origin like https://app.example.com (no path, no wildcard: each origin is compared exactly)" unless origin.match?(%r{\Ahttps?://[^/?#\s*]+\z})
end

KID = setting('CHARTIO_EMBED_KID', '')
unless KID.empty? || KID.match?(KEY_ID)
  abort "app.rb: CHARTIO_EMBED_KID must be 1 to 64 printable ASCII characters without spaces, quotes or backslashes, got #{KID.inspect}"
end
abort 'app.rb: CHARTIO_EMBED_PRIVATE_KEY needs CHARTIO_EMBED_KID: hosts pick the public key by the kid in each token' if ALGORITHM != 'HS256' && KID.empty?
# The header with its keys sorted, as every language writes it: ruby-jwt keeps the hash's order.
HEADER = KID.empty? ? { alg: ALGORITHM, typ: 'JWT' } : { alg: ALGORITHM, kid: KID, typ: 'JWT' }

# Demo sessions: session id (an HttpOnly cookie) -> account id. Your app has its own store.
SESSIONS = listed(setting('DEMO_SESSIONS', '')).to_h { |pair| pair.split('=', 2) }
SESSIONS_LOCK = Mutex.new # one thread per connection
DEMO_ACCOUNT = setting('DEMO_ACCOUNT', '1')

ELEMENT_PATH = setting('CHARTIO_ELEMENT_JS', File.expand_path('../../dist/browser/chartio-embed.js', __dir__))
ELEMENT_JS = File.exist?(ELEMENT_PATH) ? File.binread(ELEMENT_PATH) : nil
warn "app.rb: no element bundle at #{ELEMENT_PATH} (npm run build); the page will not work" if ELEMENT_JS.nil?

# ---------------------------------------------------------------------------------------------
# The token endpoint. Each check raises Refused with its status and code; the order matters
# (see docs/token-endpoint.md): method, origin, content type, body, JSON, shape, session,
# dashboard, filter names, filter values.

class Refused < StandardError
  attr_reader :status, :code

  def initialize(status, code, message)
    super(message)
    @status = status
    @code = code
  end
end

PREFLIGHT = :preflight # token_answer's answer to a CORS preflight: 204, no body

# The 200 answer {"token", "expiresAt", "url"} for one request (PREFLIGHT for a CORS preflight the
# origin check let through), or raises Refused.
def token_answer(request)
  # With allowed origins, OPTIONS is a CORS preflight; without them the endpoint is same-origin only.
  preflight = request[:method] == 'OPTIONS' && !ALLOWED_ORIGINS.empty?
  unless request[:method] == 'POST' || preflight
    raise Refused.new(405, 'method_not_allowed', 'Use POST with a JSON body {"dashboard": <id>, "filters": {...}}.')
  end
  check_origin(request[:headers]['origin'], request[:headers]['sec-fetch-site'], request[:own_origin])
  return PREFLIGHT if preflight
  unless json_type?(request[:headers]['content-type'])
    raise Refused.new(415, 'unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json".')
  end
  body = parse_json(request[:read_body].call)

  unless body.is_a?(Hash)
    raise Refused.new(400, 'invalid_request', 'The body must be a JSON object like {"dashboard": 38727, "filters": {}}.')
  end
  body.each_key do |field|
    next if %w[dashboard filters fresh].include?(field)

    raise Refused.new(400, 'invalid_request', "Unknown field \"#{printable(field)}\"; only \"dashboard\", \"filters\" and \"fresh\" are read.")
  end
  dashboard = positive_id(body['dashboard'])
  raise Refused.new(400, 'invalid_request', '"dashboard" must be a positive integer dashboard id, like 38727.') if dashboard.nil?

  filters = body.fetch('filters', {})
  unless filters.is_a?(Hash)
    raise Refused.new(400, 'invalid_request', '"filters" must be an object of Hidden Variable names to values, or be left out.')
  end
  # true: the element's one retry after the dashboard host refused its token (see sign).
  fresh = body.fetch('fresh', false)
  raise Refused.new(400, 'invalid_request', '"fresh" must be true or false, or be left out; send true only when the dashboard host refused the token you had.') unless [true, false].include?(fresh)

  account = session_account(request[:headers]['cookie'])
  raise Refused.new(401, 'unauthenticated', 'No session: sign in to the application before asking for an embed token.') if account.nil?
  unless DASHBOARDS.include?(dashboard)
    raise Refused.new(403, 'dashboard_not_allowed', "Dashboard #{dashboard} may not be embedded through this endpoint.")
  end

  filters.each_key do |name|
    if name == LOCKED # a locked name is refused even if it were also allowed: never merged
      raise Refused.new(400, 'filter_locked', "\"#{name}\" is set by the server from the session; remove it from filters.")
    end
    next if FILTERS.include?(name)

    allowed = FILTERS.empty? ? 'none' : FILTERS.join(', ')
    raise Refused.new(400, 'filter_not_allowed', "\"#{printable(name)}\" is not a filter the browser may set here (allowed: #{allowed}).")
  end
  env = env_values(filters).merge(LOCKED => account)
  # The locked values are added last, so the env is checked again in all: what they can break is
  # the count and the size (the TypeScript endpoint's combineEnv).
  if env.size > MAX_ENV_KEYS
    raise Refused.new(400, 'invalid_filter_value', "env has #{env.size} variables; at most #{MAX_ENV_KEYS} are allowed")
  end
  check_env_size(env)

  sign(dashboard, env, fresh)
end

# Only pages of allowed origins may ask (else any site could mint tokens with the user's cookie).
def check_origin(origin, fetch_site, own_origin)
  if origin.nil?
    # Browsers send Origin on every POST from fetch(); without it, only a browser's own
    # Sec-Fetch-Site can still tell a cross-site request. Neither header: not a web page (curl).
    return unless %w[cross-site same-site].include?(fetch_site)

    raise Refused.new(403, 'origin_not_allowed', "A #{fetch_site} request without an Origin header is refused.")
  end
  allowed = ALLOWED_ORIGINS.empty? ? [own_origin.downcase] : ALLOWED_ORIGINS
  return if allowed.include?(origin.downcase)

  raise Refused.new(403, 'origin_not_allowed', "Origin #{printable(origin)} may not request embed tokens here.")
end

# Credentialed CORS headers for an origin in CHARTIO_ALLOWED_ORIGINS (that exact origin, as browsers
# send it: lower case), on every answer to it; none for any other origin.
def cors_headers(origin)
  return {} if origin.nil? || !ALLOWED_ORIGINS.include?(origin.downcase)

  { 'Access-Control-Allow-Origin' => origin.downcase, 'Access-Control-Allow-Credentials' => 'true', 'Vary' => 'Origin' }
end

# application/json, any case; a charset parameter, if any, must be UTF-8.
def json_type?(content_type)
  return false if content_type.nil?

  media_type, *parameters = content_type.split(';', -1)
  return false unless media_type.to_s.strip.downcase == 'application/json'

  parameters.all? do |parameter|
    name, value = parameter.split('=', 2)
    value.nil? || name.strip.downcase != 'charset' || %w[utf-8 utf8].include?(value.strip.delete_prefix('"').delete_suffix('"').downcase)
  end
end

def parse_json(raw)
  raise Refused.new(400, 'invalid_json', 'The body is empty; send {"dashboard": 38727, "filters": {}}.') if raw.empty?

  text = raw.dup.force_encoding(Encoding::UTF_8)
  raise Refused.new(400, 'invalid_json', 'The body is not valid UTF-8; JSON must be sent as UTF-8.') unless text.valid_encoding?

  JSON.parse(keep_lone_surrogates(text)) # JSON.parse, never JSON.load: no objects built from the request
rescue JSON::ParserError
  raise Refused.new(400, 'invalid_json', 'The body is not valid JSON; send {"dashboard": 38727, "filters": {}}.')
end

# A "\ud800" escape with no low surrogate after it, or a "\udc00" with no high one before it, is a
# lone surrogate: not text, but JSON allows it, and JavaScript's JSON.parse keeps it for the value
# check to refuse. Ruby's json 2.6 parser raises on some ("x\ud800" at the end of a string) and
# silently changes others ("\ud800\u0041" becomes U+10041, "\ud800abc" becomes "?bc"), so each
# one is written, before parsing, as the three bytes the parser itself gives a lone "\udc00": the
# parser keeps them, and the string holding them is not valid UTF-8. The body was valid UTF-8, so
# nothing else in a parsed string can be invalid: `valid_encoding?` then means "no lone surrogate".
# Escaped pairs and every other escape are left as they are (\\ud800 in JSON is a backslash, then text).
SURROGATE_ESCAPE = /\\u[dD][89abAB]\h\h\\u[dD][c-fC-F]\h\h|\\u([dD][89a-fA-F]\h\h)|\\./m
LONE_SURROGATE = /\xED[\xA0-\xBF][\x80-\xBF]/n # such a surrogate's bytes, after parsing

def keep_lone_surrogates(text)
  return text unless text.match?(/\\u[dD][89a-fA-F]/)

  text.b.gsub(SURROGATE_ESCAPE) { |escape| Regexp.last_match(1) ? [Regexp.last_match(1).hex].pack('U').b : escape }
      .force_encoding(Encoding::UTF_8)
end

# Text for length counts and messages: each lone surrogate (one UTF-16 code unit) as one "?".
def with_lone_surrogates_shown(text)
  text.valid_encoding? ? text : text.b.gsub(LONE_SURROGATE, '?').force_encoding(Encoding::UTF_8)
end

# A positive integer as JavaScript sees JSON numbers: 38727 and 38727.0 alike.
def positive_id(value)
  value = value.to_i if value.is_a?(Float) && value.finite? && value == value.floor
  value if value.is_a?(Integer) && value.positive? && value <= MAX_SAFE_INTEGER
end

# Filter values as the token carries them: strings, or lists of strings (numbers become text).
def env_values(filters)
  if filters.size > MAX_ENV_KEYS
    raise Refused.new(400, 'invalid_filter_value', "env has #{filters.size} variables; at most #{MAX_ENV_KEYS} are allowed")
  end

  filters.keys.sort.to_h do |name|
    value = filters[name]
    if value.is_a?(Array)
      raise value_refused(name, "a list may hold at most #{MAX_LIST_ITEMS} values, got #{value.size}") if value.size > MAX_LIST_ITEMS

      [name, value.map { |item| scalar(name, item, 'list items must be strings or finite numbers') }]
    else
      [name, scalar(name, value, "values must be a string or a list of strings, got #{json_kind(value)}")]
    end
  end.tap { |env| check_env_size(env) } # after every value is checked, as the TypeScript endpoint does
end

# Every token must fit in a URL: the env's canonical JSON (the bytes the token carries) is at most
# MAX_ENV_JSON_BYTES of UTF-8. Bytes, not characters: "€" is 3.
def check_env_size(env)
  size = env_json(env).bytesize
  return if size <= MAX_ENV_JSON_BYTES

  raise Refused.new(400, 'invalid_filter_value', "env is #{size} bytes as JSON; at most #{MAX_ENV_JSON_BYTES} " \
                                                 'fit in a token that travels in a URL (pass ids and ranges, not data)')
end

def scalar(name, value, problem)
  if value.is_a?(Numeric)
    text = javascript_number(value)
    raise value_refused(name, 'numbers must be finite') if text.nil?

    return text
  end
  raise value_refused(name, problem) unless value.is_a?(String)

  length = with_lone_surrogates_shown(value).encode(Encoding::UTF_16LE).bytesize / 2
  raise value_refused(name, "values may be at most #{MAX_VALUE_LENGTH} characters, got #{length}") if length > MAX_VALUE_LENGTH
  raise value_refused(name, 'values must be well-formed Unicode text (a lone surrogate was found)') unless value.valid_encoding?

  value
end

def value_refused(name, problem) = Refused.new(400, 'invalid_filter_value', "#{name}: #{problem}")

def json_kind(value)
  case value
  when nil then 'null'
  when true, false then 'boolean'
  else 'object'
  end
end

# The text JavaScript's String(n) gives (1 -> "1", 1.5 -> "1.5", 1e21 -> "1e+21"), so every
# server writes a number the same way; nil when it is not finite.
def javascript_number(number)
  number = number.to_f # JSON numbers are doubles in JavaScript
  return nil unless number.finite?
  return '0' if number.zero?

  # Float#to_s has the shortest digits that read back to the same double, as JavaScript's has;
  # only where the decimal point goes differs. The value is 0.<digits> x 10^n.
  _sign, digits, _base, n = BigDecimal(number.abs.to_s).split
  k = digits.length
  text = if k <= n && n <= 21 then digits + ('0' * (n - k))
         elsif n.positive? && n <= 21 then "#{digits[0, n]}.#{digits[n..]}"
         elsif n > -6 && n <= 0 then "0.#{'0' * -n}#{digits}"
         else "#{digits[0]}#{".#{digits[1..]}" if k > 1}e#{n - 1 >= 0 ? '+' : '-'}#{(n - 1).abs}"
         end
  number.negative? ? "-#{text}" : text
end

# A request's text inside a message: short and printable, never a huge or binary echo.
def printable(text)
  text = with_lone_surrogates_shown(text)
  text[0, 40].gsub(/[^\x20-\x7e]/, '?') + (text.length > 40 ? '…' : '')
end

def session_account(cookie)
  id = cookie.to_s[SESSION_COOKIE, 1]
  id && SESSIONS_LOCK.synchronize { SESSIONS[id] }
end

# ---------------------------------------------------------------------------------------------
# Signing. The same payload within one reuse window gives the byte-identical token, so the
# dashboard host's per-token cache hits: claims in a fixed order, env keys sorted, compact JSON,
# and iat rounded down to the window (a tenth of the lifetime, 1 s to 1 h).

# The env's canonical JSON, as the token's payload carries it (JSON.generate writes what
# JavaScript's JSON.stringify does: UTF-8 text, compact, the same escapes).
def env_json(env) = JSON.generate(env.sort.to_h)

def base64url(bytes) = [bytes].pack('m0').tr('+/', '-_').delete('=')

# An EdDSA token signed by OpenSSL itself: ruby-jwt signs EdDSA only through the rbnacl gem. The
# header and claims are written as JWT.encode writes them (JSON.generate, compact, in order), and
# Ed25519 is deterministic (RFC 8032), so the token repeats byte for byte, as in every language.
def eddsa_token(claims)
  input = "#{base64url(JSON.generate(HEADER))}.#{base64url(JSON.generate(claims))}"
  "#{input}.#{base64url(SIGNING_KEY.sign(nil, input))}"
end

def sign(dashboard, env, fresh = false)
  window = (TTL / 10).clamp(1, 3600)
  now = Time.now.to_i
  # A fresh request (the host refused the token in hand) gets a token issued this second.
  iat = fresh ? now : now - (now % window)
  claims = { organization: ORGANIZATION, dashboard: dashboard, env: env.sort.to_h, iat: iat, exp: iat + TTL }
  # For ES256 ruby-jwt writes the signature as JWS wants it (r‖s, 64 bytes), not OpenSSL's DER;
  # ECDSA signatures are randomized, so only header.payload repeat.
  token = ALGORITHM == 'EdDSA' ? eddsa_token(claims) : JWT.encode(claims, SIGNING_KEY, ALGORITHM, HEADER)
  base = BASE_URL.gsub('{dashboard}', dashboard.to_s)
  { token: token, expiresAt: iat + TTL, url: "#{base.end_with?('/') ? base : "#{base}/"}?embed_token=#{token}" }
end

ALLOW = ALLOWED_ORIGINS.empty? ? 'POST' : 'POST, OPTIONS'
PREFLIGHT_HEADERS = { 'Access-Control-Allow-Methods' => 'POST', 'Access-Control-Allow-Headers' => 'Content-Type',
                      'Access-Control-Max-Age' => '600', 'Allow' => ALLOW }.freeze # max age: seconds a browser may reuse it

# [status, answer, headers]; the answer is nil for a preflight (204, no body).
def embed_token(request)
  cors = cors_headers(request[:headers]['origin'])
  answer = token_answer(request)
  answer == PREFLIGHT ? [204, nil, cors.merge(PREFLIGHT_HEADERS)] : [200, answer, cors]
rescue Refused => e
  [e.status, { error: { code: e.code, message: e.message } }, e.status == 405 ? cors.merge('Allow' => ALLOW) : cors]
rescue StandardError => e
  warn e.full_message # the detail goes to the server's log, never to the client
  [500, { error: { code: 'internal_error', message: 'The embed token could not be issued because of a server error.' } }, cors]
end

def page(cookie)
  headers = {}
  account = session_account(cookie)
  if account.nil?
    # Demo sign-in: a first-time visitor gets a session for DEMO_ACCOUNT. The browser only ever
    # holds a random session id (HttpOnly); the account stays on the server.
    session_id = SecureRandom.urlsafe_base64(18)
    account = SESSIONS_LOCK.synchronize { SESSIONS[session_id] = DEMO_ACCOUNT }
    headers['Set-Cookie'] = "session=#{session_id}; Path=/; HttpOnly; SameSite=Lax"
  end
  html = <<~HTML
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <title>chartio-embed: Ruby example</title>
    <script type="module" src="/chartio-embed.js"></script>
    <style>body { font: 16px system-ui; margin: 2rem; } chartio-embed { display: block; height: 640px; }</style>
    </head>
    <body>
    <p>Signed in as account <strong>#{CGI.escapeHTML(account)}</strong> (Ruby, ruby-jwt #{CGI.escapeHTML(JWT::VERSION::STRING)})</p>
    <chartio-embed dashboard="#{DASHBOARDS.first}" token-endpoint="/embed-token"></chartio-embed>
    </body>
    </html>
  HTML
  [200, 'text/html; charset=utf-8', html, headers]
end

# ---------------------------------------------------------------------------------------------
# HTTP/1.1, the small part a Rack server does for you: one request per connection
# (Connection: close), so an early refusal never has to read the rest of a body it does not want.

REASONS = { 200 => 'OK', 204 => 'No Content', 400 => 'Bad Request', 401 => 'Unauthorized', 403 => 'Forbidden', 404 => 'Not Found',
            405 => 'Method Not Allowed', 413 => 'Content Too Large', 415 => 'Unsupported Media Type',
            500 => 'Internal Server Error' }.freeze

def serve(socket)
  socket.binmode # bytes in, bytes out: the body is checked as UTF-8 by parse_json
  method, target, version = socket.gets("\n", 8192).to_s.split(' ', 3)
  return unless version&.start_with?('HTTP/1.')

  headers = read_headers(socket)
  return if headers.nil?

  status, type, body, extra =
    case target.split('?', 2).first
    when '/embed-token'
      request = { method: method, headers: headers, own_origin: own_origin(headers), read_body: -> { read_body(socket, headers) } }
      status, answer, extra = embed_token(request)
      [status, answer && 'application/json; charset=utf-8', answer ? JSON.generate(answer) : '', extra]
    when '/' then method == 'GET' ? page(headers['cookie']) : nil
    when '/chartio-embed.js' then method == 'GET' && ELEMENT_JS ? [200, 'text/javascript; charset=utf-8', ELEMENT_JS, {}] : nil
    end || [404, 'text/plain; charset=utf-8', 'Not found', {}]
  respond(socket, method, status, type, body, extra)
rescue IOError, SystemCallError
  nil # the client went away
ensure
  socket.close
end

# Header names in lower case; a repeated header's values joined with ", ". nil when malformed.
def read_headers(socket)
  headers = {}
  loop do
    line = socket.gets("\n", 8192)
    return nil if line.nil? || !line.end_with?("\n") || headers.size > 100
    return headers if line.strip.empty?

    name, value = line.split(':', 2)
    return nil if value.nil?

    name = name.strip.downcase
    headers[name] = headers.key?(name) ? "#{headers[name]}, #{value.strip}" : value.strip
  end
end

def own_origin(headers)
  # Behind a TLS proxy that rewrites Host, list the public origin in CHARTIO_ALLOWED_ORIGINS.
  forwarded = headers['x-forwarded-proto'].to_s.split(',').first.to_s.strip.downcase
  "#{forwarded == 'https' ? 'https' : 'http'}://#{headers['host']}"
end

# The request body, never more than MAX_BODY_BYTES read: bounded while reading.
def read_body(socket, headers)
  too_large = Refused.new(413, 'body_too_large', "The request body is larger than this endpoint's limit of #{MAX_BODY_BYTES} bytes.")
  unreadable = Refused.new(400, 'invalid_request', 'The request body could not be read to its end.')
  if headers['transfer-encoding'].to_s.strip.downcase == 'chunked'
    body = +''
    loop do
      size = socket.gets("\n", 64).to_s.split(';').first.to_s.strip # "1a2b" or "1a2b;extension"
      raise unreadable unless size.match?(/\A[0-9a-fA-F]{1,8}\z/)
      break if size.hex.zero?
      raise too_large if body.bytesize + size.hex > MAX_BODY_BYTES

      chunk = socket.read(size.hex)
      raise unreadable if chunk.nil? || chunk.bytesize < size.hex || !["\r\n", "\n"].include?(socket.gets("\n", 3))

      body << chunk
    end
    nil until ["\r\n", "\n", nil].include?(socket.gets("\n", 1024)) # trailer fields, unused
    return body
  end
  length = headers['content-length']
  return +'' if length.nil?
  raise unreadable unless length.match?(/\A[0-9]{1,15}\z/)
  raise too_large if length.to_i > MAX_BODY_BYTES # refused before a single byte is read

  body = socket.read(length.to_i).to_s
  raise unreadable if body.bytesize < length.to_i

  body
end

# A nil type is an answer without a body (a 204): no Content-Type, no Content-Length.
def respond(socket, method, status, type, body, headers)
  head = ["HTTP/1.1 #{status} #{REASONS.fetch(status)}"]
  head += ["Content-Type: #{type}", "Content-Length: #{body.bytesize}"] unless type.nil?
  head += ['Cache-Control: no-store', # a token is a credential: no cache keeps it
           'X-Content-Type-Options: nosniff', 'Connection: close']
  head += headers.map { |name, value| "#{name}: #{value}" }
  socket.write("#{head.join("\r\n")}\r\n\r\n")
  socket.write(body) unless method == 'HEAD'
end

server = TCPServer.new('127.0.0.1', Integer(ARGV[0] || ENV.fetch('PORT', '8000'), 10))
# The actual port (port 0 picks a free one); tests wait for this line.
$stdout.puts "listening on http://127.0.0.1:#{server.addr[1]}"
$stdout.flush
loop { Thread.new(server.accept) { |socket| serve(socket) } }
