// Worker entry in development and tests: registers the TypeScript loader, then runs the worker.
// The packaged app runs the bundled parse-worker.mjs instead.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
