// A plot's runs come in one getRuns call (issue 13): the runs already open are not asked
// again, a run the core cannot read is named with its reason while the others plot, and the
// runs keep the order the user selected them in.
import { describe, expect, it } from 'vitest';
import type { AltarApi, RunDetail } from '../../shared/contract';
import { loadPlotRunDetails } from '../../renderer/src/model/plot-run-details';
import { fakeRunSummary } from './fake-run-summary';

function detail(source: string, id: string): RunDetail {
  return {
    ...fakeRunSummary({ source, id, config: { lr: Number(id) } }),
    info: {},
    hostInfo: {},
    experimentInfo: {},
    meta: {},
    failTrace: null,
    sourceFiles: [],
    resources: [],
    capturedOutputBytes: 0,
    warnings: [],
  };
}

/** A core with runs 1–3 of source "s": records each call's keys. */
function fakeGetRuns(calls: string[][]): AltarApi['getRuns'] {
  return async ({ runs }) => {
    calls.push(runs.map((run) => `${run.source}/${run.id}`));
    return {
      runs: runs.map((run) =>
        run.source === 's' && ['1', '2', '3'].includes(run.id)
          ? detail(run.source, run.id)
          : {
              error: {
                code: 'NOT_FOUND',
                message: `Source "${run.source}" has no run "${run.id}".`,
              },
            },
      ),
    };
  };
}

describe('loadPlotRunDetails', () => {
  it('asks every run not already open in one call, and keeps the selection order', async () => {
    const calls: string[][] = [];
    const open = detail('s', '2');
    const loaded = await loadPlotRunDetails(
      fakeGetRuns(calls),
      [
        { source: 's', id: '3' },
        { source: 's', id: '2' },
        { source: 's', id: '1' },
      ],
      [open],
    );
    expect(calls).toEqual([['s/3', 's/1']]);
    expect(loaded.map((item) => ('run' in item ? item.run.id : 'failed'))).toEqual(['3', '2', '1']);
    // The open run is used as it is (not a fresh copy).
    expect(loaded[1]).toEqual({ key: 's\u00002', run: open });
  });

  it('names a run that cannot be read with its reason and still gives the others', async () => {
    const loaded = await loadPlotRunDetails(fakeGetRuns([]), [
      { source: 's', id: '1' },
      { source: 's', id: '99' },
      { source: 'gone', id: '1' },
    ]);
    expect(loaded).toEqual([
      { key: 's\u00001', run: detail('s', '1') },
      { key: 's\u000099', failed: 'Source "s" has no run "99".' },
      { key: 'gone\u00001', failed: 'Source "gone" has no run "1".' },
    ]);
  });

  it('makes no call when every run is already open', async () => {
    const calls: string[][] = [];
    const loaded = await loadPlotRunDetails(
      fakeGetRuns(calls),
      [{ source: 's', id: '1' }],
      [detail('s', '1')],
    );
    expect(calls).toEqual([]);
    expect(loaded).toHaveLength(1);
  });

  it('fails as a whole when the call fails (the plot says the runs could not be loaded)', async () => {
    const failing: AltarApi['getRuns'] = async () => {
      throw new Error('The app stopped answering.');
    };
    await expect(loadPlotRunDetails(failing, [{ source: 's', id: '1' }])).rejects.toThrow(
      'The app stopped answering.',
    );
  });

  it('says so when the answer has fewer runs than were asked', async () => {
    const short: AltarApi['getRuns'] = async () => ({ runs: [detail('s', '1')] });
    const loaded = await loadPlotRunDetails(short, [
      { source: 's', id: '1' },
      { source: 's', id: '2' },
    ]);
    expect(loaded[1]).toEqual({ key: 's\u00002', failed: 'The run was not answered.' });
  });
});
