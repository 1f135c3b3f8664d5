import { OwnerApi } from '../../server/cli/owner-api.ts';

/** Who is signed in. Kept in sessionStorage only: gone when the tab closes, never in a URL. */
export interface Session {
  token: string;
  customerId: number;
}

const STORAGE_KEY = 'searchgate-console-session';

export function loadSession(): Session | null {
  try {
    const parsed = JSON.parse(
      sessionStorage.getItem(STORAGE_KEY) ?? 'null',
    ) as Partial<Session> | null;
    if (typeof parsed?.token === 'string' && typeof parsed.customerId === 'number') {
      return { token: parsed.token, customerId: parsed.customerId };
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

/** The admin API of the server that served this page, as this session. */
export function apiFor(session: Session): OwnerApi {
  return new OwnerApi({
    url: location.origin,
    token: session.token,
    customerId: session.customerId,
    client: 'console',
  });
}
