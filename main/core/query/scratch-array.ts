/**
 * One typed-array buffer reused by every sort-key build (column-sort-rank.ts, sort-rows.ts)
 * instead of fresh arrays per build. A column's order is built from ~50 bytes a run of arrays
 * that die right after (a run table of 100k runs and 20 columns: ~100 MB of them); V8 frees
 * an ArrayBuffer only when a GC finds it dead and lets up to ~64 MB of such memory pile up
 * before it collects, which was `serve`'s peak resident memory after the window's first sorts
 * (issue 13). Kept at the largest size asked (a few MB at 100k runs).
 *
 * A view's contents are whatever the last user left: callers write every element they read.
 * A view is valid until the next call on the same ScratchArray; the builds are synchronous
 * and each use has its own ScratchArray, so none overlaps another.
 */
export class ScratchArray {
  private buffer = new ArrayBuffer(0);

  private ensure(bytes: number): ArrayBuffer {
    if (this.buffer.byteLength < bytes) this.buffer = new ArrayBuffer(bytes);
    return this.buffer;
  }

  uint32(length: number): Uint32Array {
    return new Uint32Array(this.ensure(length * 4), 0, length);
  }

  uint8(length: number): Uint8Array {
    return new Uint8Array(this.ensure(length), 0, length);
  }

  /** Bytes held (tests look). */
  get heldBytes(): number {
    return this.buffer.byteLength;
  }
}
