/**
 * Every code block of docs/dashboards.md is exercised, so the format reference cannot drift from
 * the parser and the renderer. Each block is preceded by `<!-- dashboards-test: KIND [ARG] -->`,
 * and a block without one fails the test:
 * - `dashboard`: a complete file, parsed and served by the real host over the demo dataset with
 *   the env the page states; every chart must render data (`data-status="ok"`), and every format
 *   it declares must appear on its values;
 * - `chart`: one chart, put in a dashboard with the page's variables, then as `dashboard`;
 * - `refused SOURCE`: a file the parser must refuse with exactly the next `message` block;
 * - `messages SOURCE`: each line is the whole message the parser gives for one broken field,
 *   made here by changing that field of a valid file;
 * - `markup DASHBOARD`: every opening tag of the block (attribute values with digits or `…`
 *   left open) is found in that demo dashboard's rendered page.
 */
import { isDrawnChartType } from '../../src/host/definition/chart-types/drawn-chart-types.js';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEMO_DASHBOARDS, openDemoDatabase } from '../support/demo-database.js';
import { createDashboardHost, loadDashboardFiles, parseDashboardDefinition, type ChartDefinition, type ColumnFormat, type DashboardDefinition, type DashboardHost, type DataSource } from '../../src/host/index.js';
import { createEmbedSigner } from '../../src/server/index.js';
import { CHART_KINDS } from '../../src/host/definition/chart-types/index.js';
import { dashboardFileSchema, VariableSchema } from '../../src/host/definition/dashboard-schema.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SECRET = 'dashboards-doc-test-secret-0123456789-abcdefgh';
const ORGANIZATION = 16417;
/** The env the page says its examples are served with. */
const ENV = { ACCT_ID: '7', DATE_RANGE: ['2014-02-11', '2015-02-11'], PRODUCTS: ['Team', 'Starter'] };

interface Block {
  kind: string;
  arg: string;
  lang: string;
  code: string;
}

const doc = await readFile(`${root}docs/dashboards.md`, 'utf8');
const blocks = parseBlocks(doc);
const ofKind = (kind: string) => blocks.filter((block) => block.kind === kind);

function parseBlocks(text: string): Block[] {
  const found: Block[] = [];
  for (const match of text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)) {
    const marker = /<!-- dashboards-test: (\w+)(?: ([^>]+?))? -->$/.exec(text.slice(0, match.index).trimEnd());
    assert.ok(marker, `the block at offset ${match.index} (${match[1]}) has no <!-- dashboards-test: … --> marker`);
    found.push({ kind: marker[1]!, arg: marker[2] ?? '', lang: match[1]!, code: match[2]! });
  }
  return found;
}

/** A chart block's dashboard: the page's variables, and the chart. */
function dashboardOfChart(chart: object, id: number): object {
  return {
    id,
    title: 'Chart example',
    variables: [
      { name: 'ACCT_ID', kind: 'integer', everywhere: true },
      { name: 'DATE_RANGE', kind: 'date_range' },
      { name: 'PRODUCTS', kind: 'list' },
    ],
    charts: [chart],
  };
}

const examples: DashboardDefinition[] = [
  ...ofKind('dashboard').map((block, index) => parseDashboardDefinition(JSON.parse(block.code), `dashboards.md dashboard block ${index + 1}`)),
  ...ofKind('chart').map((block, index) => parseDashboardDefinition(dashboardOfChart(JSON.parse(block.code), 39900 + index), `dashboards.md chart block ${index + 1}`)),
];

let database: DataSource;
let host: DashboardHost;

before(async () => {
  database = await openDemoDatabase();
  const demo = await loadDashboardFiles(DEMO_DASHBOARDS);
  host = createDashboardHost({ organization: ORGANIZATION, secret: SECRET, dashboards: [...demo, ...examples], database, frameAncestors: [] });
});

after(async () => {
  await host?.close();
  await database?.close();
});

async function page(dashboard: number): Promise<string> {
  const { token } = await createEmbedSigner({ secret: SECRET, organization: ORGANIZATION }).sign({ dashboard, env: ENV });
  const response = await host(new Request(`http://host.test/d/${dashboard}/?embed_token=${token}`));
  assert.equal(response.status, 200);
  return response.text();
}

/** The `<figure>` of chart number `index` in a page. */
function figure(html: string, index: number): string {
  const start = html.indexOf(`<figure class="chart chart-`, html.indexOf(`id="chart-${index}"`) - 60);
  return html.slice(start, html.indexOf('</figure>', start));
}

/** What `data-format` starts with for values of `format`. */
function keyPrefix(format: ColumnFormat): string {
  return format.type === 'currency' ? `currency:${format.currency}` : format.type === 'date' ? 'date:' : format.type;
}

test('every block has a known kind, and there is an example of each chart type', () => {
  for (const block of blocks) assert.match(block.kind, /^(dashboard|chart|refused|message|messages|markup)$/, block.kind);
  const types = new Set([
    ...ofKind('dashboard').flatMap((block) => JSON.parse(block.code).charts.map((chart: ChartDefinition) => chart.type)),
    ...ofKind('chart').map((block) => JSON.parse(block.code).type),
  ]);
  assert.deepEqual([...types].sort(), [...CHART_KINDS.keys()].sort(), 'an example of each type the registry has');
});

test('the field tables list exactly the fields of the schema the host validates with', () => {
  /** The first column of the table under `### heading`: its field names. */
  const tableFields = (heading: string): string[] => {
    const section = doc.slice(doc.indexOf(`\n### ${heading}\n`));
    const table = section.slice(section.indexOf('\n| Field |'), section.indexOf('\n\n', section.indexOf('\n| Field |') + 1));
    return [...table.matchAll(/^\| `([$\w]+)` \|/gm)].map((match) => match[1]!).sort();
  };
  const schema = JSON.parse(JSON.stringify(dashboardFileSchema()));
  assert.deepEqual(tableFields('The dashboard'), Object.keys(schema.properties).sort());
  assert.deepEqual(tableFields('A variable'), Object.keys(VariableSchema.properties).sort());
  const chartFields = new Set([...CHART_KINDS.values()].flatMap((kind) => Object.keys(kind.schema.properties)));
  assert.deepEqual(tableFields('A chart'), [...chartFields].sort());
});

test('each example is served over the demo data: every chart shows data, in the formats it declares', async () => {
  assert.ok(examples.length >= 5);
  for (const dashboard of examples) {
    const html = await page(dashboard.id);
    for (const [index, chart] of dashboard.charts.entries()) {
      const shown = figure(html, index);
      assert.match(shown, /^<figure [^>]*data-status="ok"/, `${dashboard.source}: "${chart.title}" shows data\n${shown.slice(0, 400)}`);
      for (const [column, format] of Object.entries(chart.formats ?? {})) {
        assert.ok(shown.includes(`data-format="${keyPrefix(format)}`), `${dashboard.source}: "${chart.title}" shows ${column} as ${format.type}`);
      }
      if (isDrawnChartType(chart.type)) assert.ok(shown.includes('<div class="chart-svg"') && shown.includes('<svg') && shown.includes('<details class="chart-data">'), chart.title);
    }
  }
});

test('a refused file is refused with exactly the message quoted after it', () => {
  const refused = ofKind('refused');
  assert.ok(refused.length >= 1);
  for (const block of refused) {
    const message = blocks[blocks.indexOf(block) + 1];
    assert.equal(message?.kind, 'message', 'a refused block is followed by its message');
    assert.throws(() => parseDashboardDefinition(JSON.parse(block.code), block.arg), (error: unknown) => {
      assert.equal((error as Error).message, message!.code.trim());
      return true;
    });
  }
});

test('the validation messages quoted are the parser\'s, word for word', () => {
  const [block] = ofKind('messages');
  const valid = () => ({
    id: 38807,
    title: 'Orders',
    variables: [
      { name: 'ACCT_ID', kind: 'integer', everywhere: true },
      { name: 'DATE_RANGE', kind: 'date_range' },
    ] as Record<string, unknown>[],
    charts: [{ title: 'Orders', type: 'table', sql: 'SELECT order_id FROM orders WHERE account_id = $ACCT_ID' }] as Record<string, unknown>[],
  });
  const mutations: ((file: ReturnType<typeof valid>) => void)[] = [
    (file) => (file.charts[0]!.sql += ' AND user_id = $USER_ID'),
    (file) => (file.charts[0]!.formats = { amount: 'currency' }),
    (file) => (file.charts[0]!.formats = { amount: { type: 'currency', currency: 'usd' } }),
    (file) => (file.charts[0]!.beginAtZero = true),
    (file) => (file.charts[0]!.maxRows = 0),
    (file) => (file.variables[1]!.kind = 'daterange'),
    (file) => (file.variables[0]!.required = false),
    (file) => (file.charts[0]!.download = { sql: 'SELECT order_id FROM orders' }),
    (file) => (file.charts[0]!.download = { maxRows: 1_000_000 }),
  ];
  parseDashboardDefinition(valid(), block!.arg); // the file itself is valid
  const messages = mutations.map((mutate) => {
    const file = valid();
    mutate(file);
    try {
      parseDashboardDefinition(file, block!.arg);
    } catch (error) {
      return (error as Error).message;
    }
    return `(${mutate.toString()} was accepted)`;
  });
  assert.deepEqual(block!.code.trim().split('\n'), messages);
});

test('the markup shown is the markup rendered', async () => {
  for (const block of ofKind('markup')) {
    const html = await page(Number(block.arg));
    for (const [tag] of block.code.matchAll(/<\w+(?:\s[\w-]+="[^"]*")*>/g)) {
      const pattern = tag
        .split(/("[^"]*")/)
        .map((part) => (part.startsWith('"') && /[\d…]/.test(part) ? '"[^"]*"' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('');
      assert.match(html, new RegExp(pattern), `${tag} is in the rendered page`);
    }
  }
});
