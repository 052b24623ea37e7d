import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRESETS } from '../../src/auth/demo-presets.ts';
import { CONSOLE_DIST_DIR } from '../../src/http/console-routes.ts';
import { buildUscc } from '../../src/identifiers/uscc.ts';
import { isLocalRequest, launchChromium } from '../support/chromium.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

// `CONSOLE_SCREENSHOTS=docs/screenshots npx vitest run test/console/console-in-browser.test.ts` refreshes the README's pictures.
const screenshotDir = process.env.CONSOLE_SCREENSHOTS;
const README_SUBJECT = '91330381MA2G2YEE23';
// Inspection JC2018000209 of 瑞安市平阳坑镇德立食品店 found a violation and passed it to nobody (the README's walk-through).
const WALK_SUBJECT = '92330381MA3CW97FXA';
const WALK_INSPECTION = 'JC2018000209';

let gw: TestGateway;
let browser: Browser | undefined;
let page: Page;
const offsite: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  // A long upstream timeout: the registry's one sync at start must not time out on a loaded machine,
  // or transfers cannot be routed (the subject's township comes from the registry).
  // TRUSTED_DOCUMENTS=console: every flow below also proves the console sends only its committed operations.
  gw = await startTestGateway({
    authRequired: true,
    upstreamTimeoutMs: 10_000,
    env: { LOOP_INDEX_SYNC_INTERVAL_MS: String(3_600_000), TRUSTED_DOCUMENTS: 'console' },
  });
});
afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

async function shoot(name: string): Promise<void> {
  if (!screenshotDir) return;
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

async function signInAs(preset: string): Promise<void> {
  await page.goto(`${gw.url}/`);
  const card = page.getByTestId(`preset-${preset}`);
  await card.waitFor({ timeout: 30_000 });
  await card.getByRole('button').click();
  await page.getByTestId('signed-in-as').waitFor();
}

/** Moves the focus with the keyboard until the focused element matches the selector (at most 60 presses). */
async function tabTo(selector: string, key = 'Tab'): Promise<void> {
  for (let presses = 0; presses < 60; presses += 1) {
    await page.keyboard.press(key);
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
  }
  throw new Error(`${selector} could not be reached with ${key}`);
}

async function signOut(): Promise<void> {
  await page.getByRole('button', { name: /退\s*出|Sign out/ }).click();
  await page.getByText('选择演示身份').waitFor();
}

describe('the console in a real browser', () => {
  it('is built (npm install runs npm run build:web)', () => {
    expect(readFileSync(join(CONSOLE_DIST_DIR, 'index.html'), 'utf8')).toContain('<div id="root">');
  });

  it('signs in with a demo preset card that says what the role may see', async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
    page.on('request', (request) => {
      if (!isLocalRequest(request.url())) offsite.push(request.url());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${gw.url}/`);
    const card = page.getByTestId('preset-county-analyst');
    await card.waitFor({ timeout: 30_000 });
    await expect(card.textContent()).resolves.toContain('需事项编号和共享授权');
    // A preset added to the issuer without its words here would show its English description in the Chinese page.
    const sees = await page.getByTestId('preset-sees').allTextContents();
    expect(sees).toHaveLength(DEMO_PRESETS.length);
    for (const words of sees) expect(words).toMatch(/^[\u4e00-\u9fff]/);
    await shoot('sign-in');
    await card.getByRole('button').click();
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toContain('瑞安市大数据分析办');
  });

  it("explains a USCC's check as it is typed, opens the lifecycle, and shows a refused field as a lock with its rule", async () => {
    const search = page.getByTestId('enterprise-search');
    await search.fill('91330381MA2G2YEE2');
    await search.press('End');
    await search.pressSequentially('4');
    await expect(page.getByTestId('uscc-check').textContent()).resolves.toMatch(/校验未通过.*check character/);
    await search.fill(README_SUBJECT);
    await page.getByTestId('uscc-check').getByText('校验通过').waitFor();
    await search.press('Enter');
    await expect(page.getByTestId('subject-name').textContent()).resolves.toBe('瑞安市隆瑞服饰有限公司');
    await expect(page.locator('[data-stage="APPROVAL"]').textContent()).resolves.toContain('断点');
    await page.getByTestId('chain').locator('.ant-collapse-header').first().click();
    const lock = page.getByTestId('clues-field').getByTestId('locked-field').first();
    await expect(lock.getAttribute('data-rule')).resolves.toBe('purpose-required');
    await expect(lock.textContent()).resolves.toContain('需要事项编号');
    await shoot('lifecycle');

    // With a matter the rule that refuses is the missing sharing grant.
    await page.locator('#matter-field').fill('瑞综执立〔2026〕901号');
    await page.locator('#matter-field').press('Enter');
    await page.getByTestId('chain').locator('.ant-collapse-header').first().click();
    const grantLock = page.getByTestId('clues-field').getByTestId('locked-field').first();
    await grantLock.waitFor();
    await expect(grantLock.getAttribute('data-rule')).resolves.toBe('no-grant');
    await expect(grantLock.textContent()).resolves.toContain('需要共享授权');
  });

  it('filters the loop breaks by kind and exports exactly the filtered breaks as CSV and XLSX', async () => {
    const expected = await gw.post<{ loopGaps: { totalCount: number } }>(
      '{ loopGaps(filter: { kinds: [PERMIT_VALID_AFTER_REVOCATION] }) { totalCount } }',
      undefined,
      await gw.as('county-analyst'),
    );
    const total = expected.body.data?.loopGaps.totalCount ?? 0;
    expect(total).toBeGreaterThan(0);

    await page.goto(`${gw.url}/#/gaps`);
    await page.getByTestId('gaps-table').waitFor();
    await page.locator('#kinds').click();
    await page.locator('#kinds').fill('PERMIT_VALID_AFTER_REVOCATION');
    await page.locator('#kinds').press('Enter');
    await page.getByRole('button', { name: /筛\s*选/ }).click();
    await page.getByTestId('gaps-by-kind').getByText(String(total)).waitFor();
    const kinds = await page.getByTestId('gaps-table').locator('tbody tr td:first-child').allTextContents();
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds)).toEqual(new Set(['吊销后许可仍有效']));
    await shoot('loop-breaks');

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const csv = readFileSync(await csvDownload.path(), 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(csv[0]).toContain('kind,recordId,subjectUscc');
    expect(csv.slice(1)).toHaveLength(total);
    expect(csv.slice(1).every((line) => line.startsWith('PERMIT_VALID_AFTER_REVOCATION,'))).toBe(true);

    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await xlsxDownload.path());
    const sheet = workbook.worksheets[0];
    expect(sheet?.rowCount).toBe(total + 1);
    expect(sheet?.getRow(2).getCell(1).value).toBe('PERMIT_VALID_AFTER_REVOCATION');
  });

  it('opens the assessment chart with its sortable table', async () => {
    await page.goto(`${gw.url}/#/assessment`);
    await page.getByTestId('assessment-chart').locator('canvas').first().waitFor({ timeout: 30_000 });
    await page.getByTestId('assessment-table').locator('tbody tr.ant-table-row').first().waitFor();
    await shoot('assessment');
  });

  it('shows the permit check of several enterprises with the credit-check verdict for the item chosen', async () => {
    // A subject of the demo world the food-permit bar (食品安全法 第135条) refuses, as the simulator lists it.
    const manifest = await gw.simulators.control('credit').creditCheckManifest();
    const barred = manifest.triggered.find((c) => c.rule === 'revoked-food-permit-bar');
    expect(barred, 'the demo world has a subject the food-permit bar refuses').toBeDefined();
    const { subjectUscc, item, refs } = barred!;
    const codes = [README_SUBJECT, WALK_SUBJECT, subjectUscc];

    await page.goto(`${gw.url}/#/permit-check`);
    await page.locator('#permit-item').click();
    await page.locator('#permit-item').fill(item);
    await page.locator('.ant-select-item-option').filter({ hasText: item }).first().click();
    await page.getByTestId('permit-check-input').fill(codes.join('\n'));
    await page.getByRole('button', { name: /核\s*查/ }).click();
    await page.getByTestId('permit-check-card').first().getByText('PERMIT_REVOCATION').first().waitFor();
    await page.getByTestId('permit-check-card').nth(1).waitFor();
    expect(await page.getByTestId('permit-check-card').count()).toBe(new Set(codes).size);

    const card = page.getByTestId('permit-check-card').filter({ hasText: subjectUscc });
    const verdict = card.getByTestId('credit-verdict');
    await verdict.waitFor({ timeout: 30_000 });
    const headline = verdict.getByTestId('verdict-tag').first();
    await expect(headline.getAttribute('data-verdict')).resolves.toBe('REFUSE');
    await expect(headline.textContent()).resolves.toContain('不予审批');
    const reason = verdict.locator('[data-testid="credit-reason"][data-rule="revoked-food-permit-bar"]');
    await expect(reason.textContent()).resolves.toContain(refs.decisionNo!);
    await expect(reason.textContent()).resolves.toContain('第一百三十五条');
    // The analyst holds no grant for execution data: that rule is a lock naming the field, never clear.
    const lock = verdict.locator('[data-testid="credit-rule-not-evaluated"][data-rule="unexecuted-fine"]');
    await expect(lock.textContent()).resolves.toContain('Penalty.executionStatus');
    await expect(verdict.getByTestId('verdict-incomplete').textContent()).resolves.toContain('部分规则未评估');
    // Every applicant entered has a verdict from the one batch request.
    expect(await page.getByTestId('credit-verdict').count()).toBe(new Set(codes).size);
    await shoot('permit-check');
  });

  it('marks a rule whose records an agency answered unreadably, naming the source, and shows no clear verdict', async () => {
    const manifest = await gw.simulators.control('credit').creditCheckManifest();
    const barred = manifest.triggered.filter((c) => c.rule === 'revoked-food-permit-bar')[1]!;
    // The approval system answers the revoked permit with a status the gateway cannot read.
    await gw.simulators.control('approval').mutate('permit', barred.refs.permitNo!, { status: 9 });

    await page.goto(`${gw.url}/#/permit-check`);
    // The item chosen before stays shown over the search box: click through it.
    await page.locator('#permit-item').click({ force: true });
    await page.locator('#permit-item').fill(barred.item);
    await page.locator('.ant-select-item-option').filter({ hasText: barred.item }).first().click();
    await page.getByTestId('permit-check-input').fill(barred.subjectUscc);
    await page.getByRole('button', { name: /核\s*查/ }).click();
    const verdict = page
      .getByTestId('permit-check-card')
      .filter({ hasText: barred.subjectUscc })
      .getByTestId('credit-verdict');
    await verdict.waitFor({ timeout: 30_000 });
    const unread = verdict.locator('[data-testid="credit-rule-not-evaluated"][data-rule="revoked-food-permit-bar"]');
    await expect(unread.getAttribute('data-reason')).resolves.toBe('RECORDS_NOT_READABLE');
    await expect(unread.textContent()).resolves.toContain('部门数据无法读取');
    await expect(unread.textContent()).resolves.toContain('approval.permit');
    await expect(verdict.getByTestId('verdict-incomplete').textContent()).resolves.toContain('部分规则未评估');
  });

  it('names the applicant no agency knows and shows no verdict for anyone in that batch', async () => {
    const unknown = buildUscc({
      authority: '9',
      subjectType: '1',
      divisionCode: '330381',
      organisationBody: '00000001',
    });
    await page.getByTestId('permit-check-input').fill(`${WALK_SUBJECT}\n${unknown}`);
    await page.getByRole('button', { name: /核\s*查/ }).click();
    const error = page.getByTestId('credit-check-error');
    await error.waitFor({ timeout: 30_000 });
    await expect(error.textContent()).resolves.toContain('UNKNOWN_SUBJECT');
    await expect(error.textContent()).resolves.toContain(unknown);
    await page.getByTestId('credit-verdict-failed').first().waitFor();
    expect(await page.getByTestId('credit-verdict').count()).toBe(0);
  });

  it('works by keyboard alone: sign in, search, open the chain, go to the loop breaks', async () => {
    await signOut();
    await page.goto(`${gw.url}/`);
    await page.getByTestId('preset-county-analyst').waitFor({ timeout: 30_000 });
    await tabTo('[aria-label$="county-analyst"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('signed-in-as').waitFor();
    await tabTo('[data-testid="enterprise-search"]');
    await page.keyboard.type(README_SUBJECT);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('subject-name').textContent()).resolves.toBe('瑞安市隆瑞服饰有限公司');
    await tabTo('[data-testid="chain"] .ant-collapse-header');
    await page.keyboard.press('Enter');
    await page.getByTestId('clues-field').getByTestId('locked-field').first().waitFor();
    // Backwards to the menu, past the page's own controls.
    await tabTo('a[href="#/gaps"]', 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByTestId('gaps-table').waitFor();
  });

  it('fits 1366×768 and switches to English', async () => {
    await page.goto(`${gw.url}/#/enterprise/${README_SUBJECT}`);
    await page.getByTestId('subject-name').waitFor();
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('button', { name: /Sign out/ }).waitFor();
    // The stage status is a word, not only a colour.
    await expect(page.locator('[data-stage="APPROVAL"]').textContent()).resolves.toMatch(/broken/i);
    // Nothing wider than the window: no horizontal scroll bar at 1366 px.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    if (screenshotDir) await page.screenshot({ path: join(screenshotDir, 'lifecycle-en-1366x768.png') });
    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('button', { name: /退\s*出/ }).waitFor();
  });

  it('sends a clue from a loop gap and the receiver sees it in its inbox', async () => {
    await signOut();
    await signInAs('industry-inspector');
    await page.goto(`${gw.url}/#/transfers?subject=${WALK_SUBJECT}&inspection=${WALK_INSPECTION}`);
    const form = page.getByTestId('send-transfer-form');
    await form.waitFor();
    await page.locator('#powerItemCode').click();
    await page.locator('#powerItemCode').fill('330381-CF-0005');
    await page.locator('.ant-select-item-option').filter({ hasText: '330381-CF-0005' }).first().click();
    await page.locator('#findings').fill('检查发现货架上有超过保质期的食品仍在销售');
    await form.getByRole('button', { name: /移送线索/ }).click();
    const outcome = page.getByTestId('send-outcome');
    await expect(outcome.textContent()).resolves.toContain('瑞安市综合行政执法局');
    await page.getByTestId('transfers-outbox').getByText(WALK_SUBJECT).first().waitFor();
    await shoot('transfers-sent');

    await signOut();
    await signInAs('county-enforcement');
    await page.goto(`${gw.url}/#/transfers`);
    await page.getByTestId('transfers-inbox').getByText(WALK_SUBJECT).first().waitFor({ timeout: 30_000 });
    await page.getByTestId('transfers-inbox').getByRole('link', { name: /详情/ }).first().click();
    await page.getByTestId('transfer-history').getByText('SENT').first().waitFor();
    await shoot('transfers-inbox');
  });

  it('lets the receiver report a step and extend the deadline once', async () => {
    const detail = page.getByTestId('transfer-detail');
    const dueBefore = await detail
      .locator('.ant-descriptions-item')
      .filter({ hasText: /答复期限|Answer due/ })
      .textContent();
    // The step selector starts at RECEIVED, the only step a SENT transfer allows.
    await detail.getByRole('textbox').fill('已签收，安排人员核查');
    await detail.getByRole('button', { name: /报告进展/ }).click();
    await page.getByTestId('transfer-history').getByText('SENT → RECEIVED').waitFor();
    await expect(page.getByTestId('transfer-history').textContent()).resolves.toContain('已签收，安排人员核查');

    await detail.getByRole('textbox').fill('需调取监控录像，申请延长答复期限');
    await detail.getByRole('button', { name: /延长期限/ }).click();
    await detail.getByText('(+5)').waitFor();
    // The history is fetched again after the detail; wait for it rather than read it at once.
    await page.getByTestId('transfer-history').getByText('EXTENDED').first().waitFor();
    const dueAfter = await detail
      .locator('.ant-descriptions-item')
      .filter({ hasText: /答复期限|Answer due/ })
      .textContent();
    expect(dueAfter).not.toBe(dueBefore);
    // Once only: the button is disabled after the extension.
    await expect(detail.getByRole('button', { name: /延长期限/ }).isDisabled()).resolves.toBe(true);
    await shoot('transfer-detail');

    expect(offsite).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
