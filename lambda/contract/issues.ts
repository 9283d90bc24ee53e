/**
 * Helpers for reporting schema problems as "field: got value, expected ...", shared by the config
 * (lib/config.ts) and the deployment record (deployment.ts).
 */

/** The value at a zod issue's path in the input, or undefined when any step of it is absent. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** How an expected zod type reads in a message. */
export const TYPE_NAMES: Readonly<Record<string, string>> = {
  int: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
};
