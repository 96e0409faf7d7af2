import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function layeringErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

// The layers of DESIGN.md, checked against the real eslint.config.js.
describe('the import-restriction rule keeps the layers apart', () => {
  it.each([
    ['main/core/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    [
      'main/core/x.ts',
      "import { startHttpHost } from '../hosts/http-host';\nexport const a = startHttpHost;\n",
    ],
    ['shared/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n"],
    [
      'shared/x.ts',
      "import { createAltarCore } from '../main/core/altar-core';\nexport const a = createAltarCore;\n",
    ],
    [
      'renderer/src/x.ts',
      "import { createAltarCore } from '../../main/core/altar-core';\nexport const a = createAltarCore;\n",
    ],
    [
      'renderer/src/x.ts',
      "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n",
    ],
    ['main/hosts/x.ts', "import { ipcMain } from 'electron';\nexport const a = ipcMain;\n"],
    ['main/cli/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    [
      'preload/x.ts',
      "import { createAltarCore } from '../main/core/altar-core';\nexport const a = createAltarCore;\n",
    ],
  ])('refuses in %s: %s', async (file, code) => {
    expect(await layeringErrors(file, code)).not.toHaveLength(0);
  });

  it.each([
    [
      'main/core/x.ts',
      "import { methods } from '../../shared/contract';\nexport const a = methods;\n",
    ],
    ['main/electron/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    [
      'main/hosts/x.ts',
      "import type { CoreService } from '../core/core-service';\nexport type A = CoreService;\n",
    ],
    [
      'preload/x.ts',
      "import { contextBridge } from 'electron';\nexport const a = contextBridge;\n",
    ],
  ])('allows in %s: %s', async (file, code) => {
    expect(await layeringErrors(file, code)).toEqual([]);
  });
});
