import type { Response } from 'express';

/**
 * A `text/event-stream` answer (server-sent events), as Vectara streams queries: each event is
 * `event: <type>` and `data: <json>`. Writes wait for the socket to drain (backpressure), and
 * every write resolves false once the client has gone, so the producer can stop its work. A
 * client that stops reading for `stallMs` is cut off: it must not hold the stream (and the
 * request to Vectara behind it) for ever.
 */
export class EventStream {
  readonly #res: Response;
  readonly #stallMs: number;
  #open = true;

  constructor(res: Response, stallMs: number) {
    this.#res = res;
    this.#stallMs = stallMs;
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    // Proxies such as nginx would otherwise buffer the events until the end.
    res.setHeader('X-Accel-Buffering', 'no');
    res.on('close', () => {
      this.#open = false;
    });
    res.flushHeaders();
  }

  get open(): boolean {
    return this.#open && !this.#res.destroyed;
  }

  /** Sends one event; resolves false when the client is gone. */
  async send<Event extends { type: string }>(event: Event): Promise<boolean> {
    if (!this.open) return false;
    const frame = `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
    const flushed = this.#res.write(frame);
    // With compression on, each event must leave now, not when a buffer fills.
    (this.#res as Response & { flush?: () => void }).flush?.();
    if (!flushed) {
      await new Promise<void>((resolve) => {
        const stalled = setTimeout(() => {
          this.#res.destroy();
          done();
        }, this.#stallMs);
        const done = () => {
          clearTimeout(stalled);
          this.#res.off('drain', done);
          this.#res.off('close', done);
          resolve();
        };
        this.#res.on('drain', done);
        this.#res.on('close', done);
      });
    }
    return this.open;
  }

  end(): void {
    if (this.open) this.#res.end();
  }
}
