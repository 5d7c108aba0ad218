/**
 * The error a host that cannot start as configured rejects with (see {@link HostStartError}).
 * @module
 */

/**
 * The host cannot start as configured, through no bug of its own: a dashboard file, a data
 * source's `setup`, a package not installed, a port taken. The message is one line that says
 * what to fix; `field` is the configuration field at fault, when there is one (the message then
 * starts with it, for the caller to prefix the file's name). The original error is the `cause`.
 *
 * @example
 * try {
 *   await startHostServer(config, { secret });
 * } catch (error) {
 *   if (error instanceof HostStartError) console.error(error.field ? `host.json: ${error.message}` : error.message);
 *   else throw error;
 * }
 */
export class HostStartError extends Error {
  override readonly name = 'HostStartError';
  readonly field: string | undefined;
  constructor(message: string, field?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.field = field;
  }
}
