// The floor: bare node:http, JSON in, a JWT made with createHmac, JSON out. No validation beyond
// what keeps it honest; the least work any token endpoint can do.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { BENCH_SECRET, ORGANIZATION, DASHBOARD, accountFromCookie, announce } from './session.js';

const HEADER = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
announce(
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const account = accountFromCookie(req.headers.cookie);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const iat = Math.floor(Date.now() / 1000);
      const claims = { organization: ORGANIZATION, dashboard: DASHBOARD, env: { ...body.filters, ACCT_ID: account }, iat, exp: iat + 86_400 };
      const input = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
      const token = `${input}.${createHmac('sha256', BENCH_SECRET).update(input).digest('base64url')}`;
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ token, expiresAt: claims.exp }));
    });
  }),
);
