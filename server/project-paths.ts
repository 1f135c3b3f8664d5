import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the package's own files are, wherever it is started from. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const projectPaths = {
  root,
  widgetDir: path.join(root, 'dist', 'widget'),
  /** The demo site and key console as built by `vite build --mode demo`. */
  demoDir: path.join(root, 'dist', 'demo'),
};
