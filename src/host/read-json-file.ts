/**
 * Reading the host's JSON files (the configuration, the dashboards) with a size cap and messages
 * that quote nothing of the file: a path that names the wrong file (a secret, a log, a symlink to
 * either, `/dev/zero`) fails at once, without filling memory and without its first bytes in a
 * message (V8's JSON errors quote them).
 * @module
 */
import { open } from 'node:fs/promises';

/** The most bytes a configuration or dashboard file may hold: 1 MiB, far beyond any real one. */
export const MAX_JSON_FILE_BYTES = 1024 * 1024;

/** A file's JSON, or what is wrong with it, as a phrase to follow its name. */
export type JsonFileResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: string };

/**
 * Reads at most `maxBytes` of `path` and parses it. The problem names the cap, or where the JSON
 * breaks (line and column), never the file's content.
 *
 * @example
 * const read = await readJsonFile('host.json');
 * if (!read.ok) throw new Error(`host.json ${read.problem}`); // 'host.json is not valid JSON at line 3, column 7: …'
 */
export async function readJsonFile(path: string, maxBytes = MAX_JSON_FILE_BYTES): Promise<JsonFileResult> {
  let text: string;
  try {
    const file = await open(path, 'r');
    try {
      const buffer = new Uint8Array(maxBytes + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await file.read(buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length > maxBytes) return { ok: false, problem: `holds more than ${maxBytes} bytes, the most a file here may hold: check that the path names the right file` };
      }
      text = new TextDecoder().decode(buffer.subarray(0, length));
    } finally {
      await file.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, problem: `cannot be read (${code === 'EISDIR' ? 'it is a folder' : (code ?? 'unreadable')})` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, problem: `is not valid JSON${jsonErrorPlace(text, (error as Error).message)}: check that the path names the right file` };
  }
}

/**
 * ` at line L, column C` for where JSON.parse stopped, when its message gives a position; `''`
 * otherwise. Its message itself is never repeated: it may quote the file.
 */
function jsonErrorPlace(text: string, message: string): string {
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined) return /Unexpected end/.test(message) ? ' (it ends too early)' : '';
  const before = text.slice(0, Number(position));
  return ` at line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')}`;
}
