import type { SearchGateResult } from './result-groups.ts';

/** Detail of each event the element fires (all bubble and are composed). */
export interface SearchGateEventMap {
  'search-gate-search': { query: string };
  'search-gate-results': { query: string; count: number; ms: number };
  'search-gate-select': { result: SearchGateResult; position: number };
  'search-gate-error': { code: string; status: number };
}

/** Fires one of the element's events; false when a listener cancelled it. */
export const emit = <K extends keyof SearchGateEventMap>(
  target: EventTarget,
  type: K,
  detail: SearchGateEventMap[K],
  cancelable = false,
): boolean =>
  target.dispatchEvent(
    new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }),
  );
