import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCompanionPair } from '../helpers/companion-pair.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const run = promisify(execFile);

interface Setup {
  server: TestServer;
  corpusId: number;
  close(): Promise<void>;
}

/** The embedded engine, and a gateway in front of a Vectara-compatible account (companion mode). */
const setups: Array<[string, () => Promise<Setup>]> = [
  [
    'on the embedded engine',
    async () => {
      const server = await startTestServer();
      const corpusId = await server.createCorpus('meaning');
      await server.indexDocuments(corpusId, [
        {
          documentId: 'life',
          title: 'The meaning of life',
          sections: [{ text: 'What is the meaning of life? Forty-two, says the guide.' }],
        },
      ]);
      return { server, corpusId, close: () => server.close() };
    },
  ],
  [
    'in companion mode (a v1 client in front of a v2 upstream)',
    async () => {
      const pair = await startCompanionPair();
      return {
        server: pair.gateways[0] as TestServer,
        corpusId: pair.linked.corpusId,
        close: pair.close,
      };
    },
  ],
];

/**
 * The three examples of the product's key-management docs, verbatim but for the host:
 * code written for Vectara must work against Searchgate unchanged.
 */
describe.each(setups)('the key-management docs examples work verbatim %s', (_name, setUp) => {
  let setup: Setup;
  let server: TestServer;
  let corpusId: number;
  let apiKey: string;

  beforeAll(async () => {
    setup = await setUp();
    ({ server, corpusId } = setup);
    apiKey = (await server.createKey({ corpusIds: [corpusId] })).apiKey;
  });
  afterAll(() => setup?.close());

  const expectLifeFound = (out: unknown) => {
    const body = typeof out === 'string' ? JSON.parse(out) : out;
    expect(body.responseSet[0].response.length).toBeGreaterThan(0);
    expect(body.responseSet[0].document[0].id).toBe('life');
  };

  it('cURL (form-urlencoded body from -d, heredoc)', async () => {
    const script = `
API_KEY=${apiKey}
CUSTOMER_ID=${server.customerId}
CORPUS_ID=${corpusId}
curl -s -X POST \\
  -H "x-api-key: \${API_KEY}" \\
  -H "customer-id: \${CUSTOMER_ID}" \\
  ${server.url}/v1/query \\
  -d @- <<END;
  {
    "query": [
      { "query": "What is the meaning of life?",
        "num_results": 10,
        "corpus_key": [{"customer_id": \${CUSTOMER_ID}, "corpus_id": \${CORPUS_ID}}]
      }
    ]
  }
END
`;
    const { stdout } = await run('bash', ['-c', script]);
    expectLifeFound(stdout);
  });

  it('Python requests (string body, no Content-Type)', async () => {
    const script = `
import json, requests
CUSTOMER_ID = "${server.customerId}"  # as read from the environment: a string
CORPUS_ID = ${corpusId}
API_KEY = "${apiKey}"

api_key_header = {
    "customer-id": CUSTOMER_ID,
    "x-api-key": API_KEY
}
 
data_dict = {
    "query": [
        {
            "query": "What is the meaning of life?",
            "num_results": 10,
            "corpus_key": [
                {
                    "customer_id": CUSTOMER_ID,
                    "corpus_id": CORPUS_ID
                }
            ]
        }
    ]
}
payload = json.dumps(data_dict)
response = requests.post(
    "${server.url}/v1/query",
    data=payload,
    verify=True,
    headers=api_key_header)
print(response.text)
`;
    const { stdout } = await run(process.env.PYTHON ?? 'python3', ['-c', script]);
    expectLifeFound(stdout);
  });

  it('JavaScript fetch (application/json)', async () => {
    const api_key = apiKey;
    const customer_id = server.customerId;
    const corpus_id = corpusId;
    const data = await fetch(`${server.url}/v1/query`, {
      headers: {
        'Content-Type': 'application/json',
        'x-api-key': api_key,
        'customer-id': String(customer_id),
      },
      body: JSON.stringify({
        query: [
          {
            query: 'What is the meaning of life?',
            num_results: 10,
            corpus_key: [{ customer_id: customer_id, corpus_id: corpus_id }],
          },
        ],
      }),
      method: 'post',
    }).then((res) => res.json());
    expectLifeFound(data);
  });
});
