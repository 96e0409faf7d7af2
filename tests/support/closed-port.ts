import { createServer } from 'node:net';

/**
 * A loopback port nothing listens on: bound by the OS (port 0), then released. Tests that need
 * a refused connection use it instead of assuming that port 1 or 9 is closed on the machine.
 */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
