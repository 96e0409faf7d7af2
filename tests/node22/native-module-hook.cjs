// Preloaded (NODE_OPTIONS=--require) into every process and worker thread of `npm run
// test:node22`: vitest's workers, the CLI and serve children the tests start, and the core's
// own worker threads (the folder read worker, the catalog build thread). CommonJS and
// --require because module hooks are per thread and Node runs --require preloads in worker
// threads too, --import ones only on the main thread.
// node_modules/better-sqlite3 holds the addon built for the machine's Node (other test runs
// use it at the same time), so a Node 22 thread loads the copy that tests/node22/run.mjs built
// instead. Only that one package's files are redirected, however they are asked for:
// `better-sqlite3` from our sources, an absolute path from vitest's resolver, the addon path
// that `bindings` requires. A process of another ABI (a machine `node` that a tool starts by
// name) keeps the original.
'use strict';
const nodeModule = require('node:module');
const { isInternalThread } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');

const from = process.env.ALTAR_NODE22_MODULE_FROM;
const to = process.env.ALTAR_NODE22_MODULE_TO;
const abi = process.env.ALTAR_NODE22_ABI;
if (!from || !to || !abi) {
  throw new Error('native-module-hook: run through tests/node22/run.mjs, which sets its variables');
}

/** Points this thread's resolution of better-sqlite3 at the Node 22 copy. */
function redirectNativeModule() {
  if (process.versions.modules !== abi) return;
  const fromUrl = pathToFileURL(from).href + '/';
  const toUrl = pathToFileURL(to).href + '/';
  nodeModule.registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      if (!resolved.url.startsWith(fromUrl)) return resolved;
      return { ...resolved, url: toUrl + resolved.url.slice(fromUrl.length) };
    },
  });
}

// Not in Node's own loader thread (module.register's hooks run there): it resolves nothing of
// ours, and a sync hook there breaks the async ones.
if (!isInternalThread) redirectNativeModule();
