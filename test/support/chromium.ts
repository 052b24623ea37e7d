import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium tries Google's hosts, which this closed network refuses.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Debian's Chromium, driven by playwright-core (no browser download). Call it inside a test, not
 * a hook, so a missing browser fails that test with instructions rather than skipping it.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is not installed at ${chromiumPath}. The IDE test needs a real browser: ` +
        'run `apt-get install -y chromium` (as root), or set CHROMIUM_PATH.',
    );
  }
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

/** True for requests that stay on this machine (the page must work with no internet). */
export function isLocalRequest(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'data:' || protocol === 'blob:' || hostname === '127.0.0.1';
}
