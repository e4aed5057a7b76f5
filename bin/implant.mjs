#!/usr/bin/env node
// The `implant` command: runs the TypeScript CLI through the project's loader.
import { register } from 'node:module';

register('../host/loader.mjs', import.meta.url);
const { main } = await import('../tools/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
