/** A value the column catalog counts (see column-catalog.ts): equal as in a JS Set. */
type Distinct = number | string | boolean | null;

const EMPTY = 0;
const TWO_32 = 2 ** 32;
/** 20 high bits of the first hash: keys are 52-bit integers, exact in a double. */
const HIGH_MASK = 0xfffff;

const floatBits = new Float64Array(1);
const floatWords = new Uint32Array(floatBits.buffer);

/**
 * Counts distinct values as 52-bit hashes in one Float64Array (open addressing), instead of
 * keeping the values themselves in a Set: a catalog build counts up to 16,000 values in each
 * column past its tracked values, and as a Set of strings and numbers those were ~60 MB of the
 * heap at 100k runs (the peak of `serve`'s memory), here 256 KB per column at most. Two values
 * share a hash with a probability of about n² / 2⁵³ (3 × 10⁻⁸ at 16,000): the count is then one
 * short, which only makes a later recount of that column come sooner.
 */
export class DistinctHashSet {
  private slots: Float64Array;
  private count = 0;

  constructor(expected = 0) {
    let capacity = 1024;
    while (capacity * 0.5 < expected) capacity *= 2;
    this.slots = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  add(value: Distinct): void {
    hashOf(value);
    const low = hashLow;
    // + 1: a zero slot is empty.
    const key = (hashHigh & HIGH_MASK) * TWO_32 + low + 1;
    const mask = this.slots.length - 1;
    let at = low & mask;
    for (;;) {
      const held = this.slots[at] as number;
      if (held === key) return;
      if (held === EMPTY) break;
      at = (at + 1) & mask;
    }
    this.slots[at] = key;
    this.count++;
    if (this.count * 4 > this.slots.length * 3) this.grow();
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    const mask = this.slots.length - 1;
    for (const key of old) {
      if (key === EMPTY) continue;
      let at = ((key - 1) % TWO_32) & mask;
      while (this.slots[at] !== EMPTY) at = (at + 1) & mask;
      this.slots[at] = key;
    }
  }
}

// hashOf's result: two module slots instead of a returned pair, which a catalog build made
// ~170 MB of garbage with at 100k runs (its allocations raise `serve`'s memory peak).
let hashHigh = 0;
let hashLow = 0;

/** Two independent 32-bit hashes (unsigned) of a value, its type mixed in: into hashHigh/Low. */
function hashOf(value: Distinct): void {
  switch (typeof value) {
    case 'string': {
      // FNV-1a and a multiplicative hash with other constants, over UTF-16 code units.
      let a = 0x811c9dc5;
      let b = 0x9747b28c;
      for (let i = 0; i < value.length; i++) {
        const unit = value.charCodeAt(i);
        a = Math.imul(a ^ unit, 0x01000193);
        b = Math.imul(b ^ unit, 0x5bd1e995);
        b ^= b >>> 15;
      }
      hashHigh = finish(a ^ value.length);
      hashLow = finish(b + 0x1b873593);
      return;
    }
    case 'number': {
      // As a Set: every NaN is one value, and -0 is 0.
      floatBits[0] = Number.isNaN(value) ? NaN : value === 0 ? 0 : value;
      const low = floatWords[0] as number;
      const high = floatWords[1] as number;
      hashHigh = finish(high ^ Math.imul(low, 0x85ebca6b));
      hashLow = finish(low ^ Math.imul(high, 0xc2b2ae35) ^ 0x2545f491);
      return;
    }
    case 'boolean':
      hashHigh = hashLow = value ? 1 : 2;
      return;
    default:
      hashHigh = hashLow = 3;
  }
}

/** murmur3's finalizer: every input bit moves every output bit. */
function finish(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
