// `npm start`: the Electron app when an Electron binary is installed, else the same UI served
// to the browser. Never require('electron') here: from Electron 42 on that downloads the binary.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Mirrors node_modules/electron/index.js without its download fallback. */
function findElectronBinary() {
  const packageDir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override
    ? path.join(override, executable || 'electron')
    : executable
      ? path.join(packageDir, 'dist', executable)
      : null;
  return candidate && existsSync(candidate) ? candidate : null;
}

/** Runs a child with our terminal, passes Ctrl-C and kill on to it, and exits with its code. */
function runForwarding(command, args) {
  // Handlers go in before the spawn: the child can be up and answering before spawn() returns.
  let child = null;
  const forward = (signal) => {
    if (child === null) process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', () => forward('SIGINT'));
  process.on('SIGTERM', () => forward('SIGTERM'));
  child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  child.on('error', (error) => {
    console.error(`altar-viewer: could not start ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exit(code ?? (signal ? 1 : 0));
  });
}

const electron = findElectronBinary();
if (electron) {
  // The project folder, not the .mjs: Electron then reads package.json ("main" is
  // dist/electron-main.mjs) and names the data folder after the app instead of "Electron".
  runForwarding(electron, [root]);
} else {
  console.log(
    'Electron runtime not available on this machine; serving the UI in your browser instead.',
  );
  runForwarding(process.execPath, [path.join(root, 'dist', 'cli.mjs'), 'serve']);
}
