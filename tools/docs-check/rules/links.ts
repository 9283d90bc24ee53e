import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MarkdownDoc } from '../markdown';
import type { DocsContext, Finding } from '../rule';

/** Every relative link points at a file that exists, and at a heading the Markdown target has. */
export function links(doc: MarkdownDoc, { docs, root }: DocsContext): Finding[] {
  const found: Finding[] = [];
  for (const link of doc.links) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(link.text)) continue; // https:, mailto:
    const [file, anchor] = link.text.split('#', 2);
    const target = file === '' ? doc.path : path.posix.normalize(path.posix.join(path.posix.dirname(doc.path), file));
    if (target.startsWith('..') || !fs.existsSync(path.join(root, target))) {
      found.push({
        path: doc.path,
        line: link.line,
        rule: 'broken-link',
        message: `link to ${link.text}: ${target} does not exist`,
      });
      continue;
    }
    if (anchor !== undefined && target.endsWith('.md')) {
      const targetDoc = docs.get(target);
      if (targetDoc && !targetDoc.headings.some((h) => h.slug === anchor)) {
        found.push({
          path: doc.path,
          line: link.line,
          rule: 'broken-link',
          message: `link to ${link.text}: ${target} has no heading #${anchor}`,
        });
      }
    }
  }
  return found;
}
