import { describe, expect, it } from 'vitest';
import { HURRIED_SLICE_MS, stepWhenIdle } from '../../renderer/src/model/idle-steps';
import type { IdleScheduler, Stepper } from '../../renderer/src/model/idle-steps';

interface FakePage {
  /** Tasks asked for with soon(), run by runSoon(). */
  soonTasks: (() => void)[];
  clock: number;
  input: boolean;
  periodMs: number;
  scheduler: IdleScheduler;
  idlePeriod(): boolean;
  waiting(): number;
}

/** A page whose clock moves only when a step runs, and whose idle periods the test hands out. */
function fakePage(): FakePage {
  const idle: ((timeRemaining: () => number) => void)[] = [];
  const page: FakePage = {
    soonTasks: [],
    clock: 0,
    input: false,
    periodMs: 50,
    scheduler: {
      whenIdle: (callback) => {
        idle.push(callback);
      },
      soon: (callback) => {
        page.soonTasks.push(callback);
      },
      now: () => page.clock,
      inputPending: () => page.input,
    },
    /** Runs the next idle period; false when none was asked for. */
    idlePeriod(): boolean {
      const callback = idle.shift();
      if (callback === undefined) return false;
      const started = page.clock;
      callback(() => page.periodMs - (page.clock - started));
      return true;
    },
    waiting: () => idle.length,
  };
  return page;
}

/** `units` units of work, each taking `unitMs` of the page's clock; records each period's run. */
function work(page: FakePage, units: number, unitMs: number) {
  const state = { done: 0, perCall: [] as number[], onUnit: (_n: number) => {} };
  const step: Stepper = (shouldStop) => {
    let ran = 0;
    while (state.done < units) {
      if (shouldStop()) {
        state.perCall.push(ran);
        return false;
      }
      page.clock += unitMs;
      state.done += 1;
      ran += 1;
      state.onUnit(state.done);
    }
    state.perCall.push(ran);
    return true;
  };
  return { state, step };
}

describe('work in idle periods (renderer/src/model/idle-steps.ts)', () => {
  it('fills each idle period with steps, never starting one past its end, until the work is done', () => {
    const page = fakePage();
    const { state, step } = work(page, 40, 3);
    stepWhenIdle(step, page.scheduler, () => false);
    expect(state.done).toBe(0);
    let periods = 0;
    while (page.idlePeriod()) periods += 1;
    expect(state.done).toBe(40);
    // 3 ms steps in 50 ms periods: 17 each (the last one starts 2 ms before the end).
    expect(state.perCall.slice(0, 2)).toEqual([17, 17]);
    expect(periods).toBe(3);
    expect(page.waiting()).toBe(0);
  });

  it('ends a slice as soon as input is pending, and goes on in a later idle period', () => {
    const page = fakePage();
    const { state, step } = work(page, 10, 1);
    state.onUnit = (n) => {
      if (n === 2) page.input = true;
    };
    stepWhenIdle(step, page.scheduler, () => false);
    page.idlePeriod();
    // The click arrived during the second unit: nothing more ran before it.
    expect(state.done).toBe(2);
    page.input = false;
    while (page.idlePeriod());
    expect(state.done).toBe(10);
  });

  it('does not run past the end of the idle period', () => {
    const page = fakePage();
    page.periodMs = 4;
    const { state, step } = work(page, 10, 2);
    stepWhenIdle(step, page.scheduler, () => false);
    page.idlePeriod();
    expect(state.done).toBe(2);
  });

  it('stops for good once the work is no longer wanted (finished in one go elsewhere)', () => {
    const page = fakePage();
    const { state, step } = work(page, 100, 1);
    let wanted = true;
    stepWhenIdle(step, page.scheduler, () => !wanted);
    page.idlePeriod();
    const before = state.done;
    expect(before).toBeGreaterThan(0);
    wanted = false;
    while (page.idlePeriod());
    expect(state.done).toBe(before);
    expect(page.waiting()).toBe(0);
  });

  it('once hurried, runs the rest in slices back to back without waiting for idle time', () => {
    const page = fakePage();
    const { state, step } = work(page, 20, 1);
    const steps = stepWhenIdle(step, page.scheduler, () => false);
    page.periodMs = 4;
    page.idlePeriod();
    expect(state.done).toBe(3);
    steps.hurry();
    let tasks = 0;
    for (let task = page.soonTasks.shift(); task !== undefined; task = page.soonTasks.shift()) {
      task();
      tasks += 1;
    }
    expect(state.done).toBe(20);
    // Still in slices: the page answers between them.
    expect(state.perCall.slice(1, -1)).toEqual(
      Array.from({ length: state.perCall.length - 2 }, () => HURRIED_SLICE_MS - 1),
    );
    expect(tasks).toBe(Math.ceil((20 - 3) / (HURRIED_SLICE_MS - 1)));
    // The idle callback asked before the hurry does nothing when it comes.
    const before = state.perCall.length;
    while (page.idlePeriod());
    expect(state.perCall.length).toBe(before);
  });
});
