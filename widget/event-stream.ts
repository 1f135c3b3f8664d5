/**
 * Reads a `text/event-stream` body as it arrives: frames end at a blank line, each frame's
 * `data:` lines are one JSON value (Vectara puts the event's `type` inside it). A frame that is
 * not JSON is skipped.
 */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    buffer += decoder.decode(value, { stream: !done });
    const frames = buffer.split(/\r?\n\r?\n/);
    buffer = done ? '' : (frames.pop() ?? '');
    for (const frame of frames) {
      const data = frame
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      try {
        if (data) yield JSON.parse(data);
      } catch {
        // Not JSON: not an event this client knows.
      }
    }
    if (done) return;
  }
}
