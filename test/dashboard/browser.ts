import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * The system's headless Chromium (never a downloaded one), quiet and offline. Without it the
 * dashboard tests fail (never skip) with what to install.
 */
export function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath))
    return Promise.reject(
      new Error(
        `the dashboard tests need Chromium at ${executablePath}: apt-get install chromium (or set CHROMIUM_PATH)`,
      ),
    );
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
