import { describe, expect, it } from 'vitest';
import { suggestMongoSourceName, sanitizeSourceName } from '../../renderer/src/model/source-name';
import { suggestSourceName } from '../../renderer/src/model/source-name';
import { SourceNameSchema } from '../../shared/contract';

describe('suggestMongoSourceName', () => {
  it('joins profile, database and prefix with dashes', () => {
    expect(suggestMongoSourceName('lab', 'sacred', null)).toBe('lab-sacred');
    expect(suggestMongoSourceName('lab', 'sacred', 'mnist')).toBe('lab-sacred-mnist');
  });

  it('turns spaces and symbols of a profile name into a valid source name', () => {
    const name = suggestMongoSourceName('Lab server (GPU #2)', 'exp/db', 'vision v2');
    expect(name).toBe('Lab_server_GPU_2-exp_db-vision_v2');
    expect(SourceNameSchema.safeParse(name).success).toBe(true);
  });

  it('skips parts that have nothing valid left instead of leaving stray dashes', () => {
    expect(suggestMongoSourceName('☃☃', 'sacred', null)).toBe('sacred');
    expect(suggestMongoSourceName('lab', 'sacred', '')).toBe('lab-sacred');
  });

  it('never exceeds the 64 characters the contract allows', () => {
    const name = suggestMongoSourceName('p'.repeat(60), 'database', 'prefix');
    expect(name).toHaveLength(64);
    expect(SourceNameSchema.safeParse(name).success).toBe(true);
  });

  it('keeps non-ASCII letters out, since the rule is \\w without Unicode classes', () => {
    const name = suggestMongoSourceName('Jürgen', 'daten', null);
    expect(SourceNameSchema.safeParse(name).success).toBe(true);
    expect(name).toBe('J_rgen-daten');
  });
});

describe('sanitizeSourceName', () => {
  it('gives an empty string for text with nothing usable, which the form then rejects', () => {
    expect(sanitizeSourceName('   ')).toBe('');
    expect(SourceNameSchema.safeParse(sanitizeSourceName('!!!')).success).toBe(false);
  });

  it('still serves folder paths the same way', () => {
    expect(suggestSourceName('/data/my runs/')).toBe('my_runs');
  });
});
