import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AGENCY_SYSTEMS } from '../../src/domain/types.ts';
import { type Simulators, startSimulators } from '../../simulators/index.ts';
import { getJson, postJson } from './support/http-json.ts';

let sims: Simulators;

beforeAll(async () => {
  sims = await startSimulators({ seed: 42, scale: 1 });
});
afterEach(async () => {
  await Promise.all(AGENCY_SYSTEMS.map((s) => sims.control(s).clearFaults()));
});
afterAll(async () => {
  await sims.close();
});

describe('faults and stats', () => {
  it("answers HTTP 500 with each system's error envelope when errorRate is 1", async () => {
    for (const system of AGENCY_SYSTEMS) await sims.control(system).setFaults({ errorRate: 1 });
    expect(await getJson(`${sims.urls.approval}/api/enterprises`)).toEqual({
      status: 500,
      body: { code: 500, msg: 'simulated upstream failure', data: null },
    });
    expect(await getJson(`${sims.urls.supervision}/jg/inspections`)).toEqual({
      status: 500,
      body: { success: false, error_msg: 'simulated upstream failure' },
    });
    const enforcement = await getJson<{ RET_CODE: string }>(`${sims.urls.enforcement}/zf/api/CASE/LIST`);
    expect(enforcement.status).toBe(500);
    expect(enforcement.body.RET_CODE).not.toBe('0000');
    expect(await getJson(`${sims.urls.credit}/xy/subjects`)).toEqual({
      status: 500,
      body: { status: 'error', message: 'simulated upstream failure' },
    });
  });

  it('drops connections like a dead host when down, while the control API still answers', async () => {
    const control = sims.control('credit');
    await control.setFaults({ down: true });
    await expect(fetch(`${sims.urls.credit}/xy/subjects`)).rejects.toThrow();
    expect(await control.health()).toEqual({ ok: true, system: 'credit' });
    await control.clearFaults();
    expect((await getJson(`${sims.urls.credit}/xy/subjects?size=1`)).status).toBe(200);
  });

  it('never answers when timeoutRate is 1', async () => {
    await sims.control('enforcement').setFaults({ timeoutRate: 1 });
    const started = performance.now();
    await expect(
      fetch(`${sims.urls.enforcement}/zf/api/REF/ORGS`, { signal: AbortSignal.timeout(500) }),
    ).rejects.toThrow();
    expect(performance.now() - started).toBeGreaterThanOrEqual(450);
  });

  it('adds the configured latency to every answer', async () => {
    await sims.control('approval').setFaults({ latencyMs: 150, jitterMs: 10 });
    const started = performance.now();
    expect((await getJson(`${sims.urls.approval}/api/enterprises?pageSize=1`)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('refuses an unknown fault setting and a rate above 1', async () => {
    await expect(sims.control('approval').setFaults({ errorRate: 2 })).rejects.toThrow(
      /errorRate is a share between 0 and 1/,
    );
    const unknown = await postJson(`${sims.urls.approval}/__sim/faults`, { flaky: true });
    expect(unknown.status).toBe(400);
  });

  it('counts requests per method and path and the size of every batch', async () => {
    const control = sims.control('supervision');
    await control.resetStats();
    const url = `${sims.urls.supervision}/jg/inspections/batch`;
    await postJson(url, { by: 'inspection_id', values: ['JC2020000001', 'JC2020000002'] });
    await postJson(url, { by: 'inspection_id', values: ['JC2020000003'] });
    await getJson(`${sims.urls.supervision}/jg/inspections?limit=1`);
    expect(await control.stats()).toEqual({
      requests: { 'POST /jg/inspections/batch': 2, 'GET /jg/inspections': 1 },
      batchKeys: [2, 1],
    });
    await control.resetStats();
    expect(await control.stats()).toEqual({ requests: {}, batchKeys: [] });
  });

  it('finishes close() even with keep-alive and hanging requests open', async () => {
    const own = await startSimulators({ world: sims.world });
    await own.control('approval').setFaults({ timeoutRate: 1 });
    const hanging = fetch(`${own.urls.approval}/api/enterprises`).catch(() => 'closed');
    await getJson(`${own.urls.credit}/xy/subjects?size=1`);
    await own.close();
    expect(await hanging).toBe('closed');
  });
});
