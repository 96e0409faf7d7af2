// .github/workflows/package.yml runs on GitHub only (it needs internet), so its promises are
// checked by reading it: the tests gate the installers, a missing installer fails the run, a
// tag gets a draft release with every installer attached, and the installer sizes are reported.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  'runs-on': string;
  container?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix: { include: { os: string; installers: string[] }[] } };
  steps: Step[];
}

const { load } = createRequire(import.meta.url)('js-yaml') as { load: (text: string) => unknown };
const workflow = load(
  readFileSync(path.resolve(import.meta.dirname, '../../.github/workflows/package.yml'), 'utf8'),
) as { on: { push: { tags: string[] } }; jobs: Record<string, Job> };
const { jobs } = workflow;

/** The jobs `name` waits for, directly or through the jobs it waits for. */
function upstream(name: string): string[] {
  const needs = jobs[name]?.needs ?? [];
  return (Array.isArray(needs) ? needs : [needs]).flatMap((n) => [n, ...upstream(n)]);
}

function stepsUsing(job: Job, action: string): Step[] {
  return job.steps.filter((step) => step.uses?.startsWith(`${action}@`) === true);
}

describe('the packaging workflow', () => {
  it('runs npm test on Linux before any installer is built', () => {
    const testJobs = Object.entries(jobs).filter(([, job]) =>
      job.steps.some((step) => step.run?.trim() === 'npm test'),
    );
    expect(testJobs).toHaveLength(1);
    const [testJob, job] = testJobs[0]!;
    expect(job['runs-on']).toMatch(/ubuntu/);
    expect(job.steps.findIndex((s) => s.run === 'npm ci')).toBeLessThan(
      job.steps.findIndex((s) => s.run?.trim() === 'npm test'),
    );
    const builders = Object.keys(jobs).filter((name) =>
      jobs[name]!.steps.some((step) => /npm run dist|electron-builder/.test(step.run ?? '')),
    );
    expect(builders).toEqual(['installers']);
    expect(upstream('installers')).toContain(testJob);
  });

  it('builds with npm run dist, so the native module is rebuilt and its ABI checked', () => {
    const runs = jobs.installers!.steps.map((step) => step.run ?? '');
    expect(runs.some((run) => run.startsWith('npm run dist'))).toBe(true);
    expect(runs.some((run) => /(^|\s)npx electron-builder/.test(run))).toBe(false);
  });

  it('fails when any installer of any platform is missing', () => {
    const matrix = jobs.installers!.strategy!.matrix.include;
    expect(Object.fromEntries(matrix.map((m) => [m.os.split('-')[0], m.installers]))).toEqual({
      ubuntu: ['release/*.AppImage', 'release/*.deb'],
      windows: ['release/*.exe'],
      macos: ['release/*.dmg'],
    });
    const uploads = stepsUsing(jobs.installers!, 'actions/upload-artifact');
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.with?.['if-no-files-found']).toBe('error');
    // upload-artifact is satisfied by one match; each glob is checked on its own first.
    const check = jobs.installers!.steps.find((step) => step.run?.includes('compgen -G'));
    expect(check?.run).toContain('join(matrix.installers');
    expect(check?.run).toContain('exit 1');
  });

  it('attaches every installer to a draft release on version tags', () => {
    expect(workflow.on.push.tags).toEqual(['v*']);
    const release = jobs.release!;
    expect(upstream('release')).toContain('installers');
    expect(release.if).toBe("startsWith(github.ref, 'refs/tags/v')");
    expect(release.permissions).toEqual({ contents: 'write' });
    const publish = stepsUsing(release, 'softprops/action-gh-release');
    expect(publish).toHaveLength(1);
    expect(publish[0]!.with).toMatchObject({ draft: true, fail_on_unmatched_files: true });
    const files = String(publish[0]!.with?.files).trim().split('\n');
    expect(files.map((f) => path.extname(f)).sort()).toEqual(
      ['.AppImage', '.deb', '.dmg', '.exe'].sort(),
    );
  });

  it('reports the installer sizes in the job summary and in the draft release notes', () => {
    const steps = jobs.installers!.steps;
    const summary = steps.findIndex((step) =>
      /node build\/installer-sizes\.mjs release\b[\s\S]*>> "\$GITHUB_STEP_SUMMARY"/.test(
        step.run ?? '',
      ),
    );
    expect(summary).toBeGreaterThan(steps.findIndex((step) => step.run?.includes('compgen -G')));

    const release = jobs.release!.steps;
    const checkout = release.findIndex((step) => step.uses?.startsWith('actions/checkout@'));
    const download = release.findIndex((step) =>
      step.uses?.startsWith('actions/download-artifact@'),
    );
    const notes = release.findIndex((step) =>
      /node build\/installer-sizes\.mjs installers\b[\s\S]*> release-notes\.md/.test(
        step.run ?? '',
      ),
    );
    const publish = release.findIndex((step) =>
      step.uses?.startsWith('softprops/action-gh-release@'),
    );
    expect(checkout).toBeGreaterThanOrEqual(0);
    expect([checkout < download, download < notes, notes < publish]).toEqual([true, true, true]);
    expect(release[publish]!.with?.body_path).toBe('release-notes.md');
  });

  it('gives the deb the repository as its homepage instead of a made-up URL', () => {
    const steps = jobs.installers!.steps;
    const homepage = steps.findIndex(
      (step) =>
        step.run === 'npm pkg set homepage="${{ github.server_url }}/${{ github.repository }}"',
    );
    expect(homepage).toBeGreaterThanOrEqual(0);
    expect(homepage).toBeLessThan(steps.findIndex((step) => step.run?.startsWith('npm run dist')));
  });
});
