// Loaded with `node --import` ahead of a program: appends every module URL the program's ESM
// imports resolve to (packages as node_modules/... paths) to the file in ALTAR_IMPORT_LOG, so a
// test can say which packages a command loaded. CommonJS requires inside a package are not
// seen; the package's own entry, imported by our bundle, is.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.ALTAR_IMPORT_LOG, resolved.url + '\\n');
  return resolved;
}`)}`,
);
