import { GraphQLError, type GraphQLSchema } from 'graphql';
import {
  applyMiddleware,
  type IMiddleware,
  type IMiddlewareFunction,
  type IMiddlewareTypeMap,
} from 'graphql-middleware';
import { allow, chain, rule, shield } from 'graphql-shield';
import { maskPersonal } from './mask-personal.ts';
import { ReadableTypes } from './readable-types.ts';
import type { RequestPermissions } from './request-permissions.ts';
import { revealDeclarationsOf, type RevealDeclarations } from './reveal-declarations.ts';
import { readRoleRequirements } from './role-requirements.ts';
import { ownerOpens, placingOf, type PlaceOf, type RowPlaces } from './row-places.ts';
import { readSharingDeclarations, type SharingDeclaration } from './sharing-declarations.ts';

/** What the permission layer needs from the GraphQL context. */
export interface PermissionContext {
  permissions: RequestPermissions;
}

type ShieldRule = ReturnType<ReturnType<typeof rule>> | typeof allow | ReturnType<typeof chain>;
type RuleMap = Record<string, Record<string, ShieldRule>>;

/**
 * Wraps the schema's resolvers with the sharing rules derived from its `@share` declarations:
 * every gated field is decided once per request by its own rule (graphql-shield's contextual
 * cache), and a field without a declaration is denied. A denied field's resolver never runs, so
 * its data is never fetched from the agency.
 *
 * Fields declared UNCONDITIONAL and needing no role are allowed for every caller, so they are
 * left unwrapped: shield's per-field async middleware on every row was most of its cost on
 * large lists. Which fields stay wrapped is chosen from the declarations, never from whether a
 * field has a resolver of its own (the trap of `applyMiddlewareToDeclaredResolvers`); see
 * `isUngated`. A field returning a record type the caller may read nothing of is refused
 * (`nothing-readable`, see `ReadableTypes`), so such a field is gated even when unconditional.
 *
 * A field owner standing opens is decided per row where the row's place matters (`places`): a
 * township team reads it as its owner only on rows of its township. A field on a record type of
 * no declared place never opens by owner standing to such a caller.
 */
export function applyPermissions<C>(
  schema: GraphQLSchema,
  places: RowPlaces<C> = { confined: [], placed: {} },
): GraphQLSchema {
  const { declarations } = readSharingDeclarations(schema);
  const roles = readRoleRequirements(schema);
  const reveals = revealDeclarationsOf(schema);
  const readable = readableTypesOf(schema);
  const rules: RuleMap = {};
  const personal: Array<{ declaration: SharingDeclaration; placeOf: PlaceOf<C> | undefined }> = [];
  for (const declaration of declarations.values()) {
    const [typeName, fieldName] = declaration.coordinate.split('.') as [string, string];
    rules[typeName] ??= {};
    // A computed field (an assessment figure) is decided, beyond its own class, by the source fields it reveals.
    const sources = reveals.get(declaration.coordinate);
    // Undefined where every row the field shows lies within the caller's jurisdiction.
    const placeOf = ownerOpens(declaration) ? rowPlaceOf(schema, declaration, places) : undefined;
    const decided = sources
      ? sharedAndRevealedRule(declaration, sources)
      : declaration.sharingClass === 'UNCONDITIONAL'
        ? allow
        : placeOf
          ? sharingRuleByRow(declaration, placeOf)
          : sharingRule(declaration);
    // chain, not and: shield's `and` runs every rule, and a rule that allows records a read even
    // when another refuses the field. chain stops at the first refusal, so only it is recorded.
    const role = roles.get(declaration.coordinate);
    const own = role ? chain(roleRule(role, declaration.coordinate), decided) : decided;
    // Decided first, and alone when it refuses: the field's own rules, allowing it, would record it as read.
    const targets = readable.guarded.get(declaration.coordinate);
    rules[typeName][fieldName] = targets
      ? chain(nothingReadableRule(declaration.coordinate, targets, readable), own)
      : own;
    if (declaration.personal) personal.push({ declaration, placeOf });
  }
  const permissions = shield(rules, {
    // Anything without a declaration (a field added without @share) is refused.
    fallbackRule: rule('undeclared')(() => forbidden('the field has no declared sharing class', 'undeclared')),
    fallbackError: forbidden('not allowed', 'fallback'),
    // Connectors' coded errors (UPSTREAM_*) must reach the client as they are.
    allowExternalErrors: true,
  });
  return applyMiddleware(
    schema,
    onlyGated(permissions.generate(schema), leftUnwrapped(schema)),
    maskingMiddleware(personal),
  );
}

/** How to place a row of the field's type; a type of no declared place has rows of unknown place. */
function rowPlaceOf<C>(
  schema: GraphQLSchema,
  declaration: SharingDeclaration,
  places: RowPlaces<C>,
): PlaceOf<C> | undefined {
  const placing = placingOf(schema, declaration, places);
  if (placing.by === 'confined') return undefined;
  return placing.by === 'placed' ? placing.placeOf : () => null;
}

/**
 * Whether a field is allowed for every caller whatever their standing: declared UNCONDITIONAL
 * and not role-gated. Anything else — conditional, not shared, role-gated, or undeclared — is
 * gated.
 */
export function isUngated(
  coordinate: string,
  declarations: ReadonlyMap<string, SharingDeclaration>,
  roles: ReadonlyMap<string, string>,
  reveals: RevealDeclarations = new Map(),
): boolean {
  return (
    declarations.get(coordinate)?.sharingClass === 'UNCONDITIONAL' && !roles.has(coordinate) && !reveals.has(coordinate)
  );
}

const readableTypes = new WeakMap<GraphQLSchema, ReadableTypes>();

/** The schema's closed record types and the fields guarding them, found once per schema object. */
function readableTypesOf(schema: GraphQLSchema): ReadableTypes {
  let readable = readableTypes.get(schema);
  if (!readable) {
    const { declarations } = readSharingDeclarations(schema);
    const roles = readRoleRequirements(schema);
    const reveals = revealDeclarationsOf(schema);
    readable = new ReadableTypes(
      schema,
      (coordinate) => isUngated(coordinate, declarations, roles, reveals),
      roles,
      reveals,
    );
    readableTypes.set(schema, readable);
  }
  return readable;
}

/** Whether a field of the schema is left unwrapped: ungated, and not returning only closed record types. */
export function leftUnwrapped(schema: GraphQLSchema): (coordinate: string) => boolean {
  const { declarations } = readSharingDeclarations(schema);
  const roles = readRoleRequirements(schema);
  const reveals = revealDeclarationsOf(schema);
  const { guarded } = readableTypesOf(schema);
  return (coordinate) => isUngated(coordinate, declarations, roles, reveals) && !guarded.has(coordinate);
}

/** Shield's generated middleware (one entry per field of every object type), minus the unwrapped fields. */
function onlyGated(generated: IMiddleware, unwrapped: (coordinate: string) => boolean): IMiddlewareTypeMap {
  // Shield generates a field map for every object type from a rule map keyed by type and field.
  if (typeof generated === 'function') throw new Error('graphql-shield generated one middleware for the whole schema');
  const gated: Record<string, Record<string, IMiddlewareFunction>> = {};
  for (const [typeName, fields] of Object.entries(generated)) {
    if (typeof fields === 'function') throw new Error(`graphql-shield generated one middleware for all of ${typeName}`);
    for (const [fieldName, middleware] of Object.entries(fields)) {
      if (unwrapped(`${typeName}.${fieldName}`)) continue;
      gated[typeName] ??= {};
      gated[typeName][fieldName] = middleware as IMiddlewareFunction;
    }
  }
  return gated;
}

function sharingRule(declaration: SharingDeclaration) {
  return rule(`share:${declaration.coordinate}`, { cache: 'contextual' })(
    (_parent, _args, context: PermissionContext) => context.permissions.check(declaration),
  );
}

/**
 * A field whose decision may hang on the row's place: decided per row, but the row is placed
 * only for a caller whose owner standing depends on it (a township team reading its own system).
 * Other callers' decisions stay once per request (cached in `RequestPermissions`).
 */
function sharingRuleByRow<C>(declaration: SharingDeclaration, placeOf: PlaceOf<C>) {
  return rule(`share-by-row:${declaration.coordinate}`, { cache: 'no_cache' })(
    async (parent, _args, context: PermissionContext) => {
      const { permissions } = context;
      if (!permissions.placeDecides(declaration.coordinate)) return permissions.check(declaration);
      return permissions.check(declaration, await placeOf(parent, context as C));
    },
  );
}

/**
 * A computed field's own class and the sources it reveals, both decided before either is
 * recorded: a read recorded for one while the other refuses the field would be a read that
 * never happened.
 */
function sharedAndRevealedRule(declaration: SharingDeclaration, sources: readonly string[]) {
  const { coordinate } = declaration;
  return rule(`reveals:${coordinate}`, { cache: 'contextual' })((_parent, _args, context: PermissionContext) => {
    const { permissions } = context;
    if (!permissions.mayRead(coordinate)) return permissions.check(declaration);
    if (!permissions.mayReveal(sources)) return permissions.reveal(sources, coordinate);
    const shared = permissions.check(declaration);
    return shared === true ? permissions.reveal(sources, coordinate) : shared;
  });
}

/** One rule per field (not per role), so a refusal is recorded for the access log under the field it refused. */
function roleRule(role: string, coordinate: string) {
  return rule(`role:${role}:${coordinate}`, { cache: 'contextual' })((_parent, _args, context: PermissionContext) => {
    if (context.permissions.hasRole(role)) return true;
    context.permissions.denied.add(coordinate);
    return forbidden(`only callers with the ${role} role may use this field`, 'role');
  });
}

/**
 * Refuses a field returning only record types of which the caller may read nothing: its answer
 * (a record or null) would tell whether the record exists. Only this field is recorded as denied.
 */
function nothingReadableRule(coordinate: string, targets: readonly string[], readable: ReadableTypes) {
  return rule(`nothing-readable:${coordinate}`, { cache: 'contextual' })(
    (_parent, _args, context: PermissionContext) => {
      // A field its own rules refuse is left to them, so the caller learns their reason (a purpose to send, say).
      if (readable.mayReadSomethingOf(context.permissions, targets)) return true;
      if (readable.refusedByItsOwnRules(context.permissions, coordinate)) return true;
      context.permissions.denied.add(coordinate);
      const types = targets.join(' or ');
      if (readable.wantsPurpose(context.permissions, targets))
        return forbidden(
          `${types} is shared only for a stated purpose: send the matter number in the x-purpose header`,
          'purpose-required',
          coordinate,
        );
      return forbidden(`the caller may read no field of ${types}`, 'nothing-readable', coordinate);
    },
  );
}

/** Personal fields the caller may see only masked (on rows of this place): the value is fetched, then masked. */
function maskingMiddleware<C>(
  personal: ReadonlyArray<{ declaration: SharingDeclaration; placeOf: PlaceOf<C> | undefined }>,
): Record<string, Record<string, IMiddlewareFunction>> {
  const middleware: Record<string, Record<string, IMiddlewareFunction>> = {};
  for (const { declaration, placeOf } of personal) {
    const [typeName, fieldName] = declaration.coordinate.split('.') as [string, string];
    middleware[typeName] ??= {};
    middleware[typeName][fieldName] = async (resolve, parent, args, context: PermissionContext, info) => {
      const value: unknown = await resolve(parent, args, context, info);
      if (typeof value !== 'string') return value;
      const { permissions } = context;
      const place =
        placeOf && permissions.placeDecides(declaration.coordinate) ? await placeOf(parent, context as C) : 'confined';
      return permissions.masks(declaration, place) ? maskPersonal(value) : value;
    };
  }
  return middleware;
}

function forbidden(reason: string, ruleName: string, field?: string): GraphQLError {
  return new GraphQLError(`Not allowed: ${reason}.`, {
    extensions: { code: 'FORBIDDEN', rule: ruleName, ...(field ? { field } : {}) },
  });
}
