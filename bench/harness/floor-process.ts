/**
 * Child process: the floor, a plain node:http handler that makes the upstream calls a gateway
 * should make and answers with the same JSON. Nothing can be faster, so every gateway variant
 * is reported as a ratio to it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadShippedProfile } from '../../src/connectors/profiles/load-profile.ts';
import { shippedMapper } from '../../src/connectors/profiles/shipped-mapper.ts';
import { openEnvelope } from '../../src/connectors/transport/http-record-transport.ts';
import type { Subject } from '../../src/domain/types.ts';
import type { AgencySystem } from '../../src/domain/types.ts';
import { floorAnswers, type FloorOperation, type RegisteredSubject } from './floor-answers.ts';
import { floorUpstreams } from './floor-upstreams.ts';
import { announceReady, answerProbes } from './probe.ts';

const urls = JSON.parse(process.env.BENCH_UPSTREAMS!) as Record<AgencySystem, string>;
const openApprovalEnvelope = openEnvelope(loadShippedProfile('approval').transport.envelope);
const toSubject = shippedMapper<Subject>('approval', 'subject');

/** The subject list the gateway keeps in its registry, read once from the approval platform. */
async function loadSubjects(): Promise<RegisteredSubject[]> {
  const subjects: RegisteredSubject[] = [];
  for (let page = 1; ; page += 1) {
    const response = await fetch(`${urls.approval}/api/enterprises?page=${page}&pageSize=500`);
    const opened = openApprovalEnvelope(await response.json());
    if (!opened.ok) throw new Error(opened.message);
    const items = (opened.data as { items: unknown[] }).items;
    if (items.length === 0) break;
    for (const raw of items) {
      const s = toSubject(raw);
      subjects.push({ uscc: s.uscc, name: s.name, legacyRegNo: s.legacyRegNo, townshipCode: s.townshipCode });
    }
  }
  // The registry's keyset order: by USCC, byte order.
  return subjects.sort((a, b) => (a.uscc < b.uscc ? -1 : a.uscc > b.uscc ? 1 : 0));
}

const answers = floorAnswers(floorUpstreams(urls), await loadSubjects());

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    void (async () => {
      try {
        const { operationName, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          operationName: FloorOperation;
          variables: never;
        };
        const answer = answers[operationName];
        if (!answer) throw new Error(`the floor does not know ${operationName}`);
        const body = JSON.stringify({ data: await answer(variables) });
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        });
        res.end(body);
      } catch (error) {
        const body = JSON.stringify({ errors: [{ message: String(error) }] });
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(body);
      }
    })();
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
answerProbes(() => new Promise((resolve) => server.close(() => resolve())));
announceReady({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
