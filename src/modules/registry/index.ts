// The registry module's public surface: other modules import from here only.
export { type SubjectPage, type SubjectRegistry } from './subject-registry.ts';
