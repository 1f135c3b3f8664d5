/** One server-sent event as a browser's EventSource would surface it. */
export interface ReadEvent {
  event: string;
  data: unknown;
}

/**
 * Reads a `text/event-stream` body the way a browser's `fetch` reader (or EventSource) does:
 * chunks of bytes, decoded as they come, frames split on blank lines, `event:` and `data:`
 * fields per frame. `onEvent` sees each event as soon as its frame is complete.
 */
export async function readEventStream(
  response: Response,
  onEvent: (event: ReadEvent) => void = () => {},
): Promise<ReadEvent[]> {
  if (!response.body) throw new Error('no body');
  const events: ReadEvent[] = [];
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) {
        const read = { event, data: JSON.parse(data.join('\n')) as unknown };
        events.push(read);
        onEvent(read);
      }
      end = buffer.indexOf('\n\n');
    }
    if (done) return events;
  }
}
