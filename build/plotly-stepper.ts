/**
 * plotly in slices (issue 13). plotly's bundle (an esbuild build) evaluates in one main-thread
 * task of ~300 ms CPU here (seconds of wall time on a loaded machine): the idle-time preload
 * that runs it delayed any click that came meanwhile, and cannot be interrupted. Every module of
 * the bundle is a lazy wrapper (esbuild's `__commonJS`/`__esm`: `var x = W((exports, module)
 * => {...})`), run the first time something requires it, and the bundle ends by calling its
 * entry's wrapper, which requires everything. This turns the bundle into an ES module that
 * defines the wrappers (cheap) and exports:
 *
 * - `step(shouldStop)`: runs the wrappers one by one in bundle order (esbuild emits a module
 *   after what it requires), only those whose every wrapper they call is already run, so each
 *   runs alone and sees its dependencies whole, as in one evaluation; asks `shouldStop()` before
 *   each. Returns true when nothing is left to run in slices. A wrapper waiting on one not yet
 *   run (a require cycle) is left to `finish`, which runs it in the bundle's own order.
 * - `finish()`: calls the entry, which runs whatever is left, and returns plotly.
 *
 * A module thus runs earlier than in one evaluation but after everything it calls; the plot
 * schema and the SVG of a figure come out the same (checked in the e2e plot tests by the
 * figures they draw).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'acorn';
import type { Plugin } from 'vite';

interface AstNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as AstNode).type === 'string';
}

function children(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'type' || key === 'start' || key === 'end') continue;
    if (Array.isArray(value)) out.push(...value.filter(isNode));
    else if (isNode(value)) out.push(value);
  }
  return out;
}

/** The first node, depth first, that `match` accepts. */
function find(node: AstNode, match: (node: AstNode) => boolean): AstNode | null {
  if (match(node)) return node;
  for (const child of children(node)) {
    const found = find(child, match);
    if (found !== null) return found;
  }
  return null;
}

function identifierName(node: unknown): string | null {
  return isNode(node) && node.type === 'Identifier' ? (node.name as string) : null;
}

function fail(why: string): never {
  throw new Error(`plotly-stepper: the plotly bundle is not shaped as expected (${why})`);
}

/**
 * The bundle's source as a stepping ES module (see the file comment). `globalName` is the
 * variable holding the bundle's inner IIFE (`var Plotly = (() => {...})()`). Throws when the
 * bundle is not shaped as expected (a plotly upgrade): the build fails rather than ship a
 * plotly that evaluates differently.
 */
export function plotlyStepperSource(code: string, globalName = 'Plotly'): string {
  const program = parse(code, {
    ecmaVersion: 'latest',
    sourceType: 'script',
  }) as unknown as AstNode;
  const declarator = find(
    program,
    (node) =>
      node.type === 'VariableDeclarator' &&
      identifierName(node.id) === globalName &&
      isNode(node.init) &&
      node.init.type === 'CallExpression' &&
      isNode(node.init.callee) &&
      node.init.callee.type === 'ArrowFunctionExpression',
  );
  if (declarator === null) fail(`no var ${globalName} = (() => {...})()`);
  const callee = (declarator.init as AstNode).callee as AstNode;
  const block = callee.body as AstNode;
  if (block.type !== 'BlockStatement') fail('the IIFE has no block body');
  const body = (block.body as AstNode[]) ?? [];
  const last = body[body.length - 1];
  const entryCall =
    last?.type === 'ReturnStatement' && isNode(last.argument) ? last.argument : null;
  const entry = entryCall?.type === 'CallExpression' ? identifierName(entryCall.callee) : null;
  if (last === undefined || entry === null) fail('the IIFE does not end with `return entry()`');

  const declarators = body
    .filter((statement) => statement.type === 'VariableDeclaration')
    .flatMap((statement) => (statement.declarations as AstNode[]) ?? []);
  // esbuild's lazy-module helpers: `(e, r) => () => {...}` (__commonJS, __esm).
  const helpers = new Set(
    declarators
      .filter((d) => {
        const init = d.init;
        if (!isNode(init) || init.type !== 'ArrowFunctionExpression') return false;
        const inner = init.body;
        return (
          isNode(inner) &&
          inner.type === 'ArrowFunctionExpression' &&
          (inner.params as unknown[]).length === 0
        );
      })
      .map((d) => identifierName(d.id) ?? ''),
  );
  const modules = declarators.filter((d) => {
    const init = d.init;
    return (
      isNode(init) &&
      init.type === 'CallExpression' &&
      helpers.has(identifierName(init.callee) ?? '')
    );
  });
  const names = modules.map((d) => identifierName(d.id) ?? '');
  const index = new Map(names.map((name, i) => [name, i]));
  if (!index.has(entry)) fail(`the entry ${entry} is not a lazy module`);
  // The wrappers each module calls anywhere in its body (top level or in a function: a
  // module runs early only once all of them have run).
  const deps = modules.map((module, self) => {
    const found = new Set<number>();
    const walk = (node: AstNode): void => {
      if (node.type === 'CallExpression') {
        const target = index.get(identifierName(node.callee) ?? '');
        if (target !== undefined && target !== self) found.add(target);
      }
      for (const child of children(node)) walk(child);
    };
    walk(module.init as AstNode);
    return [...found].sort((a, b) => a - b);
  });

  const definitions = code.slice(block.start + 1, last.start);
  // The bundle's own header (version, licence) and its bundled licences, kept.
  const firstStatement = (program.body as AstNode[])[0];
  const header = code.slice(0, firstStatement?.start ?? 0);
  const licences = (code.match(/\/\*![\s\S]*?\*\//gu) ?? []).join('\n');
  return `${header}${definitions}
const plotlyModules = [${names.join(',')}];
const plotlyModuleDeps = ${JSON.stringify(deps)};
const plotlyModuleRun = new Uint8Array(plotlyModules.length);
let plotlyNextModule = 0;
let plotlySteppingFailed = false;
let plotlyFinished = null;
export function step(shouldStop) {
  while (!plotlySteppingFailed && plotlyNextModule < plotlyModules.length) {
    if (shouldStop()) return false;
    const i = plotlyNextModule++;
    if (!plotlyModuleDeps[i].every((d) => plotlyModuleRun[d] === 1)) continue;
    try {
      plotlyModules[i]();
      plotlyModuleRun[i] = 1;
    } catch {
      // Left to finish(), which throws it where the bundle would.
      plotlySteppingFailed = true;
    }
  }
  return true;
}
export function finish() {
  if (plotlyFinished === null) {
    plotlyFinished = ${entry}();
    globalThis.${globalName} = plotlyFinished;
  }
  return plotlyFinished;
}
${licences}
`;
}

const VIRTUAL_ID = 'virtual:plotly-stepper';
const RESOLVED_ID = `\0${VIRTUAL_ID}`;

/**
 * `import('virtual:plotly-stepper')` gives `{ step, finish }` over plotly's basic bundle
 * (scatter, bar, pie). Its chunk keeps "plotly" in its name.
 */
export function plotlyStepper(bundle = 'plotly.js-basic-dist-min/plotly-basic.min.js'): Plugin {
  return {
    name: 'altar-plotly-stepper',
    resolveId: (id) => (id === VIRTUAL_ID ? RESOLVED_ID : null),
    load(id) {
      if (id !== RESOLVED_ID) return null;
      const file = createRequire(import.meta.url).resolve(bundle);
      this.addWatchFile(file);
      return plotlyStepperSource(readFileSync(file, 'utf8'));
    },
  };
}
