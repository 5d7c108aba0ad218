/**
 * The fields a framework (Express, Connect) may have added to a Node request, read by the
 * listener: one declaration for the request, its target and its body.
 * @module
 */
import type { IncomingMessage } from 'node:http';

/** An `IncomingMessage` as Express or Connect may hand it over. */
export interface FrameworkRequest extends IncomingMessage {
  /** Set by body parsers such as `express.json()`. */
  body?: unknown;
  /** Express keeps the unmounted URL here; `url` is relative to the mount point. */
  originalUrl?: string;
}
