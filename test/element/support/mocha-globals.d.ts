// The globals web-test-runner's mocha gives the browser test files, typed for `npm run typecheck`
// without adding @types/mocha (whose global `describe`/`it` would also leak into the node:test
// files). Only what the tests use.
declare function describe(title: string, body: () => void): void;
declare function it(title: string, body: () => unknown): void;
declare function beforeEach(body: () => unknown): void;
declare function afterEach(body: () => unknown): void;
