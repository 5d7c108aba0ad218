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
}

/** What a signer made by `createEmbedSigner` carries beside its public methods. */
export interface SignerInternals {
  [SIGN_NORMALIZED](input: NormalizedSignInput): Promise<TokenResponse>;
}

/**
 * Signs `input` with `signer`, handing the env over as it is when the signer takes it so.
 *
 * @example
 * const signed = await signNormalized(config.signer, { dashboard, env, envJson, ttl: undefined });
 */
export function signNormalized(signer: EmbedSigner, input: NormalizedSignInput): Promise<TokenResponse> {
  const internal = (signer as EmbedSigner & Partial<SignerInternals>)[SIGN_NORMALIZED];
  if (internal !== undefined) return internal(input);
  const { dashboard, env, ttl } = input;
  return signer.sign(ttl === undefined ? { dashboard, env } : { dashboard, env, ttl });
}
