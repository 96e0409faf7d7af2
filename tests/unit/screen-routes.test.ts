import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Route } from '../../shared/routes';
import { RUN_TABS, formatRoute, isRoutePath, parseRoute } from '../../shared/routes';

/** What location gives the renderer for an address formatRoute made. */
function reopen(address: string): Route | null {
  const url = new URL(address, 'http://127.0.0.1:1');
  return parseRoute(url.pathname, url.search);
}

/** No lone surrogate: those cannot travel in a URL, and no real run id holds one. */
function wellFormed(text: string): boolean {
  return !/\p{Cs}/u.test(text);
}

const source = fc.stringMatching(/^[\w.-]{1,64}$/u);
const runId = fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }).filter(wellFormed);
const runKey = fc.record({ source, id: runId });
const text = fc.string({ maxLength: 30, unit: 'binary' }).filter(wellFormed);

const route: fc.Arbitrary<Route> = fc.oneof(
  fc.record({
    screen: fc.constant('table' as const),
    sources: fc.option(fc.array(source, { minLength: 1, maxLength: 3 })),
    filter: fc.option(text),
    sort: fc.option(
      fc.array(fc.record({ column: text.filter((c) => c !== ''), desc: fc.boolean() }), {
        maxLength: 3,
      }),
    ),
  }),
  fc.record({
    screen: fc.constant('run' as const),
    run: runKey,
    tab: fc.option(fc.constantFrom(...RUN_TABS)),
  }),
  fc.record({
    screen: fc.constantFrom('plot' as const, 'compare' as const),
    runs: fc.array(runKey, { maxLength: 4 }),
  }),
);

describe('screen routes', () => {
  it('every route opens again from its address as the same screen', () => {
    fc.assert(
      fc.property(route, (r) => {
        const address = formatRoute(r);
        expect(address.startsWith('/')).toBe(true);
        expect(reopen(address)).toEqual(r);
        expect(isRoutePath(new URL(address, 'http://x').pathname)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps "." and ".." names, which URLs would otherwise swallow', () => {
    for (const id of ['.', '..', '~.', '~~..']) {
      const r: Route = { screen: 'run', run: { source: '..', id }, tab: 'output' };
      expect(reopen(formatRoute(r))).toEqual(r);
    }
  });

  it('reads the addresses a user sees', () => {
    expect(reopen('/')).toEqual({ screen: 'table', sources: null, filter: null, sort: null });
    expect(reopen('/index.html')).toEqual(reopen('/'));
    expect(reopen('/runs?source=lab&filter=config.tau+%3E+1&sort=-metrics.loss&sort=id')).toEqual({
      screen: 'table',
      sources: ['lab'],
      filter: 'config.tau > 1',
      sort: [
        { column: 'metrics.loss', desc: true },
        { column: 'id', desc: false },
      ],
    });
    expect(reopen('/runs/lab/13/fail-trace')).toEqual({
      screen: 'run',
      run: { source: 'lab', id: '13' },
      tab: 'fail-trace',
    });
    expect(reopen('/plot?run=lab/1&run=mongo-x/65a0f%2F2')).toEqual({
      screen: 'plot',
      runs: [
        { source: 'lab', id: '1' },
        { source: 'mongo-x', id: '65a0f/2' },
      ],
    });
  });

  it('writes a run id with a slash as one path segment', () => {
    expect(formatRoute({ screen: 'run', run: { source: 'a', id: 'x/../y' }, tab: null })).toBe(
      '/runs/a/x%2F..%2Fy',
    );
  });

  it('names no screen for files, unknown pages and broken addresses', () => {
    for (const path of [
      '/assets/index-abc.js',
      '/favicon.ico',
      '/api/listSources',
      '/runs/lab',
      '/runs/lab/1/nope',
      '/runs/lab/1/overview/extra',
      '/runs/bad%20name/1',
      '/runs/lab/%E0%A4%A',
      '/plot/extra',
      '/index.html/x',
      '/../etc/passwd',
      '//runs',
      '/runs//lab/1',
      'runs',
    ]) {
      expect(isRoutePath(path), path).toBe(false);
    }
  });

  it('drops run values it cannot read but keeps the others', () => {
    expect(reopen('/compare?run=lab/1&run=noslash&run=bad name/2&run=lab/')).toEqual({
      screen: 'compare',
      runs: [{ source: 'lab', id: '1' }],
    });
  });
});
