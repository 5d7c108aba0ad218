// The floor for serving a cached dashboard: node:http answering every GET with the same bytes
// from memory (as many as a cached demo page, given as argv[2]), and nothing else.
import { createServer } from 'node:http';
import { announce } from './session.js';

const page = Buffer.alloc(Number(process.argv[2] ?? 20_000), 'x');
announce(
  createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(page);
  }),
);
