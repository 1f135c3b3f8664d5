import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { afterEach, describe, expect, it } from 'vitest';
import { readEvents } from '../../widget/event-stream.ts';
import { SummaryController, type SummaryRequests } from '../../widget/summary-controller.ts';

/**
 * The summary's stream reader and controller on their own, in Node: the server's side is a
 * ReadableStream the test writes frame by frame, split wherever it likes.
 */
const encoder = new TextEncoder();

/** A streamed response whose body the test feeds; `chunks` may cut frames anywhere. */
const streamed = () => {
  let push: (text: string) => void = () => {};
  let close: () => void = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      push = (text) => controller.enqueue(encoder.encode(text));
      close = () => controller.close();
    },
  });
  const response = new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  return { response, push, close };
};
const frame = (event: Record<string, unknown>) =>
  `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
const results = [
  {
    text: 'x',
    score: 1,
    part_metadata: {},
    document_metadata: { title: 'Life', url: 'https://docs.example/life' },
    document_id: 'life',
    request_corpora_index: 0,
  },
];

describe('readEvents', () => {
  it('yields each event as its frame completes, across chunk boundaries, CRLF and multi-line data', async () => {
    const { response, push, close } = streamed();
    const seen: unknown[] = [];
    const reading = (async () => {
      if (!response.body) return;
      for await (const event of readEvents(response.body)) seen.push(event);
    })();
    const whole = frame({ type: 'generation_chunk', generation_chunk: 'héllo' });
    push(whole.slice(0, 10));
    push(whole.slice(10, 31));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual([]);
    push(whole.slice(31));
    await expect.poll(() => seen.length).toBe(1);
    // CRLF line ends, data over two lines, a comment and a frame that is not JSON.
    push('event: x\r\ndata: {"type":\r\ndata: "end"}\r\n\r\n: keep-alive\n\ndata: not json\n\n');
    close();
    await reading;
    expect(seen).toEqual([
      { type: 'generation_chunk', generation_chunk: 'héllo' },
      { type: 'end' },
    ]);
  });

  it('decodes a multi-byte character cut between two chunks', async () => {
    const bytes = encoder.encode(frame({ type: 'generation_chunk', generation_chunk: '日本' }));
    // 日 is E6 97 A5 in UTF-8: cut after its first byte.
    const cut = bytes.indexOf(0xe6) + 1;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, cut));
        controller.enqueue(bytes.slice(cut));
        controller.close();
      },
    });
    const seen: unknown[] = [];
    for await (const event of readEvents(stream)) seen.push(event);
    expect(seen).toEqual([{ type: 'generation_chunk', generation_chunk: '日本' }]);
  });
});

class Host implements ReactiveControllerHost {
  updates = 0;
  readonly updateComplete = Promise.resolve(true);
  addController(_: ReactiveController): void {}
  removeController(): void {}
  requestUpdate(): void {
    this.updates++;
  }
}

const controllers: SummaryController[] = [];
afterEach(() => {
  for (const controller of controllers.splice(0)) controller.hostDisconnected();
});

/** A controller whose every request is answered by `answer` (a new stream each time). */
const setup = (answer: (query: string, body: Record<string, unknown>) => Response) => {
  const sent: Array<{ query: string; extra: Record<string, unknown> }> = [];
  const requests: SummaryRequests = {
    send: async (query, extra) => {
      sent.push({ query, extra });
      return answer(query, extra);
    },
    sources: (found) =>
      found.map((r) => ({
        title: String(r.document_metadata.title),
        url: String(r.document_metadata.url),
      })),
  };
  const summary = new SummaryController(new Host(), requests);
  controllers.push(summary);
  return { summary, sent };
};

describe('SummaryController', () => {
  it('asks once typing pauses, streams the text in, and shows a remembered answer without asking', async () => {
    let feed = streamed();
    const { summary, sent } = setup(() => feed.response);
    summary.want('life');
    summary.want('');
    summary.want('life');
    await expect.poll(() => sent.length).toBe(1);
    expect(sent[0]).toMatchObject({
      query: 'life',
      extra: { stream_response: true, generation: { citations: { style: 'numeric' } } },
    });
    feed.push(frame({ type: 'search_results', search_results: results }));
    feed.push(frame({ type: 'generation_chunk', generation_chunk: 'Forty' }));
    await expect.poll(() => summary.text).toBe('Forty');
    expect(summary.streaming).toBe(true);
    expect(summary.sources).toEqual([{ title: 'Life', url: 'https://docs.example/life' }]);
    feed.push(frame({ type: 'generation_chunk', generation_chunk: '-two [1]' }));
    feed.push(frame({ type: 'generation_end' }));
    feed.push(frame({ type: 'end' }));
    feed.close();
    await expect.poll(() => summary.streaming).toBe(false);
    expect(summary.text).toBe('Forty-two [1]');

    summary.want('other');
    expect(summary.text).toBe('');
    feed = streamed();
    summary.want('life');
    expect(summary.text).toBe('Forty-two [1]');
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(sent.map((s) => s.query)).toEqual(['life']);

    // The kill switch: nothing remembered survives a drop.
    summary.drop();
    expect(summary.text).toBe('');
    summary.want('life');
    expect(summary.text).toBe('');
  });

  it("shows nothing for the embedded engine's warning, an error event, or a refusal", async () => {
    const { summary, sent } = setup((query) => {
      const feed = streamed();
      if (query === 'refused') return new Response('{}', { status: 403 });
      if (query === 'warned') {
        feed.push(
          frame({
            type: 'search_results',
            search_results: results,
            warnings: ['summaries need companion mode: this server searches its own index'],
          }),
        );
        feed.push(frame({ type: 'end' }));
      } else {
        feed.push(frame({ type: 'generation_chunk', generation_chunk: 'half an answ' }));
        feed.push(frame({ type: 'error', messages: ['generation failed'] }));
      }
      feed.close();
      return feed.response;
    });
    for (const query of ['warned', 'broken', 'refused']) {
      summary.want(query);
      await expect.poll(() => sent.length).toBe(['warned', 'broken', 'refused'].indexOf(query) + 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect([query, summary.text, summary.streaming]).toEqual([query, '', false]);
    }
  });
});
