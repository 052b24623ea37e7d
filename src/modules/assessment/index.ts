// The assessment module's public surface: other modules import from here only.
export { AuthorityPerformanceService } from './authority-performance.ts';
export { LoopPerformanceStore } from './loop-performance-store.ts';
