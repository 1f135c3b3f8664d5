import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root: the nearest folder above this file with a package.json. This file runs from
 * `server/` in a checkout (tests, tsx) and from `dist/server/` when built, so no fixed `..`.
 */
function packageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

/** Where the package's own files are, wherever it is started from. */
const root = packageRoot(path.dirname(fileURLToPath(import.meta.url)));

export const projectPaths = {
  root,
  widgetDir: path.join(root, 'dist', 'widget'),
  /** The demo site and key console as built by `vite build --mode demo`. */
  demoDir: path.join(root, 'dist', 'demo'),
};
