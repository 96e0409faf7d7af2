// Raw HTTP for attack tests: node:http rather than fetch, since fetch forbids setting Host,
// normalizes "..", and cannot send a body that lies about its length.
import http from 'node:http';
import net from 'node:net';

export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export function rawRequest(port: number, options: RawRequest): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Bytes straight onto a socket (a request line no client library would send); resolves with
 * the status of the reply, or 0 when the server closed the connection without one.
 */
export function rawSocket(port: number, bytes: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    const done = (): void => {
      const match = /^HTTP\/1\.[01] (\d{3})/u.exec(text);
      resolve(match ? Number(match[1]) : 0);
    };
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', () => undefined);
    socket.write(bytes, 'latin1', () => socket.end());
  });
}

/** Traversal attempts on every route that maps a URL onto a file or an id. */
export function traversalPaths(): string[] {
  const escapes = [
    '../secret.txt',
    '%2e%2e/secret.txt',
    '%2E%2E%2Fsecret.txt',
    '..%2fsecret.txt',
    '..%5csecret.txt',
    '..\\secret.txt',
    '%252e%252e%252fsecret.txt',
    '..%c0%afsecret.txt',
    '..%00/secret.txt',
    '%00',
    '....//....//secret.txt',
    '..;/secret.txt',
    '/etc/passwd',
    '%2fetc%2fpasswd',
    'C:%5cWindows%5cwin.ini',
    '..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
  ];
  const prefixes = ['/', '/assets/', '/artifacts/', '/artifacts-zip/c/', '/raw-data/local/c/1/'];
  return prefixes.flatMap((prefix) => escapes.map((escape) => `${prefix}${escape}`));
}
