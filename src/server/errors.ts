/**
 * The one error class thrown by the signer and the verifier, with a stable `code`.
 * @module
 */

/** Every code an {@link EmbedError} may carry; documented in the README. */
export type EmbedErrorCode =
  | 'secret_too_short'
  | 'invalid_organization'
  | 'invalid_dashboard'
  | 'invalid_ttl'
  | 'invalid_env'
  | 'invalid_base_url'
  | 'invalid_key_id'
  | 'invalid_key'
  | 'token_malformed'
  | 'token_algorithm'
  | 'token_key_unknown'
  | 'token_signature'
  | 'token_expired'
  | 'token_lifetime'
  | 'token_organization'
  | 'token_dashboard'
  | 'token_claims';

/**
 * An error from chartio-embed's server side. `code` is stable and safe to show or log;
 * `message` says what to do about it and never contains the secret or the token.
 *
 * @example
 * try {
 *   await verifyEmbedToken(token, { secret, organization: 16417 });
 * } catch (error) {
 *   if (error instanceof EmbedError && error.code === 'token_expired') showExpiredPage();
 *   else throw error;
 * }
 */
export class EmbedError extends Error {
  /** Always `EmbedError`. */
  override readonly name = 'EmbedError';
  /** What went wrong, stable across versions (`token_expired`, `invalid_secret`, …). */
  readonly code: EmbedErrorCode;
  /** The Hidden Variable at fault, for `invalid_env`. */
  readonly variable: string | undefined;

  constructor(code: EmbedErrorCode, message: string, options?: { variable?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.variable = options?.variable;
  }
}
