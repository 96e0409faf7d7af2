import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'acorn';
import { afterEach, describe, expect, it } from 'vitest';
import { plotlyStepperSource } from '../../build/plotly-stepper';

// A bundle shaped as esbuild builds plotly's: lazy module wrappers, the entry called last.
const HELPERS =
  'var W=(e,r)=>()=>{try{return r||e((r={exports:{}}).exports,r),r.exports}catch(t){throw r=0,t}};' +
  'var Hu=(e,r,t)=>()=>{if(t)throw t[0];try{return e&&(r=e(e=0)),r}catch(a){throw t=[a],a}};';

function bundle(modules: string): string {
  return (
    '/** fake plot library v1 */\n(function(root, factory) { root.x = factory(); }' +
    '(typeof self !== "undefined" ? self : this, () => {\n"use strict";var Fake=(()=>{' +
    HELPERS +
    modules +
    'return entry();})();\nwindow.Fake = Fake;\nreturn Fake;\n}));\n/*! bundled licence: MIT */\n'
  );
}

// a, b (calls a), c and d (call each other), e (calls b), the entry (calls b, c, e).
const WITH_CYCLE = bundle(
  'var log=[];' +
    'var a=W((x,m)=>{log.push("a");m.exports=1});' +
    'var b=W((x,m)=>{log.push("b");m.exports=a()+1});' +
    'var c=W((x,m)=>{log.push("c");m.exports={get d(){return d()}}});' +
    'var d=W((x,m)=>{log.push("d");m.exports={c:c()}});' +
    'var e=W((x,m)=>{log.push("e");m.exports=b()+1});' +
    'var entry=W((x,m)=>{log.push("entry");m.exports={log,b:b(),c:c(),e:e()}});',
);

interface Stepped {
  step(shouldStop: () => boolean): boolean;
  finish(): { log: string[]; b: number; c: { d: { c: unknown } }; e: number };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  delete (globalThis as { Fake?: unknown }).Fake;
});

async function load(source: string): Promise<Stepped> {
  const dir = mkdtempSync(path.join(tmpdir(), 'plotly-stepper-'));
  dirs.push(dir);
  const file = path.join(dir, 'stepper.mjs');
  writeFileSync(file, plotlyStepperSource(source, 'Fake'));
  return (await import(pathToFileURL(file).href)) as Stepped;
}

describe('plotly in steps (build/plotly-stepper.ts)', () => {
  it('runs each module once everything it calls has run, and the entry gives the same result', async () => {
    const stepped = await load(WITH_CYCLE);
    expect(stepped.step(() => false)).toBe(true);
    const result = stepped.finish();
    // a, b, e ran in steps; the cycle (c, d) and the entry that needs it were left to finish.
    expect(result.log).toEqual(['a', 'b', 'e', 'entry', 'c']);
    expect(result.b).toBe(2);
    expect(result.e).toBe(3);
    // The cycle resolves as in one evaluation: d sees c whole.
    expect(result.c.d.c).toBe(result.c);
    expect((globalThis as { Fake?: unknown }).Fake).toBe(result);
    expect(stepped.finish()).toBe(result);
  });

  it('stops when asked before a module and goes on from there', async () => {
    const stepped = await load(WITH_CYCLE);
    let asked = 0;
    expect(stepped.step(() => asked++ >= 1)).toBe(false);
    expect(stepped.step(() => false)).toBe(true);
    expect(stepped.finish().log).toEqual(['a', 'b', 'e', 'entry', 'c']);
  });

  it('leaves a module that throws to finish, which throws as the bundle would', async () => {
    const stepped = await load(
      bundle(
        'var a=W((x,m)=>{throw new Error("no canvas here")});' +
          'var entry=W((x,m)=>{m.exports={a:a()}});',
      ),
    );
    expect(stepped.step(() => false)).toBe(true);
    expect(() => stepped.finish()).toThrow('no canvas here');
  });

  it('refuses a bundle of another shape', () => {
    expect(() => plotlyStepperSource('var Plotly = 1;')).toThrow(/not shaped as expected/u);
    expect(() => plotlyStepperSource('var Plotly=(()=>{var a=1;return a;})();')).toThrow(
      /not shaped as expected/u,
    );
  });

  // Parsing 1.2 MB twice takes seconds, more on a loaded machine.
  it(
    "turns plotly's basic bundle into a module of ~400 steps, its header and licences kept",
    { timeout: 120_000 },
    () => {
      const file = createRequire(import.meta.url).resolve(
        'plotly.js-basic-dist-min/plotly-basic.min.js',
      );
      const source = plotlyStepperSource(readFileSync(file, 'utf8'));
      expect(() => parse(source, { ecmaVersion: 'latest', sourceType: 'module' })).not.toThrow();
      const list = /const plotlyModules = \[([^\]]*)\]/u.exec(source)?.[1]?.split(',') ?? [];
      expect(list.length).toBeGreaterThan(300);
      expect(source).toMatch(/^\/\*\*[\s\S]*plotly\.js \(basic - minified\)/u);
      expect(source).toContain('Bundled license information');
      expect(source).toMatch(/export function step\(/u);
      expect(source).toMatch(/export function finish\(/u);
    },
  );
});
