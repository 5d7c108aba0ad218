/**
 * A Node request body as a web `ReadableStream`, for handlers that read `request.body` the Fetch
 * way (the dashboard host, any Fetch handler): streamed with backpressure, never buffered whole.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A stream over the body of `req` that reads only as fast as the handler consumes (the socket is
 * paused when the queue is full). Cancelling it (a handler refusing a body) stops reading and
 * marks the connection to close, so Node does not drain an unwanted upload.
 *
 * @example
 * new Request(url, { method: 'POST', body: nodeBodyStream(req, res), duplex: 'half' });
 */
export function nodeBodyStream(req: IncomingMessage, res: ServerResponse): ReadableStream<Uint8Array> {
  let detach = (): void => undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const onData = (chunk: Buffer | string): void => {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        controller.enqueue(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      };
      const onEnd = (): void => {
        detach();
        controller.close();
      };
      const onError = (error: unknown): void => {
        detach();
        controller.error(error);
      };
      const onClose = (): void => {
        if (!req.readableEnded) onError(new Error('The client closed the connection before the body ended.'));
      };
      detach = () => {
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('error', onError);
        req.off('close', onClose);
      };
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('error', onError);
      req.on('close', onClose);
    },
    pull() {
      req.resume();
    },
    cancel() {
      detach();
      req.pause();
      if (!res.headersSent) res.setHeader('connection', 'close');
    },
  });
}
