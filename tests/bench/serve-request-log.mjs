/**
 * Preloaded into a served app by tests/bench/ui-sort-timeline.ts (NODE_OPTIONS="--import ...",
 * `--request-log`): appends to `<ALTAR_REQUEST_LOG>` one line per HTTP request (its path, when
 * it arrived, when its reply was ended) and one per timer or immediate callback that ran ≥ 2 ms
 * (the engine's idle steps run as timers), all in epoch milliseconds (performance.timeOrigin +
 * now, as the page's clock reads), so the driver can tell what the serve's one thread did
 * between a sort's request and its reply.
 */
import { appendFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { setInterval } from 'node:timers';

const file = process.env.ALTAR_REQUEST_LOG;
if (file !== undefined) {
  const epoch = () => performance.timeOrigin + performance.now();
  const lines = [];
  const flush = () => {
    if (lines.length === 0) return;
    appendFileSync(file, lines.join('\n') + '\n');
    lines.length = 0;
  };
  setInterval(flush, 100).unref();
  process.on('exit', flush);

  const timed = (kind, callback) =>
    function timedCallback(...args) {
      const start = epoch();
      try {
        return callback.apply(this, args);
      } finally {
        const end = epoch();
        if (end - start >= 2) {
          lines.push(JSON.stringify({ kind, start, end, name: callback.name || '' }));
        }
      }
    };
  const originalTimeout = globalThis.setTimeout;
  globalThis.setTimeout = function setTimeout(callback, ...rest) {
    if (typeof callback !== 'function') return originalTimeout(callback, ...rest);
    return originalTimeout(timed('timer', callback), ...rest);
  };
  const originalImmediate = globalThis.setImmediate;
  globalThis.setImmediate = function setImmediate(callback, ...rest) {
    return originalImmediate(timed('immediate', callback), ...rest);
  };

  const originalEmit = http.Server.prototype.emit;
  http.Server.prototype.emit = function emit(event, ...args) {
    if (event === 'request') {
      const [req, res] = args;
      const arrived = epoch();
      const originalEnd = res.end;
      res.end = function end(...endArgs) {
        const ended = epoch();
        const result = originalEnd.apply(this, endArgs);
        lines.push(
          JSON.stringify({ kind: 'request', path: req.url?.split('?')[0], arrived, ended }),
        );
        return result;
      };
      // The request's own handling up to its first await (header checks, body reading set up).
      const start = epoch();
      try {
        return originalEmit.call(this, event, ...args);
      } finally {
        const end = epoch();
        if (end - start >= 2) lines.push(JSON.stringify({ kind: 'request-task', start, end }));
      }
    }
    return originalEmit.call(this, event, ...args);
  };
}
