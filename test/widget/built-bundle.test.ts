import { readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { literalMinifier } from '../../vite.config.ts';
import { searchGateStyles } from '../../widget/search-gate.styles.ts';
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

/**
 * What a style sheet means, as Chromium parses it: each rule's selector or condition and its
 * declarations (longhands, sorted), so a minified sheet equals its source when nothing changed
 * meaning, whatever the spacing, property order or colour notation.
 */
const cssMeaning = (page: Page, cssText: string) =>
  page.evaluate((text) => {
    // Custom properties and var() keep their tokens as written: compare them without spacing.
    const tokens = (value: string) => value.replace(/\s*([,()/])\s*/g, '$1').replace(/\s+/g, ' ');
    // `transparent` is the shortest spelling of #0000 for a minifier, and a keyword for the CSSOM.
    const colours = (value: string) => value.replace(/\btransparent\b/g, 'rgba(0, 0, 0, 0)');
    const describe = (rules: CSSRuleList): unknown[] =>
      [...rules].map((rule) => {
        if (rule instanceof CSSStyleRule) {
          const declarations = [...rule.style]
            .map((name) => {
              const value = colours(rule.style.getPropertyValue(name).trim());
              const important = rule.style.getPropertyPriority(name);
              return `${name}: ${value.includes('var(') || name.startsWith('--') ? tokens(value) : value}${important ? ' !important' : ''}`;
            })
            .sort();
          return { selector: rule.selectorText, declarations };
        }
        if (rule instanceof CSSMediaRule) {
          return { media: rule.media.mediaText, rules: describe(rule.cssRules) };
        }
        if (rule instanceof CSSKeyframesRule) {
          return { keyframes: rule.name, rules: describe(rule.cssRules) };
        }
        if (rule instanceof CSSKeyframeRule) {
          return { at: rule.keyText, style: rule.style.cssText };
        }
        return { other: rule.cssText };
      });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
    return describe(sheet.cssRules);
  }, cssText);

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

  it('keeps the meaning of its styles: the minified CSS parses to the same rules as the source', async () => {
    h.current = await openPage(h.browser, h.server.url, {
      body: widgetMarkup(h.server, h.fixture),
    });
    const { page } = h.current;
    const shipped = await page.evaluate(() =>
      (
        customElements.get('search-gate') as unknown as {
          elementStyles: Array<{ cssText: string }>;
        }
      ).elementStyles
        .map((style) => style.cssText)
        .join('\n'),
    );
    expect(shipped.length).toBeLessThan(searchGateStyles.cssText.length);
    expect(await cssMeaning(page, shipped)).toEqual(
      await cssMeaning(page, searchGateStyles.cssText),
    );
  });

  it('minifies css`` and html`` literals without changing descendant combinators or quoted strings', async () => {
    const source = `import { css, html } from 'lit';
export const styles = css\`
  .list :focus-visible { outline: 2px solid red; }
  .list  >  li + li ~ a , .other  b { color : red ; }
  .quote::after { content: 'a : b , c'; }
  [data-label='x , y'] .icon { background : url("a b.png") ; }
\`;
export const view = html\`<pre>  two  spaces </pre>
  <span title="a : b , c">x</span>\`;
`;
    const plugin = literalMinifier() as unknown as {
      transform: (code: string, id: string) => Promise<{ code: string; map: unknown } | null>;
    };
    const context = {
      warn: () => {},
      error: (message: string) => {
        throw new Error(message);
      },
    };
    const result = await plugin.transform.call(
      context,
      source,
      path.join(root, 'widget', 'fixture.ts'),
    );
    if (!result) throw new Error('the literal minifier left the fixture alone');
    const cssOf = (code: string) => code.match(/css`([^`]*)`/)?.[1] ?? '';
    const minified = cssOf(result.code);
    expect(minified.length).toBeLessThan(cssOf(source).length);
    expect(result.map).toBeTruthy();

    h.current = await openPage(h.browser, h.server.url, { body: '' });
    const meaning = await cssMeaning(h.current.page, minified);
    expect(meaning).toEqual(await cssMeaning(h.current.page, cssOf(source)));
    // Spelled out, the cases the old regex minifier got wrong.
    expect(JSON.stringify(meaning)).toContain('.list :focus-visible');
    expect(JSON.stringify(meaning)).toContain('a : b , c');
    expect(result.code).toContain('<pre>  two  spaces </pre>');
    expect(result.code).toContain('title="a : b , c"');
  });

  it('ships a source map that leads back to the widget TypeScript', () => {
    const bundle = built('search-gate.js');
    expect(bundle.trimEnd().endsWith('//# sourceMappingURL=search-gate.js.map')).toBe(true);
    const payload = JSON.parse(built('search-gate.js.map'));
    const map = new SourceMap(payload);
    expect(payload.sources).toContain('../../widget/search-gate.ts');
    // The define call is the bundle's last statement: it must map to the line that wrote it.
    const lines = bundle.split('\n');
    const line = lines.findIndex((text) => text.includes('customElements.define('));
    const column = lines[line]?.indexOf('customElements.define(') ?? -1;
    const origin = map.findEntry(line, column) as {
      originalSource?: string;
      originalLine?: number;
    };
    expect(origin.originalSource).toMatch(/widget\/search-gate\.ts$/);
    const sourceLine = readFileSync(path.join(root, 'widget', 'search-gate.ts'), 'utf8').split(
      '\n',
    )[origin.originalLine ?? -1];
    expect(sourceLine).toContain("customElements.define('search-gate'");
  });
});
