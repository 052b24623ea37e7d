import type { Principal } from '../../auth/principal.ts';
import type { Authority } from '../../domain/types.ts';
import { RequestPermissions, type RowPlace, type ServedArea, type ServedAreaSource } from '../access/index.ts';
import { readRevealDeclarations, type RevealDeclarations } from '../access/index.ts';
import { readSharingDeclarations, type SharingDeclaration } from '../access/index.ts';
import { declarationSchema } from '../../schema-type-defs.ts';
import type { EventPublisher, LoopEvent } from './loop-event.ts';

/** The schema's declarations a receiver is judged by: field classes and what each event kind reveals. */
export interface ReceiverRules {
  declarations: ReadonlyMap<string, SharingDeclaration>;
  reveals: RevealDeclarations;
}

/** Read from the SDL, as the permission layer reads them. */
export function receiverRulesOfTheSchema(): ReceiverRules {
  const schema = declarationSchema();
  return {
    declarations: readSharingDeclarations(schema).declarations,
    reveals: readRevealDeclarations(schema).reveals,
  };
}

/** Who receivers are (the reference data's authorities), and where the gateway serves, as requests ask it. */
export interface ReceiverReference {
  authorities: () => Promise<ReadonlyMap<string, Authority>>;
  servedArea: ServedAreaSource;
}

/**
 * A webhook is a read by its receiving authority, made without a request: so an event goes only
 * to the concerned authorities that could read every source field its kind reveals
 * (`LoopEventKind` values' `@reveals`), decided by the same rules as a GraphQL read by that
 * authority with no purpose and no grant (an owner's kind counting only where the authority's
 * jurisdiction reaches the served area). An authority the reference data does not know gets
 * nothing. Every publisher handed to a producer is wrapped in this.
 */
export function receiverCheckedPublisher(
  inner: EventPublisher,
  reference: ReceiverReference,
  rules: ReceiverRules = receiverRulesOfTheSchema(),
): EventPublisher {
  return {
    async publish(events, db) {
      if (events.length === 0) return inner.publish(events, db);
      const known = await reference.authorities();
      const servedArea = await knownServedArea(reference.servedArea);
      const checked = events.map((event): LoopEvent => ({
        ...event,
        concerns: event.concerns.filter((code) => {
          const authority = known.get(code);
          return authority !== undefined && mayReceive(event, authority, servedArea, rules);
        }),
      }));
      return inner.publish(checked, db);
    },
  };
}

/**
 * The served area, which a producer needs known: judged without it, an owner would lose the
 * event for good, whereas a failed publication is retried (the feed's page, the transfer's step).
 * Asked after the authorities, whose load is the reference data's, it is known in practice.
 */
export async function knownServedArea(source: ServedAreaSource): Promise<ServedArea> {
  const area = await source();
  if (area) return area;
  throw new Error(
    "the area the gateway serves is not known (SERVED_JURISDICTION unset, the enforcement system's reference data never loaded): no receiver can be judged",
  );
}

/** Whether an authority could read what an event of this kind reveals. */
export function mayReceive(
  event: Pick<LoopEvent, 'kind'>,
  authority: Authority,
  servedArea: ServedArea,
  rules: ReceiverRules,
): boolean {
  const sources = rules.reveals.get(`LoopEventKind.${event.kind}`);
  return sources !== undefined && receiverPermissions(authority, servedArea, rules).mayReveal(sources);
}

/**
 * Whether an authority, as the receiver of a webhook, may read a field: as a GraphQL read by it
 * with no purpose and no grant, on a row of the place given (within its jurisdiction unless
 * said). For producers whose event exists only because of what some fields say (a verdict that
 * flipped), so that it is produced only from fields each receiver may read where it reads them.
 */
export function receiverMayRead(
  authority: Authority,
  servedArea: ServedArea,
  rules: ReceiverRules = (schemaRules ??= receiverRulesOfTheSchema()),
): (coordinate: string, place?: RowPlace) => boolean {
  const permissions = receiverPermissions(authority, servedArea, rules);
  return (coordinate, place) => permissions.mayRead(coordinate, place);
}

/** The schema's rules, read once by the first producer that asks. */
let schemaRules: ReceiverRules | undefined;

function receiverPermissions(authority: Authority, servedArea: ServedArea, rules: ReceiverRules): RequestPermissions {
  const receiver: Principal = {
    subject: `webhook:${authority.code}`,
    issuer: 'gateway',
    kind: 'SYSTEM',
    authorityCode: authority.code,
    authorityKind: authority.kind,
    jurisdictionCode: authority.jurisdictionCode,
    roles: [],
    purpose: null,
  };
  return new RequestPermissions(
    {
      principal: receiver,
      purpose: null,
      grantedFields: new Map(),
      reachesServedArea: servedArea.reaches(authority.jurisdictionCode),
      coversServedArea: servedArea.covers(authority.jurisdictionCode),
    },
    rules.declarations,
  );
}
