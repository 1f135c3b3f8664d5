import { ClientError } from '../../server/cli/client-error.ts';

/**
 * The server's message with its code, or the thrown error's text. A refused field the form
 * knows is named by its label, as the owner sees it (`Allowed origins: …`), not as the wire
 * spells it (`allowed_origins[0]: …`).
 */
export function errorMessage(error: unknown, labels: Record<string, string> = {}): string {
  if (error instanceof ClientError && error.code !== 'NETWORK') {
    const [wireName, detail] = Object.entries(error.fieldErrors)[0] ?? [];
    const field = badField(error);
    const label = field === undefined ? undefined : labels[field];
    if (label && wireName) {
      // v2 messages start with the field as sent (`allowed_origins[0]: …`): say it as the form does.
      const text = error.message.startsWith(`${wireName}: `)
        ? error.message.slice(wireName.length + 2)
        : detail;
      return `${label}: ${text} (${error.code})`;
    }
    return `${error.message} (${error.code})`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * The first field a v2 400 names, as the request spelled it without list indexes
 * (`allowed_origins[0]` → `allowed_origins`, `limits.per_minute`): a form names its inputs so,
 * to mark the one the refusal came from.
 */
export function badField(error: unknown): string | undefined {
  if (!(error instanceof ClientError)) return undefined;
  const [first] = Object.keys(error.fieldErrors);
  return first?.replace(/\[\d+\]/g, '');
}
