import { getDirectiveValues, isObjectType, type GraphQLSchema } from 'graphql';

/** Fields only callers with a role may use (`@requiresRole`), keyed by coordinate. */
export function readRoleRequirements(schema: GraphQLSchema): Map<string, string> {
  const directive = schema.getDirective('requiresRole');
  const requirements = new Map<string, string>();
  if (!directive) return requirements;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const values = field.astNode ? getDirectiveValues(directive, field.astNode) : undefined;
      if (typeof values?.['role'] === 'string') requirements.set(`${type.name}.${field.name}`, values['role']);
    }
  }
  return requirements;
}
