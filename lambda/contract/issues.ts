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

/** One zod issue as "field: got value, expected ..." (or "field: missing, expected ..."). */
export function describeIssue(
  input: unknown,
  issue: {
    readonly path: readonly PropertyKey[];
    readonly code: string;
    readonly message: string;
    readonly expected?: unknown;
  },
): string {
  const field = issue.path.map(String).join('.') || '(root)';
  const value = valueAt(input, issue.path);
  const expected =
    issue.code === 'invalid_type' ? (TYPE_NAMES[String(issue.expected)] ?? String(issue.expected)) : issue.message;
  return value === undefined
    ? `${field}: missing, expected ${expected}`
    : `${field}: got ${JSON.stringify(value)}, expected ${expected}`;
}
