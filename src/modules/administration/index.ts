// The administration module's public surface: other modules import from here only.
export { administrationModule, administrationSchema } from './module.ts';
export {
  administratorOf,
  assertMayActForAuthority,
  isGatewayOperator,
  mayActForAuthority,
} from './administrator-scope.ts';
export { assertKnownAuthority } from './known-authority.ts';
