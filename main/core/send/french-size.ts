/**
 * A size as the old sender writes it in info.dataFiles (raw_data_saver.py l.16-24): base 1024,
 * French units, `"N o"` below 1 Ko, else two decimals: `"12.30 Mo"`.
 */
export function frenchSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} o`;
  const units = ['Ko', 'Mo', 'Go'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(2)} ${units[unit] as string}`;
}
