import * as path from 'node:path';
import { type DocsContext, type Finding, isRunbook } from '../rule';

const INDEX = 'docs/runbooks/README.md';

/** docs/runbooks/README.md exists and links every runbook. */
export function runbookIndex(ctx: DocsContext): Finding[] {
  const index = ctx.docs.get(INDEX);
  const runbooks = [...ctx.docs.keys()].filter(isRunbook);
  if (!index) {
    return runbooks.length === 0
      ? []
      : [{ path: INDEX, line: 1, rule: 'runbook-index', message: 'the runbooks index is missing' }];
  }
  const linked = new Set(
    index.links.map((l) => path.posix.normalize(path.posix.join('docs/runbooks', l.text.split('#')[0]))),
  );
  return runbooks
    .filter((r) => !linked.has(r))
    .map((r) => ({
      path: index.path,
      line: 1,
      rule: 'runbook-index' as const,
      message: `does not link the runbook ${r}`,
    }));
}
