// Issue 11 on the Electron door: the altar-artifact: protocol (artifacts, the run zip, raw
// data) applies the same rule as the HTTP routes, since both ask the core. Electron itself
// cannot run here: a stand-in `protocol` keeps the handler so the test can call it.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rawDataPath } from '../../shared/client-api';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { buildHostileWorld, casesOf } from '../support/hostile-run-folders';
import type { HostileWorld } from '../support/hostile-run-folders';

type Handler = (request: Request) => Promise<Response>;
const handlers = vi.hoisted(() => new Map<string, (request: Request) => Promise<Response>>());

vi.mock('electron', () => ({
  protocol: {
    registerSchemesAsPrivileged: () => undefined,
    handle: (scheme: string, handler: Handler) => handlers.set(scheme, handler),
  },
}));

let world: HostileWorld;
let core: AltarCore;

async function fetchArtifact(url: string): Promise<{ status: number; body: string }> {
  const handler = handlers.get('altar-artifact');
  if (handler === undefined) throw new Error('no altar-artifact handler');
  const response = await handler(new Request(url));
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()).toString() };
}

async function artifactId(runId: string): Promise<string> {
  const run = await core.getRun({ source: 'hostile', id: runId });
  return encodeURIComponent(run.artifacts[0]?.id ?? '');
}

beforeAll(async () => {
  world = buildHostileWorld([...casesOf('outside-read'), ...casesOf('stall')]);
  core = createAltarCore({ dataDir: join(world.root, 'data'), door: 'electron' });
  await core.addFolderSource({ name: 'hostile', path: world.folder });
  await core.syncSources({});
  const { handleArtifactProtocol } = await import('../../main/electron/protocols');
  handleArtifactProtocol(core);
});

afterAll(async () => {
  await core?.close();
  world?.remove();
});

describe('altar-artifact: on hostile runs', () => {
  it('refuses an artifact that links outside, saying how to trust its folder', async () => {
    for (const id of ['art-link-file', 'art-under-linked-dir', 'art-link-etc']) {
      const reply = await fetchArtifact(`altar-artifact://a/${await artifactId(id)}`);
      expect(reply.status, id).toBe(403);
      expect(reply.body).toMatch(/outside the folders this source may read.*--trust/u);
      expect(reply.body).not.toContain(world.secret);
    }
  });

  it('answers FIFO and device artifacts with an error, without blocking', async () => {
    for (const id of ['fifo-artifact', 'zero-artifact']) {
      const reply = await fetchArtifact(`altar-artifact://a/${await artifactId(id)}`);
      expect(reply.status, id).toBe(403);
    }
  });

  it('leaves links out of the run zip', async () => {
    for (const id of ['art-link-file', 'art-under-linked-dir', 'fifo-artifact']) {
      const reply = await fetchArtifact(`altar-artifact://zip/hostile/${id}`);
      expect(reply.status, id).toBe(200);
      expect(reply.body).not.toContain(world.secret);
    }
  });

  it('refuses local raw data outside the allowed folders', async () => {
    for (const id of ['raw-dotdot', 'raw-absolute']) {
      const path = rawDataPath({ kind: 'local', source: 'hostile', id, stem: 'video' });
      const reply = await fetchArtifact(`altar-artifact://raw/${path}`);
      expect(reply.status, id).toBe(403);
      expect(reply.body).not.toContain(world.secret);
    }
  });
});
