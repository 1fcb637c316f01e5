import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium, which .ci/run installs (playwright-core downloads no browser). */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, no sandbox (tests run as root in CI), nothing fetched from the network by the browser itself. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

export interface LaunchOptions {
  /** Default 1100 x 900. */
  viewport?: { width: number; height: number };
  /** Default false: only a page test that downloads (the Issue page's ZIP) takes them. */
  acceptDownloads?: boolean;
}

/** A browser with a fresh profile, removed by close(), in the given language and Rome's time zone. */
export async function launchChromium(locale: string, options: LaunchOptions = {}): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'badge-notary-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    locale,
    timezoneId: 'Europe/Rome',
    viewport: options.viewport ?? { width: 1100, height: 900 },
    acceptDownloads: options.acceptDownloads ?? false,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
