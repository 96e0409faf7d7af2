const MIB = 1024 * 1024;

/**
 * Bytes in MiB, the unit the Settings dialog's size limit is typed in, so usage and limit read
 * in one unit ("12.5 MiB of 2048 MiB"): one decimal below 10 MiB, whole above.
 */
export function formatMebibytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  const mib = bytes / MIB;
  if (mib === 0) return '0 MiB';
  return `${mib < 10 ? mib.toFixed(1) : String(Math.round(mib))} MiB`;
}
