/**
 * The published Custom Elements Manifest (dist/custom-elements.json, written from the element's
 * JSDoc by `cem analyze` in `npm run build`) against what <chartio-embed> really has. That side
 * comes from the built element running in Chromium, not from its comments: the tag it registers,
 * Lit's declared properties and attributes, the parts and slots its shadow root shows in each
 * state, the events it dispatches, the custom properties its stylesheet reads; plus the event
 * names its code fires and types, and the custom properties its code reads on the element. So the test fails when the JSDoc drifts from the code, either way.
 * Run after the build: node --import tsx --test test/build/custom-elements.test.ts
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/browsers.mjs';
import { ATTRIBUTE_NAMES } from '../../src/element/types/element-types.js';

/** The parts of the manifest schema this test reads. */
interface Named {
  name: string;
  description?: string;
  type?: { text: string };
  default?: string;
}
interface Declaration extends Named {
  kind: string;
  customElement?: boolean;
  tagName?: string;
  attributes?: (Named & { fieldName?: string })[];
  members?: (Named & { kind: string; privacy?: string; static?: boolean })[];
  events?: Named[];
  slots?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
}
interface Manifest {
  modules: { path: string; declarations?: Declaration[]; exports?: (Named & { kind: string; declaration: { name: string } })[] }[];
}

/** What the built element showed and did in the browser (see {@link inventory}). */
interface Inventory {
  tags: string[];
  observedAttributes: string[];
  /** Lit's declarations: property → its `attribute` option (`true` when left to Lit's default). */
  properties: [string, string | boolean][];
  parts: string[];
  slots: string[];
  events: string[];
  cssText: string;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): Promise<string> => readFile(`${root}${path}`, 'utf8');
/** A source file without its comments, so that JSDoc is never read as the code it describes. */
const code = async (path: string): Promise<string> => (await read(path)).replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
const matches = (text: string, pattern: RegExp): string[] => [...text.matchAll(pattern)].map((match) => match[1]!);
const sorted = (names: Iterable<string>): string[] => [...new Set(names)].sort();

const pkg = JSON.parse(await read('package.json'));
const manifest: Manifest = JSON.parse(await read(pkg.customElements));
const elements = manifest.modules.flatMap((module) => module.declarations ?? []).filter((declaration) => declaration.customElement);
const element = elements[0]!;

let browser: Browser;
let seen: Inventory;
before(async () => {
  browser = await chromium.launch({ executablePath: findChromium() ?? 'chromium (set CHROME_PATH)', args: CHROMIUM_ARGS });
  seen = await inventory(browser);
});
after(() => browser?.close());

/**
 * Loads the published browser bundle in a page, records every tag it defines and every event an
 * element of that tag dispatches, and takes it through its states: refused inputs (the error
 * overlay), waiting for a token (the loading overlay), then a dashboard frame that loads.
 */
async function inventory(browser: Browser): Promise<Inventory> {
  const page = await browser.newPage();
  // One made-up origin serves the page and the bundle; another stands for the dashboard host.
  await page.route('http://app.test/**', async (route) => {
    const bundle = await read('dist/browser/chartio-embed.js');
    const url = new URL(route.request().url());
    if (url.pathname == '/chartio-embed.js') return route.fulfill({ contentType: 'text/javascript', body: bundle });
    return route.fulfill({ contentType: 'text/html', body: '<!doctype html><body>' });
  });
  // A dashboard page that speaks the frame protocol as far as saying it is ready, then that the
  // viewer clicked a number.
  const click = "{ type: 'chartio:click', version: 1, chart: 0, title: 'Orders', label: null, series: 'orders', value: '7', row: { orders: '7' } }";
  const ready = `<script>parent.postMessage({ type: 'chartio:ready', version: 1, dashboard: 2 }, '*'); parent.postMessage(${click}, '*')</script>`;
  await page.route('https://dashboards.test/**', (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html><p>Dashboard${ready}` }));
  // tsx compiles this file with esbuild's keepNames, whose `__name(fn, name)` calls end up in the
  // function passed to page.evaluate: give the page a no-op one.
  await page.addInitScript('globalThis.__name = (target) => target');
  await page.goto('http://app.test/');
  return page.evaluate(async (): Promise<Inventory> => {
    const tags: string[] = [];
    const events: string[] = [];
    const define = customElements.define.bind(customElements);
    customElements.define = (name, constructor, options) => (tags.push(name), define(name, constructor, options));
    const dispatch = EventTarget.prototype.dispatchEvent;
    EventTarget.prototype.dispatchEvent = function (this: EventTarget, event: Event) {
      if (this instanceof Element && tags.includes(this.localName)) events.push(event.type);
      return dispatch.call(this, event);
    };
    const bundle = '/chartio-embed.js';
    await import(bundle);
    const tag = tags[0]!;
    const Class = customElements.get(tag) as unknown as {
      observedAttributes: string[];
      elementProperties: Map<PropertyKey, { attribute?: string | boolean }>;
    };
    const parts = new Set<string>();
    const slots = new Set<string>();
    const look = (element: HTMLElement) => {
      for (const node of element.shadowRoot!.querySelectorAll('[part]')) for (const part of node.part) parts.add(part);
      for (const slot of element.shadowRoot!.querySelectorAll('slot')) slots.add(slot.name);
    };
    // Waits are on real signals, never a poll: a shadow tree's mutations, or an event. The deadline
    // only turns a hang into a message.
    const within = <T,>(what: string, promise: Promise<T>) =>
      Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}; events so far: ${events}`)), 5000))]);
    const rendered = (element: HTMLElement, selector: string) =>
      within(selector, new Promise<void>((resolve) => {
        const root = element.shadowRoot!;
        if (root.querySelector(selector)) return resolve();
        const observer = new MutationObserver(() => root.querySelector(selector) && (observer.disconnect(), resolve()));
        observer.observe(root, { childList: true, subtree: true, attributes: true });
      }));
    const fired = (element: HTMLElement, type: string) =>
      within(type, new Promise<void>((resolve) => element.addEventListener(type, () => resolve(), { once: true })));
    const add = (attributes: Record<string, string>, properties: Record<string, unknown> = {}) => {
      const element = Object.assign(document.createElement(tag), properties);
      for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
      document.body.append(element);
      return element;
    };
    // Refused inputs: no dashboard.
    const refused = add({});
    await rendered(refused, '[role=alert]');
    look(refused);
    // Waiting for a token that never comes.
    const waiting = add({ dashboard: '1' }, { fetchToken: () => new Promise(() => {}) });
    await rendered(waiting, 'slot');
    look(waiting);
    // A token, then the dashboard frame, which loads and says it is ready.
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJvcmdhbml6YXRpb24iOjF9.c2ln';
    // (Another dashboard: tokens are shared per dashboard and filters, and the one above never comes.)
    const shown = add({ dashboard: '2', 'base-url': 'https://dashboards.test/d/2' }, { fetchToken: async () => ({ token }) });
    const clicked = fired(shown, 'chartio-click');
    await fired(shown, 'chartio-load');
    await clicked;
    look(shown);
    const cssText = [...shown.shadowRoot!.adoptedStyleSheets, ...[...shown.shadowRoot!.styleSheets]]
      .flatMap((sheet) => [...sheet.cssRules].map((rule) => rule.cssText))
      .join('\n');
    return {
      tags,
      observedAttributes: Class.observedAttributes,
      properties: [...Class.elementProperties].map(([name, { attribute = true }]) => [String(name), attribute]),
      parts: [...parts],
      slots: [...slots],
      events,
      cssText,
    };
  });
}

/** Each declared property's attribute as Lit names it (its default: the lowercased property name). */
function attributeNames({ properties }: Inventory): Map<string, string | false> {
  return new Map(properties.map(([name, attribute]) => [name, attribute === true ? name.toLowerCase() : attribute === false ? false : attribute]));
}

test('the manifest is published and named by package.json', () => {
  assert.equal(pkg.customElements, 'dist/custom-elements.json');
  // Named in `files` (test/package checks that the packed tarball holds it).
  assert.ok(pkg.files.includes(pkg.customElements), 'in `files`');
  assert.equal(pkg.exports['./custom-elements.json'], `./${pkg.customElements}`);
  for (const module of manifest.modules) assert.ok(existsSync(`${root}${module.path}`), `${module.path} is published`);
  for (const reference of JSON.stringify(manifest).matchAll(/"module":"([^"]+)"/g)) {
    assert.ok(existsSync(`${root}${reference[1]}`), `${reference[1]} is published`);
  }
});

test('it describes one custom element, under the tag the element registers', async () => {
  // The class's name: the export of the package's main entry that it registers for the tag, in
  // Node (Lit's Node build has a registry), since the browser bundle is minified.
  const entry: Record<string, unknown> = await import(`${root}${pkg.exports['.'].default}`);
  const registered = customElements.get(seen.tags[0]!);
  const className = Object.keys(entry).find((name) => registered && entry[name] === registered);
  assert.equal(seen.tags.length, 1, 'the bundle defines one tag');
  assert.equal(elements.length, 1);
  assert.equal(element.name, className);
  assert.equal(element.tagName, seen.tags[0]);
  const definitions = manifest.modules.flatMap((module) => module.exports ?? []).filter((entry) => entry.kind == 'custom-element-definition');
  assert.deepEqual(definitions.map((entry) => [entry.name, entry.declaration.name]), [[seen.tags[0], className]]);
});

test('attributes: every one the element reads, and no other', async () => {
  // Lit's attributes; the `filter-*` family the element reads by prefix; and the global
  // attributes it reads through their own property (`title` names the iframe).
  const prefix = matches(await code('src/element/filter-attributes.ts'), /\bname\.startsWith\('([\w-]+)'\)/g);
  const globals = matches(await code('src/element/chartio-embed.ts'), /\bthis\.(title|lang|dir|hidden|id)\b/g);
  const names = attributeNames(seen);
  assert.deepEqual(sorted([...names.values()].filter((name): name is string => name !== false)), sorted(seen.observedAttributes));
  assert.equal(prefix.length, 1, 'one filter-* prefix');
  const expected = [...seen.observedAttributes, ...prefix.map((name) => `${name}*`), ...globals];
  assert.deepEqual(sorted(element.attributes!.map((attribute) => attribute.name)), sorted(expected));
  for (const attribute of element.attributes!) {
    assert.ok(attribute.description, `${attribute.name} is documented`);
    const property = [...names].find(([, name]) => name == attribute.name)?.[0];
    assert.equal(attribute.fieldName, property, `${attribute.name} sets ${property ?? 'no property'}`);
  }
});

test('properties: every one Lit declares is a documented public field', () => {
  const fields = element.members!.filter((member) => member.kind == 'field' && !member.static && member.privacy != 'protected');
  assert.deepEqual(sorted(fields.map((field) => field.name)), sorted(seen.properties.map(([name]) => name)));
  for (const field of fields) assert.ok(field.description, `${field.name} is documented`);
});

test('the framework typings name the same attributes as the element', () => {
  assert.deepEqual(Object.fromEntries(attributeNames(seen)), ATTRIBUTE_NAMES);
});

test('events: every one the element fires, with the type the event map gives it', async () => {
  const fired = matches(await code('src/element/chartio-embed.ts'), /\bfire\(this, '([\w-]+)'/g);
  const eventMap = (await code('src/element/events.ts')).match(/interface GlobalEventHandlersEventMap \{([^}]*)\}/)![1]!;
  const types = new Map([...eventMap.matchAll(/'([\w-]+)': ([^;]+);/g)].map((match) => [match[1]!, match[2]!.trim()]));
  assert.deepEqual(sorted(fired), sorted(types.keys()), 'the event map types every fired event, and only those');
  assert.deepEqual(sorted(element.events!.map((event) => event.name)), sorted(fired));
  // The browser run dispatched each of them, and nothing else (no event bypasses `fire`).
  assert.deepEqual(sorted(seen.events), sorted(fired));
  for (const event of element.events!) {
    assert.equal(event.type?.text, types.get(event.name), `@fires {type} of ${event.name}`);
    assert.ok(event.description, `${event.name} is documented`);
  }
});

test('slots: every one the shadow root shows', () => {
  assert.deepEqual(sorted(element.slots!.map((slot) => slot.name)), sorted(seen.slots));
});

test('CSS parts: every one the shadow root shows', () => {
  assert.deepEqual(sorted(element.cssParts!.map((part) => part.name)), sorted(seen.parts));
});

test('CSS custom properties: every one the stylesheet reads, with its fallback as default, and those the code reads', async () => {
  const fallbacks = new Map([...seen.cssText.matchAll(/var\((--[\w-]+)(?:,([^)]*))?\)/g)].map((match) => [match[1]!, match[2]?.trim()]));
  assert.ok(fallbacks.size > 0, 'the stylesheet was read');
  // Read on the element with getComputedStyle and passed to the page: no default of the element's own.
  const read = matches(await code('src/element/chartio-embed.ts'), /getPropertyValue\('(--[\w-]+)'\)/g);
  assert.ok(read.length > 0, 'the code reads custom properties');
  for (const name of read) fallbacks.set(name, undefined);
  assert.deepEqual(sorted(element.cssProperties!.map((property) => property.name)), sorted(fallbacks.keys()));
  for (const property of element.cssProperties!) assert.equal(property.default, fallbacks.get(property.name), `${property.name}'s default`);
});
