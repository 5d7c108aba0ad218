// The floor for serving a cached dashboard: node:http answering every GET with the very bytes and
// headers a cached page has (read from the file the parent wrote, argv[2]), from memory, and
// nothing else.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { announce } from '../servers/session.js';

const { headers, body } = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { headers: string[]; body: string };
const page = Buffer.from(body, 'base64');
const head = [...headers, 'content-length', String(page.byteLength)];
announce(
  createServer((_req, res) => {
    res.writeHead(200, head);
    res.end(page);
  }),
);
