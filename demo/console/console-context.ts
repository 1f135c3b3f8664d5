import type { OwnerApi } from '../../server/cli/owner-api.ts';
import type { Session } from './session.ts';

/** What every screen needs from the signed-in console. */
export interface ConsoleContext {
  api: OwnerApi;
  session: Session;
  /** Ends the session when the server no longer accepts the token; true when it did. */
  endsSession(error: unknown): boolean;
}
