// Kept free of every other module: the bundle's entry imports it to answer a bare `--version`
// before the parser, the help text and the commands' code load.
import { version } from '../../package.json';

/** What `altar-viewer --version` prints. */
export const versionLine = `altar-viewer ${version}\n`;

/**
 * `altar-viewer --version` (or `-V`) and nothing else. Any other command line, `--version`
 * with more flags included, goes through the parser, which decides what it means.
 */
export function isBareVersion(argv: readonly string[]): boolean {
  return argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V');
}
