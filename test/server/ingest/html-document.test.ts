import { describe, expect, it } from 'vitest';
import { htmlToDocument } from '../../../server/ingest/html-document.ts';

const source = { documentId: 'guide/install.html', fileName: 'install.html' };

const page = `<!doctype html>
<html lang="en-GB">
<head>
  <title>Install &amp; configure</title>
  <meta name="description" content="How to install &quot;Searchgate&quot;">
  <style>body { color: red }</style>
  <script>window.secret = "do not index";</script>
</head>
<body>
  <nav><a href="/">Home</a> <a href="/blog">Blog navigation link</a></nav>
  <p>Intro before   any
     heading.</p>
  <h1 id="top">Installing <em>Searchgate</em></h1>
  <p>Run the installer. It takes a minute&hellip;</p>
  <h2 id="requirements">Requirements <a class="headerlink" href="#requirements" aria-hidden="true">¶</a></h2>
  <ul><li>Node 20</li><li>SQLite&nbsp;3</li></ul>
  <template><p>template text never shown</p></template>
  <noscript>Enable JavaScript</noscript>
  <section id="tuning"><h3>Tuning</h3><p>Caches &lt;b&gt;matter&lt;/b&gt;.</p></section>
  <h2>Empty heading</h2>
  <h2>Security</h2>
  <p>&lt;script&gt;alert("xss")&lt;/script&gt; and <img src=x onerror="alert(1)"> stay inert.</p>
</body>
</html>`;

describe('htmlToDocument', () => {
  const document = htmlToDocument(page, {
    ...source,
    url: 'https://example.com/guide/install.html',
  });

  it('takes title, description, lang and url from the page', () => {
    expect(document?.documentId).toBe('guide/install.html');
    expect(document?.title).toBe('Install & configure');
    expect(document?.description).toBe('How to install "Searchgate"');
    expect(document?.metadata).toEqual({
      url: 'https://example.com/guide/install.html',
      lang: 'en-GB',
    });
  });

  it('starts a section at each heading, with its anchor, and drops headings with no text', () => {
    expect(document?.sections.map((section) => [section.title, section.metadata])).toEqual([
      [undefined, {}],
      ['Installing Searchgate', { anchor: 'top' }],
      ['Requirements', { anchor: 'requirements' }],
      ['Tuning', { anchor: 'tuning' }],
      ['Security', {}],
    ]);
  });

  it('collapses whitespace, decodes entities and keeps paragraphs apart', () => {
    const texts = document?.sections.map((section) => section.text);
    expect(texts?.[0]).toBe('Intro before any heading.');
    expect(texts?.[1]).toBe('Run the installer. It takes a minute…');
    expect(texts?.[2]).toBe('Node 20\nSQLite 3');
    expect(texts?.[3]).toBe('Caches <b>matter</b>.');
  });

  it('keeps markup-looking text as inert text and drops scripts, styles, nav, template, noscript', () => {
    const all = document?.sections.map((section) => section.text).join('\n') ?? '';
    expect(document?.sections.at(-1)?.text).toBe('<script>alert("xss")</script> and stay inert.');
    for (const hidden of [
      'do not index',
      'color: red',
      'navigation link',
      'template text',
      'Enable JavaScript',
      'onerror',
      '¶',
    ]) {
      expect(all).not.toContain(hidden);
    }
  });

  it('reads highlighted code in <pre> as its text, not its markup', () => {
    const document = htmlToDocument(
      '<h2>Code</h2><pre><code><span class="k">const</span> x = a &lt; b;\n  y()</code></pre>',
      source,
    );
    expect(document?.sections[0]?.text).toBe('const x = a < b; y()');
  });

  it('falls back to the first h1, then the file name, for the title', () => {
    expect(htmlToDocument('<h1>Only a <b>heading</b></h1><p>text</p>', source)?.title).toBe(
      'Only a heading',
    );
    expect(htmlToDocument('<p>just text</p>', source)?.title).toBe('install.html');
  });

  it('indexes only the main content when the page marks it', () => {
    const document = htmlToDocument(
      '<body><header>Site header</header><main><h1>Page</h1><p>Body</p></main><footer>Footer</footer></body>',
      source,
    );
    expect(document?.sections).toEqual([{ title: 'Page', text: 'Body', metadata: {} }]);
  });

  it('yields no document for a page without text', () => {
    expect(
      htmlToDocument(
        '<html><head><title>Empty</title></head><body> <script>x()</script></body></html>',
        source,
      ),
    ).toBeUndefined();
  });

  it('splits a very long section into parts of at most 4000 characters, each with the heading', () => {
    const paragraph = `<p>${'A sentence about search engines. '.repeat(60)}</p>`;
    const document = htmlToDocument(`<h2 id="long">Long</h2>${paragraph.repeat(5)}`, source);
    const sections = document?.sections ?? [];
    expect(sections.length).toBeGreaterThan(1);
    for (const section of sections) {
      expect(section.text.length).toBeLessThanOrEqual(4000);
      expect(section).toMatchObject({ title: 'Long', metadata: { anchor: 'long' } });
    }
    const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
    expect(sections.reduce((sum, section) => sum + words(section.text), 0)).toBe(5 * 60 * 5);
  });
});
