/**
 * How long closing the core lets the work in flight (syncs, sends, live refreshes) end by
 * itself before it closes the MongoDB connections under it. The hosts that wait for a close
 * (`serve` after Ctrl+C) plan with it.
 */
export const CLOSE_GRACE_MS = 3000;
