// The HTTP door's binary replies (shared/wire-frame.ts, issue 13): the page asks for them, and a
// reply holding a plot's points then comes as a frame of raw bytes. It must be the same value,
// bit for bit, as the JSON reply a script gets for the same call, fit the contract's result
// schema, and change nothing for replies without arrays or for callers that did not ask.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '../../shared/contract';
import { unpackMetricBatch } from '../../shared/metric-batch';
import type { MetricBatchEntry } from '../../shared/metric-batch';
import { decodeWire, encodeWire } from '../../shared/wire-codec';
import { FRAME_CONTENT_TYPE, decodeWireFrame } from '../../shared/wire-frame';
import { createAltarCore } from '../../main/core/altar-core';
import type { CoreService } from '../../main/core/core-service';
import { startHttpHost } from '../../main/hosts/http-host';
import type { HttpHost } from '../../main/hosts/http-host';
import { makeWorkspace } from './doors';
import type { Workspace } from './doors';

let workspace: Workspace;
let core: CoreService;
let host: HttpHost;

interface Reply {
  status: number;
  type: string;
  bytes: number;
  envelope: { ok: boolean; result?: unknown; error?: { code: string } };
}

async function call(method: string, args: unknown, accept?: string): Promise<Reply> {
  const response = await fetch(`http://127.0.0.1:${host.port}/api/${method}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${host.token}`,
      ...(accept === undefined ? {} : { Accept: accept }),
    },
    body: encodeWire(args),
  });
  const type = response.headers.get('Content-Type') ?? '';
  const body = await response.arrayBuffer();
  const envelope = (
    type === FRAME_CONTENT_TYPE ? decodeWireFrame(body) : decodeWire(new TextDecoder().decode(body))
  ) as Reply['envelope'];
  return { status: response.status, type, bytes: body.byteLength, envelope };
}

beforeAll(async () => {
  workspace = makeWorkspace();
  core = createAltarCore({ dataDir: workspace.dataDir('frames'), door: 'http' });
  host = await startHttpHost(core, { rendererDir: workspace.rendererDir });
  expect((await call('addFolderSource', { name: 'c', path: workspace.runFolder })).status).toBe(
    200,
  );
  expect((await call('syncSources', {})).status).toBe(200);
});

afterAll(async () => {
  await host?.close();
  await core?.close();
  workspace?.remove();
});

const plot = {
  traces: [
    { source: 'c', id: '1', name: 'val.acc' },
    { source: 'c', id: '1', name: 'no.such.metric' },
    { source: 'c', id: '1', name: 'train.loss', xMin: 1, xMax: 4 },
  ],
  maxPoints: 100,
};

/** Each trace's numbers as plain lists (NaN kept as NaN, -0 as -0 by Object.is in toEqual). */
function plainTraces(entries: MetricBatchEntry[]): unknown[] {
  return entries.map((entry) =>
    'error' in entry
      ? entry
      : {
          ...entry,
          steps: Array.from(entry.steps),
          values: Array.from(entry.values),
          timestamps: Array.from(entry.timestamps),
        },
  );
}

describe('binary replies of the HTTP door', () => {
  it('give a plot the same points as JSON does, in fewer bytes, within the contract', async () => {
    const framed = await call('getMetrics', plot, FRAME_CONTENT_TYPE);
    const json = await call('getMetrics', plot);
    expect(framed.type).toBe(FRAME_CONTENT_TYPE);
    expect(json.type).toMatch(/^application\/json/u);
    expect(framed.envelope.ok).toBe(true);
    const fromFrame = methods.getMetrics.result.parse(framed.envelope.result);
    const fromJson = methods.getMetrics.result.parse(json.envelope.result);
    const entries = unpackMetricBatch(fromFrame);
    expect(plainTraces(entries)).toEqual(plainTraces(unpackMetricBatch(fromJson)));
    expect(entries[1]).toMatchObject({ error: { code: 'NOT_FOUND' } });
    // The fixture's NaN point survives, and the arrays are views of the reply (no copy).
    expect(Array.from((entries[0] as { values: Float64Array }).values).some(Number.isNaN)).toBe(
      true,
    );
    expect(fromFrame.points.buffer.byteLength).toBe(framed.bytes);
    expect(framed.bytes).toBeLessThan(json.bytes);
  });

  it('ask nothing of the page for replies without arrays, nor for errors', async () => {
    const sources = await call('listSources', {}, FRAME_CONTENT_TYPE);
    expect(sources.type).toMatch(/^application\/json/u);
    expect(sources.envelope.ok).toBe(true);
    const refused = await call('getMetrics', { traces: [] }, `text/html, ${FRAME_CONTENT_TYPE}`);
    expect(refused.status).toBe(400);
    expect(refused.type).toMatch(/^application\/json/u);
    expect(refused.envelope.error?.code).toBe('INVALID_ARGUMENT');
  });

  it('are only sent to a caller that lists the frame type in Accept', async () => {
    for (const accept of ['*/*', 'application/json', 'application/octet-streamx']) {
      const reply = await call('getMetrics', plot, accept);
      expect(reply.type).toMatch(/^application\/json/u);
      expect(reply.envelope.ok).toBe(true);
    }
    const listed = await call('getMetrics', plot, `application/json;q=0.5, ${FRAME_CONTENT_TYPE}`);
    expect(listed.type).toBe(FRAME_CONTENT_TYPE);
  });
});
