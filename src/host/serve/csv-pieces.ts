/**
 * A download's CSV made a database chunk at a time: each piece is the lines of one chunk of rows,
 * encoded as it is asked for, so the host holds about one chunk whatever the file's size. Two
 * bounds stop it: rows (`download.maxRows`) and bytes (`download.maxBytes`: the header and the
 * rows; a row that would pass it is not written). A file a bound stopped ends with
 * {@link truncationLine}, so the file says so itself.
 * @module
 */
import { csvLine, truncationLine, type CsvBound } from '../page/csv.js';
import type { RowStream } from '../types.js';

const encoder = new TextEncoder();

/** How far a download got. */
export interface CsvProgress {
  /** Rows written. */
  readonly rows: number;
  /** Bytes written, the truncation line included. */
  readonly bytes: number;
  /** The bound that stopped it, or `undefined` when it holds every row. */
  readonly truncated: CsvBound | undefined;
}

/** The bounds of one download. */
export interface CsvBounds {
  readonly maxRows: number;
  readonly maxBytes: number;
}

/**
 * The CSV pieces of `rows`, within `bounds`. `read` wraps each wait for the next chunk (the
 * route bounds it in time). The caller closes the row stream.
 *
 * @example
 * const pieces = new CsvPieces(stream, { maxRows: 10_000, maxBytes: 100 * 1024 * 1024 });
 * for (let piece = await pieces.next(); piece; piece = await pieces.next()) res.write(piece);
 */
export class CsvPieces {
  readonly #rows: RowStream;
  readonly #bounds: CsvBounds;
  readonly #read: <T>(wait: Promise<T>) => Promise<T>;
  #written = 0;
  #bytes = 0;
  #truncated: CsvBound | undefined;
  #headerSent = false;
  #ended = false;

  constructor(rows: RowStream, bounds: CsvBounds, read: <T>(wait: Promise<T>) => Promise<T> = (wait) => wait) {
    this.#rows = rows;
    this.#bounds = bounds;
    this.#read = read;
  }

  /** What has been written so far (all of it, once {@link next} gave `undefined`). */
  get progress(): CsvProgress {
    return { rows: this.#written, bytes: this.#bytes, truncated: this.#truncated };
  }

  /** The next piece of the file, or `undefined` once it is complete. Rejects as the query does. */
  async next(): Promise<Uint8Array | undefined> {
    if (this.#ended) return undefined;
    let text = '';
    let size = 0;
    if (!this.#headerSent) {
      this.#headerSent = true;
      text = csvLine(this.#rows.columns);
      size = byteLength(text);
      // A header past the bound: not even the column names fit; the file says so.
      if (size > this.#bounds.maxBytes) return this.#end('', 0, { bytes: this.#bounds.maxBytes });
    }
    const chunk = await this.#read(this.#rows.next());
    if (chunk === undefined || chunk.length === 0) return this.#end(text, size, undefined);
    for (const row of chunk) {
      if (this.#written === this.#bounds.maxRows) return this.#end(text, size, { rows: this.#bounds.maxRows });
      const line = csvLine(row);
      const lineBytes = byteLength(line);
      if (this.#bytes + size + lineBytes > this.#bounds.maxBytes) return this.#end(text, size, { bytes: this.#bounds.maxBytes });
      text += line;
      size += lineBytes;
      this.#written++;
    }
    // Exactly maxRows read: one more read tells whether the result had more.
    if (this.#written === this.#bounds.maxRows) {
      const more = await this.#read(this.#rows.next());
      return this.#end(text, size, more === undefined || more.length === 0 ? undefined : { rows: this.#bounds.maxRows });
    }
    this.#bytes += size;
    return encoder.encode(text);
  }

  #end(text: string, size: number, bound: CsvBound | undefined): Uint8Array {
    this.#ended = true;
    this.#truncated = bound;
    const tail = bound === undefined ? '' : truncationLine(this.#written, bound);
    this.#bytes += size + byteLength(tail);
    return encoder.encode(text + tail);
  }
}

/** UTF-8 bytes of `text`, counted without encoding it. */
function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
