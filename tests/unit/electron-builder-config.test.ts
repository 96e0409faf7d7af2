// The packaging settings installed users depend on (issue 12 items 1, 3, 4, 5, 12), checked on
// electron-builder.yml as electron-builder itself reads and validates it: installers cannot be
// built here (no Electron download), so a wrong option name must fail this test instead.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import FpmTarget from 'app-builder-lib/out/targets/FpmTarget.js';
import type { Configuration } from 'app-builder-lib';
import { DebugLogger } from 'builder-util/out/DebugLogger.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { PRODUCT_NAME } from '../../main/core/default-data-dir';
import { DEEP_LINK_SCHEME } from '../../shared/deep-link';

const root = path.resolve(import.meta.dirname, '../..');
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<
  string,
  unknown
>;
let config: Configuration;

beforeAll(async () => {
  config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
});

describe('electron-builder.yml', () => {
  it('is valid for the electron-builder we use (option names included)', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    const broken = { ...config, electronFuses: { ...config.electronFuses, runAsnode: false } };
    await expect(validateConfiguration(broken, new DebugLogger(false))).rejects.toThrow(
      /electronFuses/u,
    );
  });

  it('registers the deep link scheme the app parses (Info.plist, .desktop MimeType)', () => {
    const protocols = [config.protocols ?? []].flat();
    expect(protocols.flatMap((protocol) => protocol.schemes)).toEqual([DEEP_LINK_SCHEME]);
  });

  it('builds the AppImage with the static runtime, which needs no libfuse2', () => {
    const toolset = config.toolsets?.appimage;
    expect(toolset).toMatch(/^[1-9]\d*\.\d+\.\d+$/u);
  });

  it('installs an AppArmor profile with the deb that allows the sandbox its user namespaces', () => {
    const profile = config.deb?.appArmorProfile;
    expect(profile).toBeTruthy();
    const text = readFileSync(path.join(root, profile!), 'utf8');
    expect(text).toMatch(/^\s*userns,$/mu);
    expect(text).toContain('"/opt/${sanitizedProductName}/${executable}"');
    expect(text).toContain('abi <abi/4.0>');
  });

  it("keeps every one of electron-builder's default deb dependencies, and adds libsecret", () => {
    // The list electron-builder uses when deb.depends is absent (a list given replaces it).
    const defaultDepends = Reflect.get(FpmTarget.prototype, 'getDefaultDepends') as (
      target: string,
    ) => string[];
    const defaults = defaultDepends.call(null, 'deb');
    expect(defaults).toContain('libgtk-3-0');
    const depends = config.deb?.depends ?? [];
    for (const name of [...defaults, 'libsecret-1-0']) expect(depends).toContain(name);
  });

  it('makes a dmg for Intel and for Apple Silicon Macs', () => {
    const targets = config.mac?.target;
    expect(Array.isArray(targets)).toBe(true);
    const dmg = (targets as { target: string; arch?: string[] }[]).find((t) => t.target === 'dmg');
    expect(dmg?.arch).toEqual(expect.arrayContaining(['x64', 'arm64']));
  });

  it('flips the Electron fuses that keep the installed app from running foreign code', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('has Windows and macOS icons made from build/icons', () => {
    const ico = readFileSync(path.join(root, config.win!.icon!));
    expect([...ico.subarray(0, 4)]).toEqual([0, 0, 1, 0]);
    expect(ico.readUInt16LE(4)).toBeGreaterThanOrEqual(4);
    const icns = readFileSync(path.join(root, config.mac!.icon!));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    expect(existsSync(path.join(root, 'build/icons/512x512.png'))).toBe(true);
  });
});

describe('package.json as the installed app reads it', () => {
  it("names the app like the CLI's data folder, so both use one folder", () => {
    expect(packageJson.productName).toBe(PRODUCT_NAME);
    expect(config.productName).toBe(PRODUCT_NAME);
  });

  it('names the desktop file after the Linux executable', () => {
    expect(packageJson.desktopName).toBe(`${config.linux?.executableName}.desktop`);
  });

  it('claims no homepage: the project has none but its repository, which packaging sets', () => {
    // The deb requires one; .github/workflows/package.yml sets the repository it runs in
    // (tests/unit/package-workflow.test.ts), and electron-builder falls back to a GitHub
    // `origin` remote for a local `npm run dist`.
    expect(packageJson.homepage).toBeUndefined();
  });

  it("asks for at least the Node.js that Electron's tooling needs", () => {
    const electronEngines = JSON.parse(
      readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8'),
    ) as { engines: { node: string } };
    const least = (range: string): number[] =>
      (/(\d+)\.(\d+)/u.exec(range) ?? []).slice(1).map(Number);
    const ours = least((packageJson.engines as { node: string }).node);
    const needed = least(electronEngines.engines.node);
    expect(ours[0]! * 1000 + ours[1]!).toBeGreaterThanOrEqual(needed[0]! * 1000 + needed[1]!);
  });
});

describe('README', () => {
  it('tells a macOS user how to open an unsigned dmg', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme).toContain('xattr -dr com.apple.quarantine "/Applications/Altar Viewer.app"');
  });
});
