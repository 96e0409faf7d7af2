#!/usr/bin/env node
// The `altar-viewer` command. CommonJS on purpose: Node starts a CommonJS file ~12 ms sooner
// than an ES module, which is most of what a bare `--version` costs over Node's own start
// (issue 13), so that one is answered here; every other command line goes to the bundle,
// whose parser decides what it means (`--version` among other flags included).
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`altar-viewer ${require('../package.json').version}\n`);
} else {
  const cli = path.join(__dirname, '..', 'dist', 'cli.mjs');
  if (!existsSync(cli)) {
    console.error('altar-viewer: run npm run build first');
    process.exit(2);
  }
  import(pathToFileURL(cli).href).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
