import type { DelegationMode, LocalDate, PowerItem } from '../../domain/types.ts';
import type { ReferenceData } from '../subjects/index.ts';
import { TransferRefusedError } from './transfer-errors.ts';

export interface Routing {
  receiverCode: string;
  /** NAMED when the sender chose the receiver; otherwise how the power list assigns the item there. */
  routedBy: 'NAMED' | DelegationMode;
}

export interface RoutingRequest {
  powerItemCode: string;
  townshipCode: string;
  senderCode: string;
  /** The receiver the sender names, if any. */
  receiverCode: string | null;
  on: LocalDate;
}

/**
 * Who receives a clue: the authority the sender names, if it holds this power anywhere, or else
 * whoever the power list says exercises the item in the subject's township on the day — the
 * township's own team (赋权), a stationed county department (派驻), the central town's team
 * ("1+X") or the county bureau. Transfers go agency to agency, never to oneself.
 */
export function routeTransfer(reference: ReferenceData, request: RoutingRequest): Routing {
  const item = reference.powerItems.get(request.powerItemCode);
  if (!item) {
    throw new TransferRefusedError(
      'UNKNOWN_POWER_ITEM',
      `No power-list item ${request.powerItemCode}: a clue must name the penalty item it concerns.`,
      {
        powerItemCode: request.powerItemCode,
      },
    );
  }
  const routing = request.receiverCode ? namedReceiver(reference, item, request.receiverCode) : holderOf(item, request);
  if (routing.receiverCode === request.senderCode) {
    throw new TransferRefusedError(
      'SENDER_IS_RECEIVER',
      `${request.senderCode} holds item ${item.code} in township ${request.townshipCode} itself: there is nobody to transfer the clue to.`,
      {
        receiverCode: routing.receiverCode,
      },
    );
  }
  return routing;
}

function holderOf(item: PowerItem, request: RoutingRequest): Routing {
  const delegation = item.delegations.find(
    (d) =>
      d.townshipCode === request.townshipCode &&
      d.validFrom <= request.on &&
      (d.validUntil === null || request.on <= d.validUntil),
  );
  if (!delegation) {
    throw new TransferRefusedError(
      'NO_RECEIVING_AUTHORITY',
      `No authority holds item ${item.code} (${item.name}) in township ${request.townshipCode} on ${request.on}: the power list assigns it to nobody there, so the clue cannot be routed; name a receiver if one has agreed to take it.`,
      { powerItemCode: item.code, townshipCode: request.townshipCode },
    );
  }
  return { receiverCode: delegation.authorityCode, routedBy: delegation.mode };
}

function namedReceiver(reference: ReferenceData, item: PowerItem, receiverCode: string): Routing {
  if (!reference.authorities.has(receiverCode)) {
    throw new TransferRefusedError('UNKNOWN_RECEIVER', `No authority ${receiverCode}.`, { receiverCode });
  }
  if (!item.delegations.some((d) => d.authorityCode === receiverCode)) {
    throw new TransferRefusedError(
      'RECEIVER_HOLDS_NO_SUCH_POWER',
      `${receiverCode} exercises item ${item.code} (${item.name}) nowhere on the power list, so it cannot receive a clue about it.`,
      { receiverCode, powerItemCode: item.code },
    );
  }
  return { receiverCode, routedBy: 'NAMED' };
}
