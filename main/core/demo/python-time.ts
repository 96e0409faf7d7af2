import type { PyValue } from './python-json';

/**
 * Times are kept as microseconds since the epoch because Sacred writes microsecond
 * precision, which a JS Date cannot hold.
 */
export type Micros = number;

export function microsFromMs(ms: number): Micros {
  return Math.round(ms) * 1000;
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micro: number;
}

function parts(exact: Micros): Parts {
  const micros = Math.round(exact);
  const ms = Math.floor(micros / 1000);
  const date = new Date(ms);
  const micro = ((micros % 1_000_000) + 1_000_000) % 1_000_000;
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    micro,
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Python's naive `datetime.isoformat()`: no zone, fraction left out when it is zero. */
export function pyIsoformat(micros: Micros): string {
  const p = parts(micros);
  const base = `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
  return p.micro === 0 ? base : `${base}.${pad(p.micro, 6)}`;
}

/** jsonpickle's encoding of a naive datetime: 10 bytes (year BE16, m, d, H, M, S, µs BE24). */
export function jsonpickleDatetime(micros: Micros): PyValue {
  const p = parts(micros);
  const bytes = Buffer.from([
    p.year >> 8,
    p.year & 0xff,
    p.month,
    p.day,
    p.hour,
    p.minute,
    p.second,
    (p.micro >> 16) & 0xff,
    (p.micro >> 8) & 0xff,
    p.micro & 0xff,
  ]);
  return {
    __reduce__: [{ 'py/type': 'datetime.datetime' }, [bytes.toString('base64')]],
    'py/object': 'datetime.datetime',
  };
}
