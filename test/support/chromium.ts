import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); never a browser playwright downloads. */
const CHROMIUM = '/usr/bin/chromium';

/**
 * `describe` for a suite that needs a real browser. CI installs Chromium and always runs such
 * a suite (a missing browser fails it there); a developer's `npm test` without Chromium skips
 * it and says so.
 */
export function describeWithBrowser(name: string, suite: () => void): void {
  if (existsSync(CHROMIUM) || process.env.CI) {
    describe(name, suite);
    return;
  }
  console.warn(`Skipping "${name}": ${CHROMIUM} is missing (apt-get install -y chromium)`);
  describe.skip(name, suite);
}

/** Chromium, headless, as the suites drive it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox'] });
}
