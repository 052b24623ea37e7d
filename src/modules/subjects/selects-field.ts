import type { FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/**
 * Whether the field being resolved selects `name` directly below it, through fragments and
 * inline fragments too, so a resolver can skip work (a count over every matching row) that
 * nobody asked for. Directives (@skip/@include) are not evaluated: a conditionally selected
 * field counts as selected, which costs at most the work that would have been done anyway.
 */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const seen = new Set<string>();
  const inSet = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === 'Field') return selection.name.value === name;
      if (selection.kind === 'InlineFragment') return inSet(selection.selectionSet);
      const fragmentName = selection.name.value;
      if (seen.has(fragmentName)) return false;
      seen.add(fragmentName);
      const fragment: FragmentDefinitionNode | undefined = info.fragments[fragmentName];
      return inSet(fragment?.selectionSet);
    });
  return info.fieldNodes.some((node) => inSet(node.selectionSet));
}
