#!/usr/bin/env node
// The package's `searchgate` command (built to dist/server/cli/bin.js, run by plain Node).
import { runCli } from './searchgate.ts';

runCli();
