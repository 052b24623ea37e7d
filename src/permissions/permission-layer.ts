import { GraphQLError, type GraphQLSchema } from 'graphql';
import { applyMiddleware, type IMiddlewareFunction } from 'graphql-middleware';
import { allow, and, rule, shield } from 'graphql-shield';
import { maskPersonal } from './mask-personal.ts';
import type { RequestPermissions } from './request-permissions.ts';
import { readRoleRequirements } from './role-requirements.ts';
import { readSharingDeclarations, type SharingDeclaration } from './sharing-declarations.ts';

/** What the permission layer needs from the GraphQL context. */
export interface PermissionContext {
  permissions: RequestPermissions;
}

type ShieldRule = ReturnType<ReturnType<typeof rule>> | typeof allow | ReturnType<typeof and>;
type RuleMap = Record<string, Record<string, ShieldRule>>;

/**
 * Wraps the schema's resolvers with the sharing rules derived from its `@share` declarations:
 * unconditional fields pass, every other field is decided once per request by its own rule
 * (graphql-shield's contextual cache), and a field without a declaration is denied. A denied
 * field's resolver never runs, so its data is never fetched from the agency.
 */
export function applyPermissions(schema: GraphQLSchema): GraphQLSchema {
  const { declarations } = readSharingDeclarations(schema);
  const roles = readRoleRequirements(schema);
  // graphql-shield needs one instance per rule name; fields requiring the same role share it.
  const roleRules = new Map<string, ReturnType<typeof roleRule>>();
  const ruleForRole = (role: string) => roleRules.get(role) ?? roleRules.set(role, roleRule(role)).get(role)!;
  const rules: RuleMap = {};
  const personal: SharingDeclaration[] = [];
  for (const declaration of declarations.values()) {
    const [typeName, fieldName] = declaration.coordinate.split('.') as [string, string];
    rules[typeName] ??= {};
    const sharing = declaration.sharingClass === 'UNCONDITIONAL' ? allow : sharingRule(declaration);
    const role = roles.get(declaration.coordinate);
    rules[typeName][fieldName] = role ? and(ruleForRole(role), sharing) : sharing;
    if (declaration.personal) personal.push(declaration);
  }
  const permissions = shield(rules, {
    // Anything without a declaration (a field added without @share) is refused.
    fallbackRule: rule('undeclared')(() => forbidden('the field has no declared sharing class', 'undeclared')),
    fallbackError: forbidden('not allowed', 'fallback'),
    // Connectors' coded errors (UPSTREAM_*) must reach the client as they are.
    allowExternalErrors: true,
  });
  return applyMiddleware(schema, permissions, maskingMiddleware(personal));
}

function sharingRule(declaration: SharingDeclaration) {
  return rule(`share:${declaration.coordinate}`, { cache: 'contextual' })(
    (_parent, _args, context: PermissionContext) => context.permissions.check(declaration),
  );
}

function roleRule(role: string) {
  return rule(`role:${role}`, { cache: 'contextual' })((_parent, _args, context: PermissionContext) =>
    context.permissions.hasRole(role) ? true : forbidden(`only callers with the ${role} role may use this field`, 'role'),
  );
}

/** Personal fields the caller may see only masked: the value is fetched, then masked. */
function maskingMiddleware(personal: readonly SharingDeclaration[]): Record<string, Record<string, IMiddlewareFunction>> {
  const middleware: Record<string, Record<string, IMiddlewareFunction>> = {};
  for (const declaration of personal) {
    const [typeName, fieldName] = declaration.coordinate.split('.') as [string, string];
    middleware[typeName] ??= {};
    middleware[typeName][fieldName] = async (resolve, parent, args, context: PermissionContext, info) => {
      const value: unknown = await resolve(parent, args, context, info);
      return typeof value === 'string' && context.permissions.masks(declaration) ? maskPersonal(value) : value;
    };
  }
  return middleware;
}

function forbidden(reason: string, ruleName: string): GraphQLError {
  return new GraphQLError(`Not allowed: ${reason}.`, { extensions: { code: 'FORBIDDEN', rule: ruleName } });
}
