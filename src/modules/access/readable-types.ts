import {
  getNamedType,
  isAbstractType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import { ObjectSlot } from '../../platform/object-slot.ts';
import type { RequestPermissions } from './request-permissions.ts';
import type { RevealDeclarations } from './reveal-declarations.ts';

/** What decides whether a caller may read one field of a closed type. */
interface ReadableField {
  coordinate: string;
  role: string | undefined;
  reveals: readonly string[] | undefined;
  /** For a field that is itself guarded: the closed types it may return. */
  targets: readonly string[] | undefined;
}

/**
 * Record types no field of which is open to every caller ("closed"), and the fields returning
 * them ("guarded"). A caller who may read no field of a record type would still learn from
 * `{ clue(id: …) { __typename } }` whether the record exists; so a guarded field is refused
 * (`nothing-readable`) unless the caller may read something of a type it returns.
 *
 * A non-null single value is not guarded: it exists whenever its parent does, so it says
 * nothing its parent does not (and refusing it would null the parent).
 */
export class ReadableTypes {
  readonly #closed = new Map<string, readonly ReadableField[]>();
  /** Guarded field coordinate → the closed types it may return. */
  readonly guarded = new Map<string, readonly string[]>();
  /** What decides each guarded field by its own rules. */
  readonly #guardedRules = new Map<string, ReadableField>();
  readonly #readable = new ObjectSlot<RequestPermissions, ReadonlySet<string>>('readable closed types');

  constructor(
    schema: GraphQLSchema,
    isUngated: (coordinate: string) => boolean,
    roles: ReadonlyMap<string, string>,
    reveals: RevealDeclarations,
  ) {
    const types = Object.values(schema.getTypeMap())
      .filter(isObjectType)
      .filter((t) => !t.name.startsWith('__'));
    const targetsOf = (field: GraphQLField<unknown, unknown>): readonly string[] => {
      const named = getNamedType(field.type);
      if (isObjectType(named)) return [named.name];
      return isAbstractType(named) ? schema.getPossibleTypes(named).map((type) => type.name) : [];
    };
    const guards = (field: GraphQLField<unknown, unknown>): boolean => {
      const targets = targetsOf(field);
      const singleNonNull = isNonNullType(field.type) && !isListType(field.type.ofType);
      return !singleNonNull && targets.length > 0 && targets.every((name) => this.#closed.has(name));
    };
    // A type is closed when each of its fields is gated, or returns only closed types: to a fixpoint.
    for (let changed = true; changed;) {
      changed = false;
      for (const type of types) {
        if (this.#closed.has(type.name)) continue;
        const fields = Object.values(type.getFields());
        if (fields.some((field) => isUngated(`${type.name}.${field.name}`) && !guards(field))) continue;
        this.#closed.set(type.name, []);
        changed = true;
      }
    }
    for (const type of types)
      for (const field of Object.values(type.getFields())) {
        if (!guards(field)) continue;
        const coordinate = `${type.name}.${field.name}`;
        this.guarded.set(coordinate, targetsOf(field));
        this.#guardedRules.set(coordinate, {
          coordinate,
          role: roles.get(coordinate),
          reveals: reveals.get(coordinate),
          targets: undefined,
        });
      }
    for (const name of this.#closed.keys()) {
      const type = schema.getType(name);
      if (!isObjectType(type)) continue;
      const fields = Object.values(type.getFields()).map((field) => {
        const coordinate = `${name}.${field.name}`;
        return {
          coordinate,
          role: roles.get(coordinate),
          reveals: reveals.get(coordinate),
          targets: this.guarded.get(coordinate),
        };
      });
      this.#closed.set(name, fields);
    }
  }

  /**
   * Whether the caller may read at least one field of one of the types: decided by the field
   * rules alone (a masked value counts, it is shown), once per request, recording nothing.
   */
  mayReadSomethingOf(permissions: RequestPermissions, typeNames: readonly string[]): boolean {
    let readable = this.#readable.get(permissions);
    if (!readable) {
      readable = this.#readableTypes(permissions);
      this.#readable.set(permissions, readable);
    }
    return typeNames.some((name) => !this.#closed.has(name) || readable.has(name));
  }

  /**
   * Whether a stated purpose could open a field of one of the types to a caller who stated none:
   * then the refusal says to send one, as a field refused for want of a purpose does.
   */
  wantsPurpose(permissions: RequestPermissions, typeNames: readonly string[]): boolean {
    if (permissions.standing.purpose !== null) return false;
    return typeNames.some((name) =>
      (this.#closed.get(name) ?? []).some((field) => {
        const decision = permissions.decisionOf(field.coordinate);
        return decision.outcome === 'deny' && decision.rule === 'purpose-required';
      }),
    );
  }

  /**
   * Whether a guarded field's own rules (sharing class, role, reveals) refuse it, recording
   * nothing: then they answer, with their own reason.
   */
  refusedByItsOwnRules(permissions: RequestPermissions, coordinate: string): boolean {
    const field = this.#guardedRules.get(coordinate);
    return field === undefined || !mayReadByItsOwnRules(permissions, field);
  }

  /** The closed types the caller may read something of: a guarded field counts only if its type does. */
  #readableTypes(permissions: RequestPermissions): ReadonlySet<string> {
    const readable = new Set<string>();
    const mayRead = (field: ReadableField): boolean =>
      mayReadByItsOwnRules(permissions, field) &&
      (field.targets === undefined || field.targets.some((name) => readable.has(name)));
    for (let changed = true; changed;) {
      changed = false;
      for (const [name, fields] of this.#closed) {
        if (readable.has(name) || !fields.some(mayRead)) continue;
        readable.add(name);
        changed = true;
      }
    }
    return readable;
  }
}

function mayReadByItsOwnRules(permissions: RequestPermissions, field: ReadableField): boolean {
  return (
    permissions.mayRead(field.coordinate) &&
    (field.role === undefined || permissions.hasRole(field.role)) &&
    (field.reveals === undefined || permissions.mayReveal(field.reveals))
  );
}

/**
 * The derived outputs (`@reveals` lists) that name a guarded field but no field of a type it
 * returns, as "`output` reveals `field` but no field of `Type`". Shown, such an output (a loop
 * break "no clue for this inspection") would tell a caller who may read nothing of the records
 * whether they exist, which `nothing-readable` refuses when the field is asked for directly.
 * Naming one of their fields makes every output revealing them need it, by the same rules.
 */
export function revealsNamingNothingOf(
  readable: ReadableTypes,
  lists: Iterable<readonly [string, readonly string[]]>,
): string[] {
  const problems: string[] = [];
  for (const [output, sources] of lists)
    for (const source of sources) {
      const targets = readable.guarded.get(source);
      if (!targets) continue;
      const named = sources.some((other) => targets.some((type) => other.startsWith(`${type}.`)));
      if (!named) problems.push(`${output} reveals ${source} but no field of ${targets.join(' or ')}`);
    }
  return problems;
}
