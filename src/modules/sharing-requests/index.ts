/** The sharing-requests module's public surface; its SDL (schema.graphql) is loaded by src/schema.ts. */
export { SharingRequestMutation, SharingRequestQuery, SharingRequest } from './resolvers.ts';
export { SharingRequestService } from './sharing-request-service.ts';
export type { SharingRequestDependencies } from './sharing-request-service.ts';
export { DEFAULT_ANSWER_WORKING_DAYS } from './answer-deadline.ts';
export type { SharingRequestRecord } from './sharing-request-record.ts';
