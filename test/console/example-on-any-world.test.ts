import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld, exampleSubject } from '../../simulators/index.ts';
import type { World } from '../../simulators/world/model.ts';
import { signDemoToken } from '../../src/auth/index.ts';
import { DEMO_EXAMPLE_SUBJECT, examplePreset } from '../../src/example-query.ts';
import { startGateway, type RunningGateway } from '../../src/gateway.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { postGraphQL } from '../support/graphql-client.ts';

interface Chain {
  subject: {
    name: string;
    permits: Array<{
      inspections: Array<{ clues: Array<{ case: { penalties: Array<{ creditRecords: unknown[] }> } | null }> }>;
    }>;
    timeline: { events: Array<{ stage: string }> };
  } | null;
}

describe('the example query of a world other than the demo one', () => {
  let gateway: RunningGateway;
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-example-'));

  beforeAll(async () => {
    // No agency URL: the gateway serves a simulated world of its own, from another seed.
    gateway = await startGateway(
      loadConfig({
        PORT: '0',
        DATA_DIR: dataDir,
        SIMULATOR_SEED: '7',
        LOG_LEVEL: 'silent',
        LOOP_INDEX_SYNC_INTERVAL_MS: '0',
        RATE_LIMIT_PER_MINUTE: '1000000',
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await gateway?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('names an enterprise of that world, and answers from all four systems with the IDE’s own token', async () => {
    const page = await (await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } })).text();
    const configJson = /<script type="application\/json" id="graphiql-config">([\s\S]*?)<\/script>/.exec(page)?.[1];
    const config = JSON.parse(configJson ?? '{}') as { exampleQuery: string; defaultHeaders: string };
    expect(config.exampleQuery).toBe(gateway.exampleQuery);
    expect(config.exampleQuery).not.toContain(DEMO_EXAMPLE_SUBJECT.uscc);
    expect(config.exampleQuery).toContain('seed 7');

    const answer = await postGraphQL<Chain>(
      `${gateway.url}`,
      config.exampleQuery,
      undefined,
      JSON.parse(config.defaultHeaders) as Record<string, string>,
    );
    expect(answer.body.errors).toBeUndefined();
    const subject = answer.body.data!.subject!;
    expect(config.exampleQuery).toContain(subject.name);
    const credited = subject.permits
      .flatMap((permit) => permit.inspections)
      .flatMap((inspection) => inspection.clues)
      .flatMap((clue) => clue.case?.penalties ?? [])
      .filter((penalty) => penalty.creditRecords.length > 0);
    expect(credited.length).toBeGreaterThan(0);
    expect(new Set(subject.timeline.events.map((event) => event.stage)).size).toBe(4);
  });
});

describe('the example subject', () => {
  it('is the README’s enterprise in the demo world', () => {
    expect(exampleSubject(generateWorld({ scale: 1, seed: 42 }), DEMO_EXAMPLE_SUBJECT.uscc)).toMatchObject(
      DEMO_EXAMPLE_SUBJECT,
    );
  });

  it('is some other enterprise with a whole loop where the README’s is not in the world', () => {
    const world = generateWorld({ scale: 1, seed: 7 });
    const chosen = exampleSubject(world, DEMO_EXAMPLE_SUBJECT.uscc);
    expect(chosen).toBeDefined();
    expect(world.enterprises.some((enterprise) => enterprise.uscc === DEMO_EXAMPLE_SUBJECT.uscc)).toBe(false);
    expect(world.penalties.some((penalty) => penalty.subjectUscc === chosen!.uscc)).toBe(true);
  });
});

describe('the example of a small world without a whole loop (scale 0.05, seed 1)', () => {
  let gateway: RunningGateway;
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-example-small-'));
  const world = generateWorld({ scale: 0.05, seed: 1 });

  beforeAll(async () => {
    gateway = await startGateway(
      loadConfig({
        PORT: '0',
        DATA_DIR: dataDir,
        SIMULATOR_SEED: '1',
        SIMULATOR_SCALE: '0.05',
        LOG_LEVEL: 'silent',
        LOOP_INDEX_SYNC_INTERVAL_MS: '0',
        RATE_LIMIT_PER_MINUTE: '1000000',
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await gateway?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is a world in which no enterprise has a permit inspected, transferred, penalised and published', () => {
    expect(world.enterprises.length).toBeGreaterThan(0);
    expect(Math.max(...world.enterprises.map((enterprise) => wholeLoopDepth(world, enterprise.uscc)))).toBeLessThan(6);
  });

  it('still names an enterprise of that world, one furthest along its loop, and answers it', async () => {
    expect(gateway.exampleQuery).not.toContain(DEMO_EXAMPLE_SUBJECT.uscc);
    expect(gateway.exampleQuery).toContain('seed 1, scale 0.05');
    const furthest = Math.max(...world.enterprises.map((enterprise) => wholeLoopDepth(world, enterprise.uscc)));
    const chosen = exampleSubject(world)!;
    expect(wholeLoopDepth(world, chosen.uscc)).toBe(furthest);
    expect(gateway.exampleQuery).toContain(chosen.uscc);

    const answer = await postGraphQL<Chain>(gateway.url, gateway.exampleQuery, undefined, {
      authorization: `Bearer ${await signDemoToken(examplePreset, { dataDir })}`,
    });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.subject!.name).toBe(chosen.name);
  });
});

/**
 * How far an enterprise's furthest permit gets along the loop, counted from the world's own
 * records: 1 a permit, 2 inspected, 3 a clue sent, 4 a case filed, 5 a penalty, 6 its credit record.
 */
function wholeLoopDepth(world: World, uscc: string): number {
  let best = 0;
  for (const permit of world.permits.filter((p) => p.holderUscc === uscc)) {
    best = Math.max(best, 1);
    for (const inspection of world.inspections.filter(
      (i) => i.permitNo === permit.permitNo && i.subjectCodeKind === 'USCC',
    )) {
      best = Math.max(best, 2);
      for (const clue of world.clues.filter((c) => c.inspectionId === inspection.id)) {
        best = Math.max(best, 3);
        for (const c of world.cases.filter((c) => c.clueId === clue.id)) {
          best = Math.max(best, 4);
          for (const penalty of world.penalties.filter((p) => p.caseNo === c.caseNo)) {
            best = Math.max(best, 5);
            if (world.creditRecords.some((r) => r.decisionNo === penalty.decisionNo)) best = 6;
          }
        }
      }
    }
  }
  return best;
}
