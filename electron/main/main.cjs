// package.json "main": loads the bundled main process (built by scripts/build-electron.mjs).
import('../../dist/electron/main.mjs').catch((e) => {
  console.error('ownerscope: the Electron main process is not built; run `npm run build:electron`\n', e);
  process.exit(1);
});
