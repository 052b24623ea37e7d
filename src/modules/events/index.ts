// The events module's public surface: other modules import from here only.
export { receiverCheckedPublisher, receiverMayRead } from './loop-event-receivers.ts';
export { type EventPublisher, type LoopEvent, type StoreClient } from './loop-event.ts';
