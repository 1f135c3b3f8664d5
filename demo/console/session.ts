import { OwnerApi } from '../../server/cli/owner-api.ts';

/** Who is signed in. Kept in sessionStorage only: gone when the tab closes, never in a URL. */
export interface Session {
  token: string;
  /** Checked against the token when the owner gave it; v2 needs none. */
  customerId: number | null;
}

const STORAGE_KEY = 'searchgate-console-session';

export function loadSession(): Session | null {
  try {
    const parsed = JSON.parse(
      sessionStorage.getItem(STORAGE_KEY) ?? 'null',
    ) as Partial<Session> | null;
    const customerId = parsed?.customerId;
    if (
      typeof parsed?.token === 'string' &&
      (customerId === null || typeof customerId === 'number')
    ) {
      return { token: parsed.token, customerId };
    }
  } catch {
    // A damaged entry is the same as none.
  }
  return null;
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** The owner API of the server that served this page, as this session. */
export function apiFor(session: Session): OwnerApi {
  return new OwnerApi({
    url: location.origin,
    token: session.token,
    customerId: session.customerId ?? undefined,
    client: 'console',
  });
}
