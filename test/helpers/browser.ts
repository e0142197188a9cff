import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (installed by .ci/run): browser tests never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Where tests put screenshots (ignored by git). */
export const ARTIFACTS = path.resolve(import.meta.dirname, '../artifacts');

/** Everything that would reach the internet or a Google service is off. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Headless Chromium for browser tests. Playwright refuses a --user-data-dir argument with
 * launch(); it starts every browser with a new empty profile folder of its own (a fresh temp
 * --user-data-dir, deleted on close), which is what we want. browser.newContext() gives
 * isolated sessions, e.g. a resident and a team lead side by side.
 */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}
