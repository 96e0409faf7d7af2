export type ArtifactKind =
  'image' | 'text' | 'table' | 'video' | 'audio' | 'pdf' | 'html' | 'other';

const byExtension: Record<string, ArtifactKind> = {};
function add(kind: ArtifactKind, extensions: string): void {
  for (const ext of extensions.split(' ')) byExtension[ext] = kind;
}
add('image', 'png jpg jpeg gif webp bmp svg');
add(
  'text',
  'txt text json jsonl yaml yml log out err py pyw md ini cfg conf toml sh bash xml js ts c h cpp hpp java r rst tex',
);
add('table', 'csv tsv');
add('video', 'mp4 m4v webm ogv mov');
add('audio', 'mp3 wav ogg oga flac m4a aac opus');
add('pdf', 'pdf');
add('html', 'html htm');

/** Content types decide when the name has no known extension (e.g. MongoDB artifacts). */
function kindFromContentType(contentType: string): ArtifactKind {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'image/svg+xml' || /^image\/(png|jpeg|gif|webp|bmp)$/u.test(type)) return 'image';
  if (type === 'text/csv' || type === 'text/tab-separated-values') return 'table';
  if (type === 'text/html') return 'html';
  if (type === 'application/pdf') return 'pdf';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('text/') || type === 'application/json' || type.endsWith('+json')) {
    return 'text';
  }
  return 'other';
}

export function extensionOf(name: string): string {
  return /\.([^./\\]+)$/u.exec(name)?.[1]?.toLowerCase() ?? '';
}

/** How an artifact can be previewed: by its name's extension, else by its content type. */
export function artifactKind(name: string, contentType?: string | null): ArtifactKind {
  const kind = byExtension[extensionOf(name)];
  if (kind !== undefined) return kind;
  return contentType ? kindFromContentType(contentType) : 'other';
}

/** The separator of a table artifact: tabs for .tsv, commas otherwise. */
export function tableDelimiter(name: string, contentType?: string | null): ',' | '\t' {
  return extensionOf(name) === 'tsv' || contentType?.includes('tab-separated') === true
    ? '\t'
    : ',';
}
