import type { Session } from './session.ts';

/** The console's events: they bubble from a screen or dialog up to `<sg-console>`. */

/** Something to say in the page's status line (and to screen readers, politely). */
export class AnnounceEvent extends Event {
  static readonly type = 'sg-announce';
  readonly message: string;
  constructor(message: string) {
    super(AnnounceEvent.type, { bubbles: true, composed: true });
    this.message = message;
  }
}

/** The admin token was accepted: the console opens on this session. */
export class SignedInEvent extends Event {
  static readonly type = 'sg-signed-in';
  readonly session: Session;
  constructor(session: Session) {
    super(SignedInEvent.type, { bubbles: true, composed: true });
    this.session = session;
  }
}

declare global {
  interface HTMLElementEventMap {
    [AnnounceEvent.type]: AnnounceEvent;
    [SignedInEvent.type]: SignedInEvent;
  }
}
