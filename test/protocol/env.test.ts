import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalEnvKey, combineEnv, embedUrl, isCompactJws, isHiddenVariableName, normalizeEnv } from '../../src/protocol/index.js';
import { MAX_ENV_JSON_BYTES, MAX_ENV_KEYS, MAX_ENV_LIST_ITEMS, MAX_ENV_VALUE_LENGTH } from '../../src/protocol/limits.js';

const name = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,15}$/);
const value = fc.oneof(fc.string({ maxLength: 20 }), fc.array(fc.string({ maxLength: 10 }), { maxLength: 5 }));

test('normalizeEnv turns finite numbers into strings and sorts keys', () => {
  const result = normalizeEnv({ USER_ID: 1, DATE_RANGE: ['2014-02-11', 2015], ACCT_ID: '1' });
  assert.deepEqual(result, {
    ok: true,
    env: { ACCT_ID: '1', DATE_RANGE: ['2014-02-11', '2015'], USER_ID: '1' },
    json: '{"ACCT_ID":"1","DATE_RANGE":["2014-02-11","2015"],"USER_ID":"1"}',
  });
  assert.ok(result.ok);
  assert.deepEqual(Object.keys(result.env), ['ACCT_ID', 'DATE_RANGE', 'USER_ID']);
});

test('normalizeEnv refuses every wrong shape, naming the variable', () => {
  const cases: Array<[unknown, string | undefined]> = [
    [{ A: null }, 'A'],
    [{ A: { b: 1 } }, 'A'],
    [{ A: [['nested']] }, 'A'],
    [{ A: Number.NaN }, 'A'],
    [{ A: Number.POSITIVE_INFINITY }, 'A'],
    [{ A: true }, 'A'],
    [{ A: 'x'.repeat(MAX_ENV_VALUE_LENGTH + 1) }, 'A'],
    [{ A: Array.from({ length: MAX_ENV_LIST_ITEMS + 1 }, () => 'x') }, 'A'],
    [{ acct_id: '1' }, 'acct_id'],
    [{ A: 'ok\ud800' }, 'A'],
    [{ A: ['fine', '\udc00x'] }, 'A'],
    [JSON.parse('{"__proto__":"x"}'), '__proto__'],
    [Object.fromEntries(Array.from({ length: MAX_ENV_KEYS + 1 }, (_, i) => [`K${i}`, 'v'])), undefined],
    [null, undefined],
    [['A'], undefined],
    ['A=1', undefined],
  ];
  for (const [input, variable] of cases) {
    const result = normalizeEnv(input);
    assert.equal(result.ok, false, JSON.stringify(input)?.slice(0, 60));
    if (!result.ok) {
      assert.equal(result.problem.variable, variable);
      if (variable) assert.ok(result.problem.message.includes(variable.slice(0, 40)), result.problem.message);
    }
  }
});

test('a __proto__ key never reaches the prototype', () => {
  const result = normalizeEnv(JSON.parse('{"__proto__":{"polluted":"yes"},"A":"1"}'));
  assert.equal(result.ok, false);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('normalizeEnv is idempotent and order-independent over random maps', () => {
  fc.assert(
    fc.property(fc.dictionary(name, value, { maxKeys: 10 }), (env) => {
      const once = normalizeEnv(env);
      assert.ok(once.ok);
      const twice = normalizeEnv(once.env);
      assert.deepEqual(twice, once);
      const reversed = Object.fromEntries(Object.entries(env).reverse());
      assert.equal(canonicalEnvKey(reversed), canonicalEnvKey(env));
    }),
  );
});

test('hidden variable names are upper snake case', () => {
  assert.ok(isHiddenVariableName('ACCT_ID'));
  assert.ok(isHiddenVariableName('DATE_RANGE2'));
  for (const bad of ['acct', '_A', '1A', 'A-B', '', 'A'.repeat(65)]) assert.equal(isHiddenVariableName(bad), false, bad);
});

test('isCompactJws accepts three base64url parts only', () => {
  assert.ok(isCompactJws('eyJh.eyJv.c2ln'));
  for (const bad of ['', 'a.b', 'a.b.c.d', 'a.b.c d', '<html>', 42, null]) assert.equal(isCompactJws(bad), false, String(bad));
});

test('embedUrl keeps the base path and other parameters, and sets embed_token once', () => {
  assert.equal(embedUrl('https://d.example.com/d/38727', 'a.b.c'), 'https://d.example.com/d/38727/?embed_token=a.b.c');
  assert.equal(embedUrl('https://d.example.com/d/38727/?embed_token=old&x=1', 'a.b.c'), 'https://d.example.com/d/38727/?embed_token=a.b.c&x=1');
});

test('normalizeEnv bounds the whole env, in UTF-8 bytes of its canonical JSON, so any valid env fits a URL', () => {
  // Twelve values of 340 characters: each within MAX_ENV_VALUE_LENGTH, together over the bound.
  const wide = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`V${i}`, 'x'.repeat(340)]));
  const refused = normalizeEnv(wide);
  assert.equal(refused.ok, false);
  if (!refused.ok) {
    assert.equal(refused.problem.variable, undefined);
    assert.match(refused.problem.message, new RegExp(`at most ${MAX_ENV_JSON_BYTES} fit in a token that travels in a URL`));
  }
  // Exactly at the bound passes; one byte more (a 2-byte character for a 1-byte one) does not.
  // A: 1,024 three-byte characters (3,072 bytes); B: ASCII up to the bound.
  const euros = '€'.repeat(MAX_ENV_VALUE_LENGTH);
  const fill = MAX_ENV_JSON_BYTES - 3 * MAX_ENV_VALUE_LENGTH - '{"A":"","B":""}'.length;
  const atBound = normalizeEnv({ A: euros, B: 'x'.repeat(fill) });
  assert.ok(atBound.ok && new TextEncoder().encode(atBound.json).length === MAX_ENV_JSON_BYTES);
  assert.equal(normalizeEnv({ A: euros, B: 'x'.repeat(fill + 1) }).ok, false);
  // Surrogate pairs are well-formed (and 4 bytes each); only lone surrogates are refused.
  const emoji = normalizeEnv({ A: '📊'.repeat(10) });
  assert.ok(emoji.ok && new TextEncoder().encode(emoji.json).length === '{"A":""}'.length + 40);
});

test('normalizeEnv: json is exactly JSON.stringify of the sorted env, for any valid input', () => {
  fc.assert(
    fc.property(fc.dictionary(name, value, { maxKeys: 8 }), (input) => {
      const result = normalizeEnv(input);
      if (!result.ok) return;
      assert.equal(result.json, canonicalEnvKey(input as Record<string, string | string[]>));
      assert.equal(result.json, JSON.stringify(result.env));
    }),
  );
});

test('combineEnv joins two normalized maps (the second wins a name) and bounds only the whole', () => {
  const joined = combineEnv({ USER_ID: '3', DATE_RANGE: ['a', 'b'] }, { ACCT_ID: '7', USER_ID: '9' });
  assert.deepEqual(joined, { ok: true, env: { ACCT_ID: '7', DATE_RANGE: ['a', 'b'], USER_ID: '9' }, json: '{"ACCT_ID":"7","DATE_RANGE":["a","b"],"USER_ID":"9"}' });
  const many = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`F${i}`, '1']));
  const tooMany = combineEnv(many, { ACCT_ID: '7' });
  assert.equal(tooMany.ok, false);
  assert.equal(!tooMany.ok && tooMany.problem.message, 'env has 65 variables; at most 64 are allowed');
  const big = combineEnv({ A: 'x'.repeat(4_080) }, { ACCT_ID: '7' });
  assert.equal(!big.ok && big.problem.message, 'env is 4102 bytes as JSON; at most 4096 fit in a token that travels in a URL (pass ids and ranges, not data)');
  // The same answer normalizeEnv gives for the whole, whatever the split.
  fc.assert(
    fc.property(fc.dictionary(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,6}$/), fc.string({ maxLength: 300 }), { maxKeys: 40 }), fc.nat(), (env, cut) => {
      const names = Object.keys(env);
      const split = cut % (names.length + 1);
      const first = normalizeEnv(Object.fromEntries(names.slice(0, split).map((name) => [name, env[name]])));
      const second = normalizeEnv(Object.fromEntries(names.slice(split).map((name) => [name, env[name]])));
      fc.pre(first.ok && second.ok);
      assert.deepEqual(combineEnv(first.ok ? first.env : {}, second.ok ? second.env : {}), normalizeEnv(env));
    }),
  );
});
