import { html } from 'lit';
import { live } from 'lit/directives/live.js';
import { ConsoleDialog, type DialogRequest } from './console-dialog.ts';
import type { AfterClose } from './modal-controller.ts';

const graceChoices: ReadonlyArray<[seconds: number, label: string]> = [
  [0, 'No time: refuse it at once'],
  [300, '5 minutes'],
  [3600, '1 hour'],
  [86_400, '24 hours'],
  [604_800, '7 days'],
];
const defaultGrace = 86_400;

export interface RotateRequest extends DialogRequest {
  /** The key's name as people read it. */
  name: string;
  rotate: (graceSeconds: number) => Promise<AfterClose>;
}

/** Rotate a key: how long the old secret keeps working, then the new secret (next dialog). */
export class RotateDialog extends ConsoleDialog<RotateRequest> {
  static override properties = { grace: { state: true } };

  declare grace: number;

  constructor() {
    super();
    this.grace = defaultGrace;
  }

  protected override reset(): void {
    this.grace = defaultGrace;
  }

  protected override render() {
    const request = this.request;
    return this.frame({
      id: 'rotate-dialog',
      title: `Rotate key “${request?.name ?? ''}”`,
      describedBy: 'rotate-text',
      submit: { label: 'Rotate' },
      onSubmit: () => {
        if (request) this.run(() => request.rotate(this.grace));
      },
      body: html`<p id="rotate-text">
          The key gets a new secret with the same settings. Choose how long the old secret keeps
          working, so that pages can be updated first.
        </p>
        <div class="field">
          <label for="rotate-grace">Old secret keeps working for</label>
          <select
            id="rotate-grace"
            name="grace_seconds"
            .value=${live(String(this.grace))}
            @change=${(event: Event) => {
              this.grace = Number((event.target as HTMLSelectElement).value);
            }}
          >
            ${graceChoices.map(
              ([seconds, label]) =>
                html`<option value=${seconds} ?selected=${seconds === this.grace}>${label}</option>`,
            )}
          </select>
        </div>`,
    });
  }
}

customElements.define('sg-rotate-dialog', RotateDialog);

declare global {
  interface HTMLElementTagNameMap {
    'sg-rotate-dialog': RotateDialog;
  }
}
