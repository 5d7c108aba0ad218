// The baseline: the seed's token endpoint written naively with Express 5 + jsonwebtoken and a
// string secret (jsonwebtoken tries to parse a string secret as a PEM key on every call).
import express from 'express';
import jwt from 'jsonwebtoken';
import { createServer } from 'node:http';
import { BENCH_SECRET, ORGANIZATION, DASHBOARD, accountFromCookie, announce } from './session.js';

const app = express();
app.use(express.json());
app.post('/embed-token', (req, res) => {
  const account = accountFromCookie(req.headers.cookie);
  if (account === null) return void res.status(401).json({ error: { code: 'unauthenticated', message: 'no session' } });
  const env: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(req.body.filters ?? {})) env[k.toUpperCase()] = Array.isArray(v) ? v.map(String) : String(v);
  env.ACCT_ID = account;
  const token = jwt.sign({ organization: ORGANIZATION, dashboard: DASHBOARD, env }, BENCH_SECRET, { expiresIn: 86_400 });
  res.set('Cache-Control', 'no-store').json({ token, expiresAt: Math.floor(Date.now() / 1000) + 86_400 });
});
announce(createServer(app));
