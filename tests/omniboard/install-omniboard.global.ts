// vitest globalSetup of the Omniboard tests: install Omniboard once, before any test file
// starts, so the install (about a minute, once per checkout) counts against no test timeout.
import { ensureOmniboard, OMNIBOARD_VERSION } from './omniboard-install';

export default async function setup(): Promise<void> {
  const install = await ensureOmniboard();
  if (install.installSeconds !== null) {
    process.stdout.write(
      `omniboard@${OMNIBOARD_VERSION} installed into .cache/omniboard in ${install.installSeconds.toFixed(0)} s\n`,
    );
  }
}
