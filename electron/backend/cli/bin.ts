// The `ownerscope` executable's body: bundled into dist/cli/ownerscope.mjs by scripts/build-cli.mjs,
// run from the sources with tsx by bin/ownerscope.mjs when there is no fresh bundle.
import { main, processIo } from './main';

const code = await main(process.argv.slice(2), processIo());
// flush stdout before exiting (large JSON outputs to a pipe)
process.stdout.write('', () => process.exit(code));
