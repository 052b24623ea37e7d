import { getDirectiveValues, isObjectType, type GraphQLSchema } from 'graphql';
import type { AgencySystem } from '../../domain/types.ts';

export type SharingClass = 'UNCONDITIONAL' | 'CONDITIONAL' | 'NOT_SHARED';

/** One field's `@share` declaration, keyed by its schema coordinate (`Type.field`). */
export interface SharingDeclaration {
  coordinate: string;
  sharingClass: SharingClass;
  owner: AgencySystem | null;
  personal: boolean;
  condition: string | null;
}

/**
 * Reads every object field's `@share` directive from the SDL. A field without one is returned
 * as missing rather than defaulted: the permission layer denies it and a test names it.
 */
export function readSharingDeclarations(schema: GraphQLSchema): {
  declarations: Map<string, SharingDeclaration>;
  missing: string[];
} {
  const directive = schema.getDirective('share');
  if (!directive) throw new Error('the schema does not define the @share directive');
  const declarations = new Map<string, SharingDeclaration>();
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const values = field.astNode ? getDirectiveValues(directive, field.astNode) : undefined;
      if (!values) {
        missing.push(coordinate);
        continue;
      }
      declarations.set(coordinate, {
        coordinate,
        sharingClass: values['class'] as SharingClass,
        owner: typeof values['owner'] === 'string' ? (values['owner'].toLowerCase() as AgencySystem) : null,
        personal: values['personal'] === true,
        condition: typeof values['condition'] === 'string' ? values['condition'] : null,
      });
    }
  }
  return { declarations, missing };
}
