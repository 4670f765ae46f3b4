#!/usr/bin/env node
// Entry point of the `rds-ops` CLI: loads the Node 20 polyfill and the TypeScript loader, then the CLI.
require('../local/polyfills.cjs');
require('tsx/cjs/api').register();
require('./main.ts')
  .main(process.argv.slice(2))
  .then(
    (exitCode) => {
      process.exitCode = exitCode;
    },
    (error) => {
      process.stderr.write(`rds-ops: unexpected failure: ${error?.stack ?? error}\n`);
      process.exitCode = 1;
    },
  );
