#!/usr/bin/env node
// The package's `searchgate` command: registers the TypeScript loader, then runs the CLI.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('./searchgate.ts');
runCli();
