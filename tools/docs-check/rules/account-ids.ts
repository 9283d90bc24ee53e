import type { MarkdownDoc } from '../markdown';
import { type Finding, SHELL } from '../rule';

/** No literal 12-digit account id in a shell command: it is read at run time. */
export function accountIds(doc: MarkdownDoc): Finding[] {
  const found: Finding[] = [];
  for (const block of doc.codeBlocks.filter((b) => SHELL.has(b.lang))) {
    block.lines.forEach((text, i) => {
      if (/(?<!\d)\d{12}(?!\d)/.test(text)) {
        found.push({
          path: doc.path,
          line: block.line + 1 + i,
          rule: 'resolve-ids',
          message:
            'a literal 12-digit account id: read it at run time (from the config or `aws sts get-caller-identity`)',
        });
      }
    });
  }
  return found;
}
