// node:http + jose with a CryptoKey imported once: the floor's work done the way this project
// signs, with no validation. Shows what jose + Web Crypto cost before any endpoint logic.
import { createServer } from 'node:http';
import { SignJWT } from 'jose';
import { BENCH_SECRET, ORGANIZATION, DASHBOARD, accountFromCookie, announce } from './session.js';

const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(BENCH_SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
announce(
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const account = accountFromCookie(req.headers.cookie);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const iat = Math.floor(Date.now() / 1000);
      const claims = { organization: ORGANIZATION, dashboard: DASHBOARD, env: { ...body.filters, ACCT_ID: account }, iat, exp: iat + 86_400 };
      const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ token, expiresAt: claims.exp }));
    });
  }),
);
