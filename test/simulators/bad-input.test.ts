import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulators, startSimulators } from '../../simulators/index.ts';
import { getJson, postJson } from './support/http-json.ts';

let sims: Simulators;

beforeAll(async () => {
  sims = await startSimulators({ seed: 42, scale: 1 });
});
afterAll(async () => {
  await sims.close();
});

const tooMany = Array.from({ length: 201 }, (_, i) => `K${i}`);

describe("bad requests get HTTP 400 in the system's own error envelope with a specific message", () => {
  it('approval refuses bad JSON, an unknown batch field, 201 keys and a page size over 500', async () => {
    const url = `${sims.urls.approval}/api/enterprises/batch`;
    expect(await postJson(url, '{"usccs": [')).toEqual({
      status: 400,
      body: { code: 400, msg: 'request body is not valid JSON', data: null },
    });
    const unknown = await postJson<{ msg: string }>(url, { names: ['x'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.msg).toBe('body must be an object with exactly one of: usccs, legacyRegNos');
    const many = await postJson<{ code: number; msg: string }>(url, { usccs: tooMany });
    expect(many.status).toBe(400);
    expect(many.body.msg).toBe('too many keys in usccs: 201, at most 200 per batch');
    const page = await getJson<{ msg: string }>(`${sims.urls.approval}/api/permits?pageSize=501`);
    expect(page.status).toBe(400);
    expect(page.body.msg).toBe('pageSize must be an integer between 1 and 500, got 501');
  });

  it('supervision refuses an unknown "by" field and a non-numeric limit', async () => {
    const batch = await postJson(`${sims.urls.supervision}/jg/inspections/batch`, { by: 'name', values: [] });
    expect(batch).toEqual({
      status: 400,
      body: { success: false, error_msg: 'by must be one of: inspection_id, subject_code, permit_no' },
    });
    const list = await getJson<{ success: boolean; error_msg: string }>(
      `${sims.urls.supervision}/jg/inspections?limit=ten`,
    );
    expect(list.status).toBe(400);
    expect(list.body.error_msg).toBe("limit must be an integer between 1 and 500, got 'ten'");
  });

  it('enforcement refuses 201 keys and a page size of 0 with RET_CODE other than 0000', async () => {
    const many = await postJson<{ RET_CODE: string; RET_MSG: string; DATA: null }>(
      `${sims.urls.enforcement}/zf/api/CASE/BATCH`,
      {
        FIELD: 'CASE_NO',
        VALUES: tooMany,
      },
    );
    expect(many.status).toBe(400);
    expect(many.body.RET_CODE).not.toBe('0000');
    expect(many.body.RET_MSG).toBe('too many keys in VALUES: 201, at most 200 per batch');
    const page = await getJson<{ RET_MSG: string }>(`${sims.urls.enforcement}/zf/api/CLUE/LIST?PAGE_SIZE=0`);
    expect(page.status).toBe(400);
    expect(page.body.RET_MSG).toBe('PAGE_SIZE must be an integer between 1 and 500, got 0');
  });

  it('credit refuses bad JSON and a cursor it never issued', async () => {
    const json = await postJson(`${sims.urls.credit}/xy/records/batch`, 'not json');
    expect(json).toEqual({ status: 400, body: { status: 'error', message: 'request body is not valid JSON' } });
    const cursor = await getJson<{ status: string; message: string }>(
      `${sims.urls.credit}/xy/records/changes?cursor=bogus`,
    );
    expect(cursor.status).toBe(400);
    expect(cursor.body.message).toMatch(/^invalid cursor 'bogus'/);
  });

  it('answers 404 in the envelope for an unknown endpoint', async () => {
    const missing = await getJson(`${sims.urls.credit}/xy/nothing`);
    expect(missing).toEqual({ status: 404, body: { status: 'error', message: 'no endpoint GET /xy/nothing' } });
  });
});
