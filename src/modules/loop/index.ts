// The loop module's public surface: other modules import from here only.
export { type LoopIndexStore } from './loop-index-store.ts';
