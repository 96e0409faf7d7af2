// Loaded with `node --import` ahead of a program: appends every module URL the program's ESM
// imports resolve to (packages as node_modules/... paths) to the file in ALTAR_IMPORT_LOG, so a
// test can say which packages a command loaded. CommonJS requires are logged too (a package
// the program requires lazily, as the MongoDB driver is: main/core/mongo/mongo-driver.ts), and
// so are the requires inside packages. What the program writes to stdout is logged too, as
// `(stdout) …` lines in the same order, so a test can say what loaded before a line was printed
// (serve's URL, its token masked).
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';

register(
  `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.ALTAR_IMPORT_LOG, resolved.url + '\\n');
  return resolved;
}`)}`,
);

// Module._load is what every require() goes through; the ESM hook above never sees them.
const load = Module._load;
Module._load = function recordRequire(request, parent, isMain, ...rest) {
  try {
    const file = Module._resolveFilename(request, parent, isMain);
    if (isAbsolute(file))
      appendFileSync(process.env.ALTAR_IMPORT_LOG, `${pathToFileURL(file).href}\n`);
  } catch {
    // Not resolvable from here: load() below throws the program's own error.
  }
  return load.call(this, request, parent, isMain, ...rest);
};

const writeStdout = process.stdout.write;
process.stdout.write = function recordStdout(chunk, ...rest) {
  const text = String(chunk)
    .replace(/token=[\w-]+/gu, 'token=…')
    .trimEnd();
  appendFileSync(process.env.ALTAR_IMPORT_LOG, `(stdout) ${text}\n`);
  return writeStdout.call(this, chunk, ...rest);
};
