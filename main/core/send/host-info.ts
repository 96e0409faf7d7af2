import { arch, cpus, hostname, release, type } from 'node:os';

/**
 * `host` of a sent run: the uploading computer, in Sacred's shape (host_info.py) minus
 * python_version (no Python ran) and with an empty ENV, as Sacred captures none by default.
 */
export function senderHost(): Record<string, unknown> {
  const system = type() === 'Windows_NT' ? 'Windows' : type();
  return {
    hostname: hostname(),
    os: [system, `${system}-${release()}-${arch()}`],
    cpu: cpus()[0]?.model.trim() ?? null,
    ENV: {},
  };
}
