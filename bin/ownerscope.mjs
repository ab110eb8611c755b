#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so `npx ownerscope` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main, processIo } = await import('../electron/backend/cli/main.ts');
const code = await main(process.argv.slice(2), processIo());
// flush stdout before exiting (large JSON outputs to a pipe)
process.stdout.write('', () => process.exit(code));
