import { compareRunIds, runIdKind, runIdNumber } from '../../../shared/run-id-order';

/**
 * One column of one source in memory: a kind per run plus a number (numbers, bools, dates as
 * epoch ms) or a dictionary code (strings; lists and objects as their JSON text). Filters and
 * sorts run over these typed arrays; predicates on strings are evaluated once per distinct
 * string, not once per run.
 */
export const Kind = {
  Missing: 0,
  Null: 1,
  Bool: 2,
  Number: 3,
  Date: 4,
  String: 5,
  List: 6,
  Object: 7,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export class Column {
  readonly kinds: Uint8Array;
  /**
   * Made at the first number, bool or date stored (or read): about half of a table's columns
   * hold only text (status, experiment, tags, text config values), and their 8 bytes a run
   * were a third of the loaded columns' memory (issue 13's `serve` RSS row).
   */
  private numbers: Float64Array | null;
  /** Dictionary code per run for String/List/Object/Date (the date's text) kinds, else -1. */
  codes: Int32Array | null = null;
  readonly dict: string[];
  /** Built when first needed by a column assembled from parts (a patched copy). */
  private codeOf: Map<string, number> | null;
  private rankCache: Int32Array | null = null;
  private lowerCache: string[] | null = null;
  private dateCache: Float64Array | null = null;
  private codeKindCache: Uint8Array | null = null;
  /** The order of dictionary texts for sorting (run ids have their own, see ofRunIds). */
  textOrder: (a: string, b: string) => number = compareText;

  constructor(
    readonly length: number,
    /** The arrays of an assembled column, taken as they are (see refresh-segment.ts). */
    parts?: {
      kinds: Uint8Array;
      nums: Float64Array | null;
      codes: Int32Array | null;
      dict: string[];
    },
  ) {
    this.kinds = parts?.kinds ?? new Uint8Array(length);
    this.numbers = parts?.nums ?? null;
    this.codes = parts?.codes ?? null;
    this.dict = parts?.dict ?? [];
    this.codeOf = parts === undefined ? new Map() : null;
  }

  /** The number (bool as 0/1, date as epoch ms) of each run; 0 where the run has none. */
  get nums(): Float64Array {
    this.numbers ??= new Float64Array(this.length);
    return this.numbers;
  }

  /** `nums` if any run has a number, bool or date, else null (nothing allocated). */
  numsIfAny(): Float64Array | null {
    return this.numbers;
  }

  setNull(row: number): void {
    this.kinds[row] = Kind.Null;
  }

  setBool(row: number, value: boolean): void {
    this.kinds[row] = Kind.Bool;
    this.nums[row] = value ? 1 : 0;
  }

  setNumber(row: number, value: number): void {
    this.kinds[row] = Kind.Number;
    this.nums[row] = value;
  }

  setString(row: number, value: string): void {
    this.kinds[row] = Kind.String;
    this.setCode(row, value);
  }

  /**
   * A date: its epoch ms (compared and sorted) and, when given and not written the way
   * toISOString writes it, its text as written.
   */
  setDate(row: number, ms: number, text?: string): void {
    this.kinds[row] = Kind.Date;
    this.nums[row] = ms;
    if (text !== undefined && new Date(ms).toISOString() !== text) this.setCode(row, text);
  }

  /** The text of a String or Date value (a date as written) or a number run id, else null. */
  text(row: number): string | null {
    const kind = this.kinds[row];
    if (kind === Kind.String || (kind === Kind.Number && this.code(row) >= 0)) {
      return this.dict[this.code(row)] as string;
    }
    if (kind !== Kind.Date) return null;
    const code = this.code(row);
    return code >= 0
      ? (this.dict[code] as string)
      : new Date(this.nums[row] as number).toISOString();
  }

  /** A column of distinct strings (run ids): no dictionary lookups needed. */
  static ofUniqueStrings(values: string[]): Column {
    const n = values.length;
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = i;
    const kinds = new Uint8Array(n).fill(Kind.String);
    return new Column(n, { kinds, nums: null, codes, dict: values.slice() });
  }

  /**
   * The run id column (ids are distinct): number ids (shared/run-id-order.ts) are numbers
   * that keep their text as a dictionary entry (so contains and ~ still see "17"), the
   * others text sorted with ObjectIds after the rest.
   */
  static ofRunIds(ids: string[]): Column {
    const column = Column.ofUniqueStrings(ids);
    for (let i = 0; i < ids.length; i++) {
      const number = runIdNumber(ids[i] as string);
      if (number !== null) {
        column.kinds[i] = Kind.Number;
        column.nums[i] = number;
      }
    }
    column.textOrder = compareRunIds;
    return column;
  }

  /** A column holding the same string everywhere (the source name). */
  static ofConstant(length: number, value: string): Column {
    const kinds = new Uint8Array(length).fill(Kind.String);
    const codes = new Int32Array(length);
    return new Column(length, { kinds, nums: null, codes, dict: [value] });
  }

  setList(row: number, value: unknown[], json?: string): void {
    this.kinds[row] = Kind.List;
    this.setCode(row, json ?? JSON.stringify(value));
  }

  /** A list given as JSON text, stored without parsing it. */
  setListJson(row: number, json: string): void {
    this.kinds[row] = Kind.List;
    this.setCode(row, json);
  }

  setObjectJson(row: number, json: string): void {
    this.kinds[row] = Kind.Object;
    this.setCode(row, json);
  }

  /** Stores any JSON value (already parsed). */
  setValue(row: number, value: unknown): void {
    if (value === undefined) return;
    if (value === null) this.setNull(row);
    else if (typeof value === 'boolean') this.setBool(row, value);
    else if (typeof value === 'number') this.setNumber(row, value);
    else if (typeof value === 'string') this.setString(row, value);
    else if (Array.isArray(value)) this.setList(row, value);
    else this.setObjectJson(row, JSON.stringify(value));
  }

  /**
   * Stores a value given as JSON text (SQLite's `->` operator); parses only what must be
   * parsed, so numbers and plain strings stay cheap.
   */
  setJson(row: number, json: string): void {
    const first = json.charCodeAt(0);
    if (first === 0x22 /* " */) {
      this.setString(
        row,
        json.indexOf('\\') < 0 ? json.slice(1, -1) : (JSON.parse(json) as string),
      );
    } else if (first === 0x7b /* { */) this.setObjectJson(row, json);
    else if (first === 0x5b /* [ */) this.setListJson(row, json);
    else if (json === 'null') this.setNull(row);
    else if (json === 'true') this.setBool(row, true);
    else if (json === 'false') this.setBool(row, false);
    else this.setNumber(row, Number(json));
  }

  code(row: number): number {
    return this.codes === null ? -1 : (this.codes[row] as number);
  }

  /** Rank of each dictionary entry in code-unit order, for sorting. */
  ranks(): Int32Array {
    if (this.rankCache === null) {
      const order = this.dict.map((_, i) => i);
      if (this.textOrder === compareRunIds) {
        // Each id's kind and number worked out once, not in every comparison of the sort.
        const group = new Uint8Array(this.dict.length);
        const number = new Float64Array(this.dict.length);
        this.dict.forEach((text, code) => {
          const kind = runIdKind(text);
          group[code] = kind === 'number' ? 0 : kind === 'text' ? 1 : 2;
          if (kind === 'number') number[code] = Number(text);
        });
        order.sort(
          (a, b) =>
            (group[a] as number) - (group[b] as number) ||
            (group[a] === 0
              ? (number[a] as number) - (number[b] as number)
              : compareText(this.dict[a] as string, this.dict[b] as string)),
        );
      } else {
        order.sort((a, b) => this.textOrder(this.dict[a] as string, this.dict[b] as string));
      }
      const ranks = new Int32Array(this.dict.length);
      order.forEach((code, rank) => {
        ranks[code] = rank;
      });
      this.rankCache = ranks;
    }
    return this.rankCache;
  }

  /** The kind each dictionary entry was stored with (an entry always has one kind). */
  codeKinds(): Uint8Array {
    if (this.codeKindCache === null || this.codeKindCache.length !== this.dict.length) {
      const kinds = new Uint8Array(this.dict.length);
      const codes = this.codes;
      if (codes !== null) {
        for (let i = 0; i < this.length; i++) {
          const code = codes[i] as number;
          if (code >= 0) kinds[code] = this.kinds[i] as number;
        }
      }
      this.codeKindCache = kinds;
    }
    return this.codeKindCache;
  }

  lower(): string[] {
    this.lowerCache ??= this.dict.map((text) => text.toLowerCase());
    return this.lowerCache;
  }

  /** Epoch ms of each dictionary entry that reads as an ISO date, else NaN. */
  dictDates(): Float64Array {
    if (this.dateCache === null) {
      const dates = new Float64Array(this.dict.length);
      this.dict.forEach((text, i) => {
        dates[i] = isoDateMs(text);
      });
      this.dateCache = dates;
    }
    return this.dateCache;
  }

  /** The value as the contract carries it (JSON-safe), or undefined when missing. */
  jsonValue(row: number): unknown {
    switch (this.kinds[row]) {
      case Kind.Null:
        return null;
      case Kind.Bool:
        return this.nums[row] === 1;
      case Kind.Number: {
        // A number run id is still shown and exported as the id's text.
        if (this.codes !== null && (this.codes[row] as number) >= 0) return this.text(row);
        const value = this.nums[row] as number;
        return Number.isFinite(value) ? value : String(value);
      }
      case Kind.String:
      case Kind.Date:
        return this.text(row);
      case Kind.List:
      case Kind.Object:
        return JSON.parse(this.dict[this.code(row)] as string) as unknown;
      default:
        return undefined;
    }
  }

  /**
   * Forgets the text → code lookup once the column is loaded: a Map entry per distinct text
   * (tens of bytes each, ~5 MB for a free-text column at 100k runs) that only writing needs;
   * a later write (a patched copy) builds it again from the dictionary.
   */
  dropLookup(): void {
    this.codeOf = null;
  }

  private setCode(row: number, text: string): void {
    if (this.codeOf === null) {
      this.codeOf = new Map();
      for (let code = 0; code < this.dict.length; code++) {
        this.codeOf.set(this.dict[code] as string, code);
      }
    }
    let code = this.codeOf.get(text);
    if (code === undefined) {
      code = this.dict.length;
      this.dict.push(text);
      this.codeOf.set(text, code);
    }
    if (this.codes === null) {
      this.codes = new Int32Array(this.length);
      this.codes.fill(-1);
    }
    this.codes[row] = code;
  }
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const ISO_LIKE =
  /^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?$/u;

/** Epoch ms of an ISO 8601 date text; NaN for anything else. Dates without a zone are UTC. */
export function isoDateMs(text: string): number {
  // The cache's own form (toISOString): no need for the general pattern.
  if (text.length === 24 && text.charCodeAt(10) === 0x54 && text.charCodeAt(23) === 0x5a) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  if (!ISO_LIKE.test(text)) return NaN;
  const normalized = text.replace(' ', 'T');
  const hasZone = /(?:Z|[+-][0-9]{2}:?[0-9]{2})$/u.test(normalized) && normalized.includes('T');
  return Date.parse(hasZone || !normalized.includes('T') ? normalized : `${normalized}Z`);
}
