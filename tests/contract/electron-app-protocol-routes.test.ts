// Issue 14 item 4 on the desktop door: altar-app://ui serves the page at every screen's
// address (a deep link, a reload on a run), and nothing else beyond the built files. Electron
// cannot run here: a stand-in `protocol` keeps the handler so the test can call it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

type Handler = (request: Request) => Promise<Response>;
const handlers = vi.hoisted(() => new Map<string, (request: Request) => Promise<Response>>());

vi.mock('electron', () => ({
  protocol: {
    registerSchemesAsPrivileged: () => undefined,
    handle: (scheme: string, handler: Handler) => handlers.set(scheme, handler),
  },
}));

let root: string;

async function load(url: string): Promise<{ status: number; body: string }> {
  const handler = handlers.get('altar-app');
  if (handler === undefined) throw new Error('no altar-app handler');
  const response = await handler(new Request(url));
  return { status: response.status, body: await response.text() };
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'altar-app-routes-'));
  const rendererDir = path.join(root, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<title>the page</title>');
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'js');
  writeFileSync(path.join(root, 'secret.txt'), 'TOP-SECRET');
  const { handleAppProtocol } = await import('../../main/electron/protocols');
  handleAppProtocol(rendererDir);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('altar-app: screen addresses', () => {
  it.each([
    'altar-app://ui/index.html',
    'altar-app://ui/runs?filter=config.tau%3E1',
    'altar-app://ui/runs/lab/13',
    'altar-app://ui/runs/lab/13/fail-trace',
    'altar-app://ui/plot?run=lab/1&run=lab/2',
    'altar-app://ui/compare?run=lab/1',
  ])('%s is the page', async (url) => {
    const reply = await load(url);
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('<title>the page</title>');
  });

  it('still serves built files by their path', async () => {
    expect((await load('altar-app://ui/assets/app.js')).body).toBe('js');
  });

  it.each([
    'altar-app://ui/runs/lab',
    'altar-app://ui/elsewhere',
    'altar-app://ui/runs/..%2f..%2fsecret.txt/1/x',
    'altar-app://ui/%2e%2e/secret.txt',
  ])('%s is not found', async (url) => {
    const reply = await load(url);
    expect(reply.status).toBe(404);
    expect(reply.body).not.toContain('TOP-SECRET');
  });
});
