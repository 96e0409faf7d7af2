// What the OS or the user hands the window on the command line (after cli-invocation.ts has
// decided it is not a CLI command): folders to add or open (`altar-viewer ~/runs`, "Open with"
// in a file manager) and deep links (Linux and Windows pass altar-viewer://… as an argument).
import path from 'node:path';
import { DEEP_LINK_SCHEME } from '../../shared/deep-link';

export interface DesktopArguments {
  /** Absolute paths, resolved against the starting instance's working directory. */
  paths: string[];
  /** Arguments that look like our deep links; parsed strictly later (deep-link.ts). */
  links: string[];
}

/** At most this many of each: a launcher gone wrong must not open a thousand folders. */
const MAX_ITEMS = 16;

/**
 * The folders and links in `argv` (process.argv, or a second instance's argv). Switches are
 * skipped whatever they are: Chromium and the OS add their own (`--no-sandbox`,
 * `--original-process-start-time=…`, macOS's `-psn_…`). Other URLs are ignored, never opened.
 */
export function desktopArgumentsOf(
  argv: readonly string[],
  defaultApp: boolean,
  workingDirectory: string,
): DesktopArguments {
  const operands = argv.slice(defaultApp ? 2 : 1).filter((arg) => !arg.startsWith('-'));
  const links: string[] = [];
  const paths: string[] = [];
  for (const arg of operands) {
    if (arg === '') continue;
    if (arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) {
      if (links.length < MAX_ITEMS) links.push(arg);
    } else if (!/^[a-z][a-z0-9+.-]+:\/\//iu.test(arg) && paths.length < MAX_ITEMS) {
      paths.push(path.resolve(workingDirectory, arg));
    }
  }
  return { paths, links };
}
