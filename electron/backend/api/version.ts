// The program version, in one place: package.json (bundled in by esbuild, read by tsx in development).
import pkg from '../../../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
