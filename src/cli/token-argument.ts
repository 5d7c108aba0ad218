/**
 * The TOKEN argument of `verify` and `decode`: a token, or the iframe URL `sign --base-url` prints
 * (`https://…/d/38727/?embed_token=eyJ…`), from which the token is taken.
 * @module
 */
import { EMBED_TOKEN_PARAM } from '../protocol/index.js';
import { UsageError } from './usage.js';

/**
 * The token in `argument`: the `embed_token` of a URL, or the argument itself.
 *
 * @example
 * tokenArgument('https://dash.example.com/d/38727/?embed_token=a.b.c'); // 'a.b.c'
 * tokenArgument('a.b.c'); // 'a.b.c'
 */
export function tokenArgument(argument: string): string {
  if (!/^https?:\/\//i.test(argument)) return argument.trim();
  let url: URL;
  try {
    url = new URL(argument);
  } catch {
    throw new UsageError('the URL given as TOKEN is not a valid URL; pass the iframe URL sign printed, or the token alone');
  }
  const tokens = url.searchParams.getAll(EMBED_TOKEN_PARAM);
  if (tokens.length !== 1) {
    throw new UsageError(`the URL given as TOKEN has ${tokens.length === 0 ? 'no' : `${tokens.length}`} ${EMBED_TOKEN_PARAM} parameter${tokens.length === 0 ? '' : 's'}; pass the iframe URL sign printed, or the token alone`);
  }
  return tokens[0] as string;
}
