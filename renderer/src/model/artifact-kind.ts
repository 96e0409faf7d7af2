export type ArtifactKind = 'image' | 'text' | 'other';

const IMAGE = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'svg']);
const TEXT = new Set([
  'txt',
  'json',
  'yaml',
  'yml',
  'log',
  'csv',
  'tsv',
  'py',
  'md',
  'ini',
  'cfg',
  'toml',
  'sh',
]);

/** How an artifact can be previewed, from its name's extension. */
export function artifactKind(name: string): ArtifactKind {
  const ext = /\.([^./\\]+)$/u.exec(name)?.[1]?.toLowerCase() ?? '';
  if (IMAGE.has(ext)) return 'image';
  if (TEXT.has(ext)) return 'text';
  return 'other';
}
