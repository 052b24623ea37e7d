import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

/**
 * Agency data is not the console's: an enterprise name, an authority's or a township's name
 * (the console shows no address, findings or penalty reason) may carry markup or a spreadsheet formula. Planted in the world
 * the simulators serve, each must show as the text it is (React, Ant Design and the ECharts
 * tooltips) and leave the console's exports as text.
 */
const MARKUP = '<img src=x data-planted onerror=alert(1)>';
const FORMULA = '=HYPERLINK("http://evil.example/","点此")';
const SUBJECT = '91330381MA2G2YEE23';

let gw: TestGateway;
let browser: Browser | undefined;
let page: Page;
const dialogs: string[] = [];
const violations: string[] = [];

beforeAll(async () => {
  gw = await startTestGateway({
    authRequired: true,
    upstreamTimeoutMs: 10_000,
    env: { LOOP_INDEX_SYNC_INTERVAL_MS: String(3_600_000) },
    alterWorld: (world) => {
      const enterprise = world.enterprises.find((e) => e.uscc === SUBJECT)!;
      enterprise.name = `${enterprise.name}${MARKUP}`;
      for (const inspection of world.inspections.filter((i) => i.subjectCode === SUBJECT)) {
        inspection.subjectName = enterprise.name;
      }
      for (const authority of world.authorities) authority.name = `${authority.name}${MARKUP}`;
      // A township's name that starts a spreadsheet formula: the loop-break export has a township column.
      for (const place of world.jurisdictions)
        if (place.level === 'TOWNSHIP') place.name = `${FORMULA}${place.name}${MARKUP}`;
    },
  });
});
afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

/** No planted element anywhere in the page: the markup stayed text. */
async function expectNothingPlanted(): Promise<void> {
  expect(await page.locator('[data-planted]').count()).toBe(0);
  expect(dialogs).toEqual([]);
  expect(violations).toEqual([]);
}

/** Moves the mouse over the middle of a chart and returns its tooltip's text and markup. */
async function tooltipOf(testId: string): Promise<{ text: string; html: string }> {
  const chart = page.getByTestId(testId);
  const canvas = chart.locator('canvas').first();
  await canvas.waitFor({ timeout: 30_000 });
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width / 2 + 3, box.y + box.height / 2 + 3);
  // ECharts puts its HTML tooltip in a div next to the canvas.
  const tooltip = chart.locator('div[style*="z-index: 9999999"]').first();
  await tooltip.waitFor({ state: 'visible', timeout: 10_000 });
  return { text: (await tooltip.textContent()) ?? '', html: await tooltip.innerHTML() };
}

describe('the console given hostile agency text', () => {
  it('shows an enterprise name carrying markup as text on its lifecycle page', async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.exposeFunction('reportViolation', (what: string) => violations.push(what));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) =>
        (window as unknown as { reportViolation: (what: string) => void }).reportViolation(
          `${event.violatedDirective} ${event.blockedURI}`,
        ),
      );
    });
    await page.goto(`${gw.url}/`);
    const card = page.getByTestId('preset-county-analyst');
    await card.waitFor({ timeout: 30_000 });
    await card.getByRole('button').click();
    await page.getByTestId('signed-in-as').waitFor();

    await page.goto(`${gw.url}/#/enterprise/${SUBJECT}`);
    await expect(page.getByTestId('subject-name').textContent()).resolves.toContain(MARKUP);
    await expect(page.getByTestId('lifecycle').textContent()).resolves.toContain(MARKUP);
    await expectNothingPlanted();
  });

  it('shows authority and township names carrying markup as text on the assessment page and its chart tooltip', async () => {
    await page.goto(`${gw.url}/#/assessment`);
    const table = page.getByTestId('assessment-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor({ timeout: 30_000 });
    await expect(table.textContent()).resolves.toContain(MARKUP);
    // A count the analyst may not see (executions: the penalties' dates) shows a lock, never "null".
    await expect(table.textContent()).resolves.not.toMatch(/null|undefined/);
    const tooltip = await tooltipOf('delegated-chart');
    expect(tooltip.text).toContain(MARKUP);
    expect(tooltip.html).not.toContain('<img');
    await expectNothingPlanted();
  });

  it('shows township names carrying markup as text in the loop-break chart and exports them as text', async () => {
    await page.goto(`${gw.url}/#/gaps`);
    await page.getByTestId('gaps-table').waitFor({ timeout: 30_000 });
    const tooltip = await tooltipOf('gaps-by-township-chart');
    expect(tooltip.text).toContain(MARKUP);
    expect(tooltip.html).not.toContain('<img');
    await expectNothingPlanted();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const rows = readFileSync(await download.path(), 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const header = rows[0]!.split(',');
    const township = header.indexOf('township');
    expect(township).toBeGreaterThan(0);
    const named = rows.slice(1).filter((row) => row.includes('HYPERLINK'));
    expect(named.length).toBeGreaterThan(0);
    // The field is quoted (it holds quotes and commas); inside, the formula is behind an apostrophe.
    for (const row of named) expect(row).toMatch(/,"'=HYPERLINK\(/);
    expect(named.some((row) => /,"=HYPERLINK/.test(row))).toBe(false);
  });
});
