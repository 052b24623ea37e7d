/**
 * The console's performance as a person meets it, measured in Debian's Chromium with Playwright
 * against a demo gateway over the bundled simulators (scale 1, seed 42). Nothing is asserted; the
 * figures are printed and written to bench/RESULTS-console.md, beside issue 13's targets:
 *
 * - first page interactive from a cold cache (a new browser context each run: empty HTTP cache):
 *   from navigation start to the first sign-in card's button being visible and enabled (≤ 2 s);
 * - the README enterprise's lifecycle: from pressing Enter on its USCC in the search to its name
 *   shown on the lifecycle page, for a newly signed-in county-analyst (≤ 1 s);
 * - the initial bundle: what index.html loads before any route (its script, module preloads and
 *   styles), gzipped at level 9 as a server would send it (< 1 MB).
 *
 *   npm run bench:console            (BENCH_ROUNDS=5 by default)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { CONSOLE_DIST_DIR } from '../src/http/console-routes.ts';
import { launchChromium } from '../test/support/chromium.ts';
import { startTestGateway } from '../test/support/gateway.ts';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const README_SUBJECT = '91330381MA2G2YEE23';

interface Asset {
  file: string;
  bytes: number;
  gzipped: number;
}

/** Every file index.html itself names: the entry script, its module preloads and stylesheets. */
function initialBundle(): Asset[] {
  const html = readFileSync(join(CONSOLE_DIST_DIR, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  return files.map((file) => {
    const content = readFileSync(join(CONSOLE_DIST_DIR, file));
    return { file, bytes: content.length, gzipped: gzipSync(content, { level: 9 }).length };
  });
}

function summary(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `median ${median.toFixed(0)} ms (min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)}; runs ${values.map((v) => v.toFixed(0)).join(', ')})`;
}

const gw = await startTestGateway({ authRequired: true, upstreamTimeoutMs: 10_000 });
const browser = await launchChromium();
const firstPage: number[] = [];
const lifecycle: number[] = [];
try {
  // One unmeasured round: the gateway's first requests compile its code paths, not the console's.
  for (let round = 0; round <= ROUNDS; round += 1) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${gw.url}/`);
    const button = page.getByTestId('preset-county-analyst').getByRole('button');
    await button.waitFor({ state: 'visible', timeout: 30_000 });
    // performance.now() counts from the navigation's start in the page's own clock.
    const interactive = await button.evaluate((element) =>
      (element as HTMLButtonElement).disabled ? Number.NaN : performance.now(),
    );
    await button.click();
    await page.getByTestId('signed-in-as').waitFor();
    const search = page.getByTestId('enterprise-search');
    await search.fill(README_SUBJECT);
    const pressed = performance.now();
    await search.press('Enter');
    await page.getByTestId('subject-name').getByText('瑞安市隆瑞服饰有限公司').waitFor({ timeout: 30_000 });
    const shown = performance.now() - pressed;
    if (round > 0) {
      firstPage.push(interactive);
      lifecycle.push(shown);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await gw.close();
}

const assets = initialBundle();
const gzipped = assets.reduce((sum, asset) => sum + asset.gzipped, 0);
const raw = assets.reduce((sum, asset) => sum + asset.bytes, 0);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const report = [
  '# Console performance (`npm run bench:console`)',
  '',
  `${new Date().toISOString()}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}, ${ROUNDS} rounds, Debian Chromium headless, viewport 1366×768.`,
  '',
  '| measure | target | measured |',
  '|---|---|---|',
  `| first page interactive, cold cache | ≤ 2000 ms | ${summary(firstPage)} |`,
  `| README enterprise's lifecycle after the search | ≤ 1000 ms | ${summary(lifecycle)} |`,
  `| initial bundle, gzipped | < 1 MB | ${kb(gzipped)} (${kb(raw)} raw) |`,
  '',
  'Initial bundle by file (gzipped): ' +
    assets.map((a) => `${a.file.replace(/^assets\//, '')} ${kb(a.gzipped)}`).join(', ') +
    '.',
  '',
].join('\n');
process.stdout.write(report);
writeFileSync(new URL('RESULTS-console.md', import.meta.url), report);
