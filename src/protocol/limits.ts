/**
 * Limits shared by every side of the protocol: the signer, the token endpoint, the element and
 * the dashboard host all read them from here so they can never disagree.
 * @module
 */

/** The seed's default and maximum token lifetime: 24 hours, in seconds. */
export const MAX_TTL_SECONDS = 86_400;

/** The shortest lifetime a token may be signed with, in seconds. */
export const MIN_TTL_SECONDS = 1;

/** RFC 7518 §3.2: an HS256 key must be at least 256 bits. */
export const MIN_SECRET_BYTES = 32;

/** How many Hidden Variables one token may carry. */
export const MAX_ENV_KEYS = 64;

/** Longest Hidden Variable name, in characters. */
export const MAX_ENV_NAME_LENGTH = 64;

/** Longest single value (a string, or one item of a list), in characters. */
export const MAX_ENV_VALUE_LENGTH = 1_024;

/** Most items in one list value (a `DATE_RANGE` has two; a multi-select may have more). */
export const MAX_ENV_LIST_ITEMS = 256;

/**
 * The largest `env` claim, as canonical JSON in UTF-8 bytes. The token travels in the iframe's
 * URL: 4 KiB of env makes a token of about 5.7 KB, so the whole URL stays under the 8 KB request
 * line that common proxies (nginx's default buffer among them) accept. Hidden Variables carry ids
 * and ranges, not data; the per-value limits alone would allow far more than a URL can hold.
 */
export const MAX_ENV_JSON_BYTES = 4_096;

/** The longest token any side accepts, in characters: far above what {@link MAX_ENV_JSON_BYTES} allows. */
export const MAX_TOKEN_LENGTH = 16_383;

/**
 * A key id (`kid`) in a token's header: 1 to 64 printable ASCII characters with no space, quote or
 * backslash, so JSON writes it as it is in every language (the same token bytes everywhere) and a
 * message can show it.
 */
export const KEY_ID = /^[!#-\[\]-~]{1,64}$/;

/** Hidden Variable names are upper snake case in every example of the protocol: `ACCT_ID`. */
export const HIDDEN_VARIABLE_NAME = /^[A-Z][A-Z0-9_]*$/;

/** Default bound on a token request body, in bytes. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;
