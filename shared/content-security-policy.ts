/**
 * The one Content-Security-Policy of the renderer page, for both doors and both ways of
 * sending it: the HTTP door's header, the Electron door's header (altar-app: serves the page,
 * altar-artifact: the artifacts, so that scheme is added where artifacts load), and the meta
 * tag the build writes into index.html. A page gets the header and the meta tag, and a
 * browser enforces both, so they must agree; generating both here keeps them from drifting
 * (the meta tag once lacked frame-src and blocked the HTML artifact preview in Electron).
 */
export interface CspOptions {
  /** A scheme artifacts load from besides the page's origin, e.g. "altar-artifact:". */
  artifactSource?: string;
  /** A meta tag cannot carry frame-ancestors (browsers ignore it there, with a warning). */
  delivery?: 'header' | 'meta';
}

export function rendererContentSecurityPolicy(options: CspOptions = {}): string {
  const extra = options.artifactSource ? ` ${options.artifactSource}` : '';
  const directives = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${extra}`,
    `media-src 'self' blob:${extra}`,
    // The PDF and CSV previews fetch artifact bytes.
    `connect-src 'self'${extra}`,
    // pdf.js draws PDF artifacts in a worker the build ships next to the app's scripts.
    "worker-src 'self'",
    // The sandboxed HTML artifact preview.
    `frame-src 'self'${extra}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ];
  if ((options.delivery ?? 'header') === 'header') directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}
