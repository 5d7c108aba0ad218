/**
 * The hand-off from the token endpoint to the signer. The endpoint has already normalized the
 * env and checked it as a whole (64 variables, 4 KiB), so a signer made by `createEmbedSigner`
 * takes it as it is rather than checking it a second time. The method sits under a module-local
 * symbol, off the public API; a signer of the application's own making is called through `sign()`.
 * @module
 */
import type { Env, TokenResponse } from '../../protocol/index.js';
import type { EmbedSigner } from '../types.js';

/** The key of a signer's method that takes an already normalized env. */
export const SIGN_NORMALIZED: unique symbol = Symbol('chartio-embed sign a normalized env');

/** An env that `normalizeEnv` or `combineEnv` accepted, with its canonical JSON. */
export interface NormalizedSignInput {
  readonly dashboard: number;
  readonly env: Env;
  /** The canonical JSON of `env`, as the token's payload carries it. */
  readonly envJson: string;
  /** The lifetime, already checked; `undefined` for the signer's own. */
  readonly ttl: number | undefined;
  /** Sign a token issued now (`iat` not rounded to the reuse window), never one from the memo. */
  readonly fresh?: boolean;
}

/** A signature on its way, and whether it is one the signer already had (the reuse memo's). */
export interface SignOutcome {
  readonly pending: Promise<TokenResponse>;
  /** `true` when no new token is signed: the same payload was signed (or is being signed) in this window. */
  readonly reused: boolean;
}

/** What a signer made by `createEmbedSigner` carries beside its public methods. */
export interface SignerInternals {
  /** Throws (synchronously) only for a broken clock: the input was checked by the caller. */
  [SIGN_NORMALIZED](input: NormalizedSignInput): SignOutcome;
}

/**
 * Signs `input` with `signer`, handing the env over as it is when the signer takes it so. A
 * signer of the application's own making is called through `sign()`, and whether it reused a
 * token is then unknown (`reused: undefined`).
 *
 * @example
 * const { pending, reused } = signNormalized(config.signer, { dashboard, env, envJson, ttl: undefined });
 */
export function signNormalized(signer: EmbedSigner, input: NormalizedSignInput): { pending: Promise<TokenResponse>; reused: boolean | undefined } {
  const internal = (signer as EmbedSigner & Partial<SignerInternals>)[SIGN_NORMALIZED];
  if (internal !== undefined) return internal(input);
  const { dashboard, env, ttl, fresh } = input;
  return { pending: signer.sign({ dashboard, env, ...(ttl === undefined ? {} : { ttl }), ...(fresh ? { fresh } : {}) }), reused: undefined };
}
