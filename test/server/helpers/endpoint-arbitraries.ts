/**
 * fast-check arbitraries for token request bodies: mostly well-formed requests whose filter maps
 * mix allowed names, the locked `ACCT_ID` in every disguise, prototype keys and junk values,
 * plus arbitrary JSON and arbitrary text.
 * @module
 */
import fc from 'fast-check';
import { DASHBOARD } from './endpoint-fixtures.js';

const filterName = fc.oneof(
  fc.constantFrom('DATE_RANGE', 'USER_ID', 'REGION'),
  fc.constantFrom('ACCT_ID', 'acct_id', 'Acct_Id', 'ACCT_ID ', ' ACCT_ID', 'ACCT-ID', '__proto__', 'constructor', 'prototype', 'toString'),
  fc.string({ maxLength: 12 }),
);

const filterValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }),
  fc.integer(),
  fc.double(),
  fc.constant({ ACCT_ID: '9' }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A JSON text with a filter map as built by hand, so `__proto__` stays an own key. */
function requestText(dashboard: unknown, entries: Array<[string, unknown]> | undefined, extra: Array<[string, unknown]>): string {
  const parts: string[] = [`"dashboard":${JSON.stringify(dashboard) ?? 'null'}`];
  if (entries !== undefined) {
    const map = entries.map(([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value) ?? 'null'}`).join(',');
    parts.push(`"filters":{${map}}`);
  }
  for (const [name, value] of extra) parts.push(`${JSON.stringify(name)}:${JSON.stringify(value) ?? 'null'}`);
  return `{${parts.join(',')}}`;
}

/** Request bodies as text: well-formed-ish requests, any JSON, any string. */
export function endpointBodies(): fc.Arbitrary<string> {
  const wellFormed = fc
    .tuple(
      fc.oneof(fc.constant(DASHBOARD), fc.constant(100), fc.integer({ min: -5, max: 200_000 }), fc.jsonValue({ maxDepth: 1 })),
      fc.option(fc.array(fc.tuple(filterName, filterValue), { maxLength: 6 }), { nil: undefined }),
      fc.array(fc.tuple(fc.constantFrom('__proto__', 'ACCT_ID', 'constructor', 'env'), filterValue), { maxLength: 1 }),
    )
    .map(([dashboard, entries, extra]) => requestText(dashboard, entries, extra));
  // Requests the endpoint should grant, so the "no foreign locked value in a token" half of the
  // property is exercised often, not by luck.
  const goodValue = fc.oneof(fc.string({ maxLength: 20 }), fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }), fc.integer());
  const goodEntries = fc.array(fc.tuple(fc.constantFrom('DATE_RANGE', 'USER_ID', 'REGION'), goodValue), { maxLength: 3 });
  const grantable = fc
    .tuple(fc.constantFrom(DASHBOARD, 100), goodEntries)
    .map(([dashboard, entries]) => requestText(dashboard, entries, []));
  // The same, with one attempt at the locked name slipped in among good entries (with a good
  // value), at a random position: an endpoint that let it through would issue a wrong token.
  const smuggling = fc
    .tuple(
      fc.constantFrom(DASHBOARD, 100),
      goodEntries,
      fc.tuple(fc.constantFrom('ACCT_ID', 'acct_id', 'Acct_Id', '__proto__', 'constructor'), goodValue),
      fc.nat(),
    )
    .map(([dashboard, entries, attempt, at]) => {
      const mixed: Array<[string, unknown]> = [...entries];
      mixed.splice(at % (entries.length + 1), 0, attempt);
      return requestText(dashboard, mixed, []);
    });
  return fc.oneof(
    { weight: 3, arbitrary: grantable },
    { weight: 2, arbitrary: smuggling },
    { weight: 5, arbitrary: wellFormed },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? 'null') },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  );
}
