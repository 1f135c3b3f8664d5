import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What the demo remembers between starts. The demo key's secret is kept here (and only here)
 * so the demo pages can carry it: it is a public, query-only key restricted to the demo's
 * origin, which is exactly what any site owner pastes into a page.
 */
export interface DemoState {
  corpusId?: number;
  keyId?: string;
  apiKey?: string;
}

const fileName = 'demo.json';

export function readDemoState(dataDir: string): DemoState {
  try {
    const parsed = JSON.parse(readFileSync(path.join(dataDir, fileName), 'utf8')) as DemoState;
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

export function writeDemoState(dataDir: string, state: DemoState): void {
  writeFileSync(path.join(dataDir, fileName), `${JSON.stringify(state, null, 2)}\n`, {
    mode: 0o600,
  });
}
