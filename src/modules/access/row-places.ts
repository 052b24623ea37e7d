import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import type { SharingDeclaration } from './sharing-declarations.ts';

/** Finds the township of one row of a record type (null when it cannot be told). */
export type PlaceOf<C> = (row: unknown, context: C) => string | null | Promise<string | null>;

/**
 * Where the rows of each record type lie, for owner standing decided per row: a township team
 * reads its system's conditional fields as their owner only on rows of its township.
 */
export interface RowPlaces<C> {
  /** Record types answered only within the caller's jurisdiction: their loaders drop the others. */
  confined: readonly string[];
  /** For each other record type with a field owner standing opens, how to find a row's township. */
  placed: Readonly<Record<string, PlaceOf<C>>>;
}

/** A place function over rows of a known shape. */
export function placedBy<T, C>(place: (row: T, context: C) => string | null | Promise<string | null>): PlaceOf<C> {
  return (row, context) => place(row as T, context);
}

/**
 * How a field's row is placed: `confined` when its type's rows, or the records it returns, are
 * answered only within the caller's jurisdiction (every value it can show lies there); `placed`
 * when its type declares how to find a row's township; `unplaced` otherwise — then owner standing
 * never opens it on a township team's rows (a row of unknown place may lie beyond).
 */
export type FieldPlacing<C> = { by: 'confined' } | { by: 'placed'; placeOf: PlaceOf<C> } | { by: 'unplaced' };

export function placingOf<C>(
  schema: GraphQLSchema,
  declaration: SharingDeclaration,
  places: RowPlaces<C>,
): FieldPlacing<C> {
  const [typeName, fieldName] = declaration.coordinate.split('.') as [string, string];
  const type = schema.getType(typeName);
  const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
  const returned = field ? getNamedType(field.type).name : undefined;
  if (places.confined.includes(typeName) || (returned !== undefined && places.confined.includes(returned)))
    return { by: 'confined' };
  const placeOf = places.placed[typeName];
  return placeOf ? { by: 'placed', placeOf } : { by: 'unplaced' };
}

/** Whether owner standing opens the field to some caller: conditional or not shared, of a system. */
export function ownerOpens(declaration: SharingDeclaration): boolean {
  return declaration.sharingClass !== 'UNCONDITIONAL' && declaration.owner !== null;
}
