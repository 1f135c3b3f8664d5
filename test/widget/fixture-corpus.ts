import type { TestServer } from '../helpers/test-server.ts';

/** Documents the widget tests search: two groups for "guide", hostile content for "zebra". */
export const fixtureDocuments = [
  {
    documentId: 'install',
    title: 'Installing Searchgate',
    metadata: { url: '/docs/install' },
    sections: [
      {
        title: 'Requirements',
        text: 'The install guide needs Node 20 and nothing else.',
        metadata: { anchor: 'requirements' },
      },
      { title: 'Quick start', text: 'Follow this guide to install the widget on any page.' },
    ],
  },
  {
    documentId: 'keys',
    title: 'API keys',
    metadata: { url: 'https://docs.example.com/keys' },
    sections: [
      { title: 'Creating a key', text: 'The keys guide explains query-only keys.' },
      { title: 'Disabling a key', text: 'This guide shows how a disabled key stops the widget.' },
    ],
  },
  {
    documentId: 'evil',
    title: '<img src=x onerror="window.__xss=1">Evil page',
    metadata: { url: 'javascript:window.__xss=2' },
    sections: [
      {
        title: '<script>window.__xss=3</script>Heading',
        text: 'zebra <img src=x onerror="window.__xss=4"> and <script>window.__xss=5</script> zebra',
      },
    ],
  },
];

export interface Fixture {
  corpusId: number;
  /** The corpus key v2 names the corpus by. */
  corpusKey: string;
  apiKey: string;
  keyId: string;
}

export const createFixture = async (
  server: TestServer,
  documents: Parameters<TestServer['indexDocuments']>[1] = fixtureDocuments,
): Promise<Fixture> => {
  const corpusId = await server.createCorpus(`widget-${Math.random().toString(36).slice(2)}`);
  await server.indexDocuments(corpusId, documents);
  // Generous limits: these tests exercise the widget, not the rate limiter (429 is faked).
  const { apiKey, keyId } = await server.createKey({
    corpusIds: [corpusId],
    limits: { perMinute: 100_000, perIpPerMinute: 100_000 },
  });
  const corpusKey = server.services.corpora.get(server.customerId, corpusId)?.key ?? '';
  return { corpusId, corpusKey, apiKey, keyId };
};

/** The element as a site owner writes it (v1: `corpus-id`), plus test-friendly extra attributes. */
export const widgetMarkup = (server: TestServer, fixture: Fixture, extra = ''): string =>
  `<search-gate endpoint="${server.url}" api-key="${fixture.apiKey}" customer-id="${server.customerId}" corpus-id="${fixture.corpusId}" ${extra}></search-gate>`;

/** The element as the console prints it for v2: `corpus-key`, no customer id. */
export const v2WidgetMarkup = (server: TestServer, fixture: Fixture, extra = ''): string =>
  `<search-gate endpoint="${server.url}" api-key="${fixture.apiKey}" corpus-key="${fixture.corpusKey}" ${extra}></search-gate>`;
