// The events module's public surface: other modules import from here only.
export {
  knownServedArea,
  receiverCheckedPublisher,
  receiverMayRead,
  type ReceiverReference,
} from './loop-event-receivers.ts';
export { type EventPublisher, type LoopEvent, type StoreClient } from './loop-event.ts';
