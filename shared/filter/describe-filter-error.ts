import type { FilterError } from './filter-ast';

/** One line for a person: the message and the 1-based column of the problem. */
export function describeFilterError(error: FilterError): string {
  return `${error.message} (at column ${error.position + 1})`;
}
