import { Int32, Long, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { existingRun, idKey, placeRuns, runIdentity } from '../../main/core/backup/id-remapping';

const run = (id: unknown, name: string, start = new Date(Date.UTC(2026, 0, 1))) => ({
  _id: id,
  experiment: { name },
  command: 'main',
  start_time: start,
  host: { hostname: 'vm' },
  config: { seed: new Int32(7) },
});
const incoming = (doc: ReturnType<typeof run>) => ({ id: doc._id, identity: runIdentity(doc) });

describe('placing imported runs', () => {
  it('keeps a free id, skips the same run, and gives a taken id the next integer', () => {
    const target = [run(new Int32(1), 'a'), run(new Int32(5), 'b')].map(existingRun);
    const placements = placeRuns(
      [incoming(run(1, 'a')), incoming(run(new Int32(5), 'other')), incoming(run(3, 'c'))],
      target,
    );
    expect(placements.map((p) => p.kind)).toEqual(['present', 'renamed', 'insert']);
    expect(idKey(placements[1]?.targetId)).toBe('n:6');
    expect(idKey(placements[2]?.targetId)).toBe('n:3');
  });

  it('never hands out an id an incoming run keeps', () => {
    const target = [run(new Int32(1), 'a')].map(existingRun);
    const placements = placeRuns([incoming(run(1, 'x')), incoming(run(2, 'y'))], target);
    expect(placements.map((p) => [p.kind, idKey(p.targetId)])).toEqual([
      ['renamed', 'n:3'],
      ['insert', 'n:2'],
    ]);
  });

  it('recognises a run renamed by an earlier import', () => {
    const earlier = { ...run(new Int32(9), 'a'), info: { altar_import: { original_id: 1 } } };
    const placements = placeRuns(
      [incoming(run(1, 'a'))],
      [existingRun(run(1, 'z')), existingRun(earlier)],
    );
    expect(placements).toEqual([{ kind: 'present', targetId: new Int32(9) }]);
  });

  it('compares ids by value across BSON number types, and apart from strings and ObjectIds', () => {
    expect(idKey(1)).toBe(idKey(new Int32(1)));
    expect(idKey(Long.fromNumber(1))).toBe(idKey(1));
    expect(idKey('1')).not.toBe(idKey(1));
    const oid = new ObjectId();
    expect(idKey(oid)).toBe(`o:${oid.toHexString()}`);
  });

  it('treats runs with another start time as different runs', () => {
    expect(runIdentity(run(1, 'a'))).not.toBe(runIdentity(run(1, 'a', new Date(0))));
  });
});
