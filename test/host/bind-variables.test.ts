/**
 * The `integer` and `integer_list` Hidden Variable kinds: what the env may carry (strings of
 * digits, as the signer writes every number), what is refused, and that a refused value, required
 * or optional, makes the chart unavailable with a message naming the variable and never binds
 * NULL (which would drop the filter).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { bindChartVariables, parseInt64 } from '../../src/host/sources/bind-variables.js';
import { parseDashboardDefinition } from '../../src/host/index.js';
import { normalizeEnv } from '../../src/protocol/index.js';

const MAX = 2n ** 63n - 1n;
const MIN = -(2n ** 63n);

describe('parseInt64', () => {
  test('whole numbers in the 64-bit range are read exactly, anything else is refused', () => {
    assert.equal(parseInt64('12'), 12n);
    assert.equal(parseInt64('-3'), -3n);
    assert.equal(parseInt64('007'), 7n);
    assert.equal(parseInt64('0'), 0n);
    assert.equal(parseInt64('9007199254740993'), 9007199254740993n, 'beyond a double: exact');
    assert.equal(parseInt64(MAX.toString()), MAX);
    assert.equal(parseInt64(MIN.toString()), MIN);
    for (const refused of ['12a', '1.5', '', '-', '+12', ' 12', '12 ', '1e3', '0x10', '١٢', '12\n', (MAX + 1n).toString(), (MIN - 1n).toString(), '9'.repeat(1024)]) {
      assert.equal(parseInt64(refused), undefined, JSON.stringify(refused));
    }
    for (const notText of [12, 12n, null, undefined, ['12']]) assert.equal(parseInt64(notText), undefined, String(notText));
  });

  test('every 64-bit integer round-trips, and every integer the signer writes from a number is read back', () => {
    fc.assert(fc.property(fc.bigInt({ min: MIN, max: MAX }), (whole) => parseInt64(whole.toString()) === whole));
    fc.assert(fc.property(fc.bigInt({ min: MAX + 1n, max: MAX * 4n }), fc.boolean(), (whole, negative) => parseInt64((negative ? -whole - 1n : whole).toString()) === undefined));
    fc.assert(
      fc.property(fc.maxSafeInteger(), (number) => {
        const signed = normalizeEnv({ USER_ID: number });
        return signed.ok && parseInt64(signed.env.USER_ID) === BigInt(number);
      }),
    );
  });
});

describe('binding integer and integer_list variables', () => {
  const dashboard = parseDashboardDefinition(
    {
      id: 1,
      title: 'Integers',
      variables: [
        { name: 'ACCT_ID', kind: 'integer', required: true },
        { name: 'USER_ID', kind: 'integer' },
        { name: 'ORDER_IDS', kind: 'integer_list' },
      ],
      charts: [{ title: 'Orders', type: 'number', sql: 'SELECT count(*) FROM orders WHERE account_id = $ACCT_ID AND ($USER_ID IS NULL OR user_id = $USER_ID) AND ($ORDER_IDS IS NULL OR array_position($ORDER_IDS, order_id) IS NOT NULL)' }],
    },
    'integers.json',
  );
  const [chart] = dashboard.charts;
  const bind = (env: Record<string, string | string[]>) => bindChartVariables(chart!, dashboard.variables, env);

  test('a whole number binds as a 64-bit integer; a list of them as a list; one string is a one-item list', () => {
    assert.deepEqual(bind({ ACCT_ID: '7', USER_ID: '-12', ORDER_IDS: ['1', '9223372036854775807'] }), {
      ok: true,
      params: {
        ACCT_ID: { type: 'integer', value: 7n },
        USER_ID: { type: 'integer', value: -12n },
        ORDER_IDS: { type: 'integer_list', value: [1n, 9223372036854775807n] },
      },
    });
    assert.deepEqual(bind({ ACCT_ID: '7', ORDER_IDS: '42' }), {
      ok: true,
      params: { ACCT_ID: { type: 'integer', value: 7n }, USER_ID: { type: 'integer', value: null }, ORDER_IDS: { type: 'integer_list', value: [42n] } },
    });
    assert.deepEqual(bind({ ACCT_ID: '7', ORDER_IDS: [] }), {
      ok: true,
      params: { ACCT_ID: { type: 'integer', value: 7n }, USER_ID: { type: 'integer', value: null }, ORDER_IDS: { type: 'integer_list', value: [] } },
    });
  });

  test('absent and optional: NULL; absent and required: the chart needs it', () => {
    const absent = bind({ ACCT_ID: '7' });
    assert.ok(absent.ok);
    assert.deepEqual(absent.params.USER_ID, { type: 'integer', value: null });
    assert.deepEqual(absent.params.ORDER_IDS, { type: 'integer_list', value: null });
    assert.deepEqual(bind({ USER_ID: '1' }), { ok: false, message: 'This chart needs the Hidden Variable ACCT_ID, which the embed token does not set.' });
    // A name the dashboard does not declare is named (a misspelt variable, most often); never its value.
    assert.deepEqual(bind({ ACCTID: '7', USER_ID: '1' }), {
      ok: false,
      message: 'This chart needs the Hidden Variable ACCT_ID, which the embed token does not set. It sets ACCTID, which the dashboard does not declare.',
    });
  });

  test('a value that is not a whole number in range never binds, required or optional: the message names the variable', () => {
    const wholeNumber = (name: string) => `The Hidden Variable ${name} must be a whole number from -9223372036854775808 to 9223372036854775807, like "42".`;
    for (const bad of ['12a', '1.5', '', '9223372036854775808', '1 OR 1=1']) {
      assert.deepEqual(bind({ ACCT_ID: bad }), { ok: false, message: wholeNumber('ACCT_ID') }, `ACCT_ID ${JSON.stringify(bad)}`);
      assert.deepEqual(bind({ ACCT_ID: '7', USER_ID: bad }), { ok: false, message: wholeNumber('USER_ID') }, `USER_ID ${JSON.stringify(bad)}`);
    }
    assert.deepEqual(bind({ ACCT_ID: ['1', '2'] }), { ok: false, message: wholeNumber('ACCT_ID') }, 'a list for one integer');
    assert.deepEqual(bind({ ACCT_ID: '7', ORDER_IDS: ['1', 'two', '3'] }), {
      ok: false,
      message: 'The Hidden Variable ORDER_IDS must be a list of whole numbers from -9223372036854775808 to 9223372036854775807, like ["42", "43"].',
    });
  });
});
