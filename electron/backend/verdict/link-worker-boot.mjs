// Worker entry in development and tests: registers the TypeScript loader, then runs the worker.
// The packaged app runs the bundled link-worker.mjs instead.
import { register } from 'tsx/esm/api';

register();
await import('./link-worker.ts');
