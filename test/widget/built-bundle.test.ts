import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { openPage } from '../helpers/browser.ts';
import { widgetMarkup } from './fixture-corpus.ts';
import { widgetHarness } from './widget-harness.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const built = (file: string) => readFileSync(path.join(root, 'dist', 'widget', file), 'utf8');
const widgetSources = readdirSync(path.join(root, 'widget'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => ({
    file: `widget/${file}`,
    text: readFileSync(path.join(root, 'widget', file), 'utf8'),
  }));

interface ManifestElement {
  tagName?: string;
  attributes: Array<{ name: string }>;
  events: Array<{ name: string }>;
  cssParts: Array<{ name: string }>;
  cssProperties: Array<{ name: string }>;
}

const manifestElement = (): ManifestElement => {
  const manifest = JSON.parse(built('custom-elements.json')) as {
    modules: Array<{ path: string; declarations: ManifestElement[] }>;
  };
  // One module: the bundle that ships, not the TypeScript files it is built from.
  expect(manifest.modules.map((module) => module.path)).toEqual(['dist/widget/search-gate.js']);
  const element = manifest.modules[0]?.declarations.find((d) => d.tagName === 'search-gate');
  if (!element) throw new Error('no <search-gate> in the manifest');
  return element;
};

/** The events the widget types for pages: its `GlobalEventHandlersEventMap` entries. */
const typedEvents = (): string[] =>
  widgetSources.flatMap(({ file, text }) => {
    const names: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isInterfaceDeclaration(node) && node.name.text === 'GlobalEventHandlersEventMap') {
        for (const member of node.members) {
          if (member.name && ts.isStringLiteral(member.name)) names.push(member.name.text);
        }
      }
      node.forEachChild(visit);
    };
    visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true));
    return names;
  });

/** Every `part="…"` written in the widget's templates. */
const templateParts = (): string[] => [
  ...new Set(
    widgetSources.flatMap(({ text }) =>
      [...text.matchAll(/\bpart="([^"$]+)"/g)].flatMap((m) => (m[1] ?? '').split(/\s+/)),
    ),
  ),
];

const h = widgetHarness({ failOnPageErrors: false });

describe('the built bundle', () => {
  it('works from a plain HTML page with nothing but its script tag', async () => {
    h.current = await openPage(h.browser, h.server.url, {
      ownScripts: true,
      head: `<script type="module" src="${h.server.url}/search-gate.js"></script>`,
      body: widgetMarkup(h.server, h.fixture),
    });
    const { page, errors } = h.current;
    await page.getByRole('combobox').fill('guide');
    await page.getByText('Installing Searchgate').waitFor();
    expect(errors).toEqual([]);
  });

  it('adds no globals besides the version arrays Lit shares between its copies', async () => {
    h.current = await openPage(h.browser, h.server.url, {
      ownScripts: true,
      // A classic script runs before the (deferred) module: it sees the window untouched.
      head: `<script>window.before = Object.keys(window);</script>
        <script type="module" src="/search-gate.js"></script>`,
      body: widgetMarkup(h.server, h.fixture),
    });
    const added = await h.current.page.evaluate(() => {
      const before = new Set((window as unknown as { before: string[] }).before);
      return Object.keys(window).filter((name) => !before.has(name) && name !== 'before');
    });
    const litShared = [
      'litElementVersions',
      'litHtmlVersions',
      'litPropertyMetadata',
      'reactiveElementVersions',
    ];
    expect(added.filter((name) => !litShared.includes(name))).toEqual([]);
    expect(h.current.errors).toEqual([]);
  });

  it('does not throw when the page loads it twice', async () => {
    h.current = await openPage(h.browser, h.server.url, {
      ownScripts: true,
      // A different query string makes the browser evaluate a second copy of the module.
      head: `<script type="module" src="/search-gate.js"></script>
        <script type="module" src="/search-gate.js?copy=2"></script>`,
      body: widgetMarkup(h.server, h.fixture),
    });
    const { page, errors } = h.current;
    await page.waitForLoadState('load');
    // A string, so vitest does not rewrite the dynamic imports meant for the browser.
    const copies = await page.evaluate(
      "Promise.all([import('/search-gate.js'), import('/search-gate.js?copy=2')]).then(([a, b]) => a.SearchGate !== b.SearchGate)",
    );
    expect(copies).toBe(true);
    await page.getByRole('combobox').fill('guide');
    await page.getByText('Installing Searchgate').waitFor();
    expect(errors).toEqual([]);
  });

  it('ships a custom-elements manifest generated from the JSDoc: every observed attribute, typed event, part and custom property', async () => {
    const element = manifestElement();
    h.current = await openPage(h.browser, h.server.url, {
      body: widgetMarkup(h.server, h.fixture),
    });
    const { observed, styles } = await h.current.page.evaluate(() => {
      const SearchGate = customElements.get('search-gate') as unknown as {
        observedAttributes: string[];
        elementStyles: Array<{ cssText: string }>;
      };
      return {
        observed: [...SearchGate.observedAttributes],
        styles: SearchGate.elementStyles.map((style) => style.cssText).join('\n'),
      };
    });
    const names = (items: Array<{ name: string }>) => items.map((item) => item.name).sort();
    expect(names(element.attributes)).toEqual([...observed].sort());
    expect(names(element.events)).toEqual(typedEvents().sort());
    expect(names(element.cssParts)).toEqual(templateParts().sort());
    const customProperties = [...new Set(styles.match(/--search-gate-[\w-]+/g))];
    expect(names(element.cssProperties)).toEqual(customProperties.sort());
  });
});
