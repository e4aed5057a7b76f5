#!/usr/bin/env node
// `npm run flash -- <target>`: preflight checks, @noble bundle, then Moddable's mcconfig.
// The logic lives in flash-cli.ts; this file only starts it through the project's TS loader.
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

register('../../host/loader.mjs', import.meta.url);
const { runFlash } = await import('./flash-cli.ts');
const { nodeFlashHost } = await import('./node-host.ts');
const root = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
process.exitCode = await runFlash(process.argv.slice(2), nodeFlashHost(root));
