import type { FilterNode } from './filter-ast';

/**
 * How deep a filter may nest (parentheses, `not`, and/or groups). Parsing, formatting and
 * evaluating a filter recurse once per level, so a filter nested thousands of levels deep
 * would overflow the stack; no filter a person writes comes near this.
 */
export const MAX_FILTER_DEPTH = 100;

/**
 * The same bound for a tree: each level of parentheses or `not` in the text can hold one
 * and/or group, so every tree the text form allows stays within twice the text's levels.
 */
export const MAX_FILTER_TREE_DEPTH = 2 * MAX_FILTER_DEPTH + 1;

export function filterTooDeepMessage(): string {
  return `the filter nests deeper than ${MAX_FILTER_DEPTH} levels of parentheses, "not", "and" and "or"`;
}

/**
 * Whether a filter tree (as the UI may send it) nests deeper than MAX_FILTER_TREE_DEPTH. Walks
 * with its own stack, so a tree of any depth is measured without recursion.
 */
export function filterTreeTooDeep(root: FilterNode): boolean {
  const stack: Array<[FilterNode, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [FilterNode, number];
    if (depth > MAX_FILTER_TREE_DEPTH) return true;
    if (node.type === 'and' || node.type === 'or') {
      for (const item of node.items) stack.push([item, depth + 1]);
    } else if (node.type === 'not') stack.push([node.item, depth + 1]);
  }
  return false;
}
