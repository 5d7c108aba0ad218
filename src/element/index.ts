/**
 * `chartio-embed`: the `<chartio-embed>` element. Importing this module registers the tag.
 *
 * @example
 * ```js
 * import 'chartio-embed';
 * document.body.insertAdjacentHTML('beforeend',
 *   '<chartio-embed dashboard="38727" token-endpoint="/embed-token" base-url="https://dash.example.com/d/38727"></chartio-embed>');
 * ```
 * @module
 */
import './define.js';

export { ChartioEmbedElement, DEFAULT_SANDBOX, FRAME_TIMEOUT } from './chartio-embed.js';
export { TAG_NAME } from './define.js';
export type { ChartioClickDetail, ChartioErrorDetail, ChartioLoadDetail, ChartioTokenDetail } from './events.js';
export type { FetchToken, FetchTokenInput, TokenAnswer } from './token-request.js';
export {
  APPEARANCE_MESSAGE_TYPE,
  CLICK_MESSAGE_TYPE,
  ERROR_MESSAGE_TYPE,
  FRAME_PROTOCOL_VERSION,
  HEIGHT_MESSAGE_TYPE,
  PRINT_MESSAGE_TYPE,
  READY_MESSAGE_TYPE,
  TOKEN_MESSAGE_TYPE,
  type AppearanceMessage,
  type ClickMessage,
  type ErrorMessage,
  type HeightMessage,
  type PrintMessage,
  type ReadyMessage,
  type TokenMessage,
} from '../protocol/frame-messages.js';
