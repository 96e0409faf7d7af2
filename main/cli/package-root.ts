import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'altar-viewer';

/**
 * The package's root folder, found by walking up from this module: the same code runs as
 * main/cli/*.ts under tsx and bundled as dist/cli.mjs, at different depths.
 */
export function findPackageRoot(fromUrl: string = import.meta.url): string | null {
  let dir = dirname(fileURLToPath(fromUrl));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
        if (parsed.name === PACKAGE_NAME) return dir;
      } catch {
        // An unreadable package.json of some other package: keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The built renderer served by `altar-viewer serve`. */
export function rendererDir(): string {
  return join(findPackageRoot() ?? process.cwd(), 'dist', 'renderer');
}
