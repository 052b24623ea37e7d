import { describe, expect, it } from 'vitest';
import type { Authority } from '../../src/domain/types.ts';
import { readSharingDeclarations, servedAreaSource } from '../../src/modules/access/index.ts';
import { receiverCheckedPublisher } from '../../src/modules/events/index.ts';
import type { LoopEvent } from '../../src/modules/events/loop-event.ts';
import { declarationSchema } from '../../src/schema-type-defs.ts';
import { penaltyDecided } from './loop-events.ts';

/** A township enforcement team of 瑞安's second township, which owns the enforcement system's clue fields. */
const team: Authority = {
  code: '330381002-ZFD',
  name: '玉海街道综合行政执法队',
  kind: 'TOWNSHIP_ENFORCEMENT_TEAM',
  jurisdictionCode: '330381002',
};

/** The schema's field classes, and an event kind that reveals a clue's status (conditional, the enforcement system's). */
const rules = {
  declarations: readSharingDeclarations(declarationSchema()).declarations,
  reveals: new Map([['LoopEventKind.PENALTY_DECIDED', ['Clue.status']]]),
};

/** The reference data, which lists both townships: served by it, the team reaches the area. */
const reference = async () => ({
  jurisdictions: new Map(
    ['330381001', '330381002'].map((code) => [
      code,
      { code, name: code, level: 'TOWNSHIP' as const, parentCode: '330381' },
    ]),
  ),
});

async function concernsPublished(configured: readonly string[] | undefined): Promise<string[]> {
  const published: LoopEvent[] = [];
  const publisher = receiverCheckedPublisher(
    { publish: async (events) => void published.push(...events) },
    { authorities: async () => new Map([[team.code, team]]), servedArea: servedAreaSource(configured, reference) },
    rules,
  );
  await publisher.publish([penaltyDecided('91330381MA2ABCDE1X', team.code)]);
  return published.flatMap((event) => event.concerns);
}

describe("a webhook receiver's owner standing", () => {
  it('is judged by the area the reference data lists when SERVED_JURISDICTION is unset', async () => {
    expect(await concernsPublished(undefined)).toEqual([team.code]);
  });

  it('is judged by SERVED_JURISDICTION when set, as requests are: a team outside the configured township gets nothing', async () => {
    expect(await concernsPublished(['330381001'])).toEqual([]);
    expect(await concernsPublished(['330381'])).toEqual([team.code]);
  });

  it('is not judged at all while the served area is unknown: the publication fails, to be retried, rather than losing the event', async () => {
    const publisher = receiverCheckedPublisher(
      { publish: async () => undefined },
      {
        authorities: async () => new Map([[team.code, team]]),
        servedArea: servedAreaSource(undefined, () => Promise.reject(new Error('enforcement system down'))),
      },
      rules,
    );
    await expect(publisher.publish([penaltyDecided('91330381MA2ABCDE1X', team.code)])).rejects.toThrow(
      /area the gateway serves is not known/,
    );
  });
});
