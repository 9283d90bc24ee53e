import type { MarkdownDoc } from '../markdown';
import type { Finding } from '../rule';

export const CODE_LANGUAGES = new Set(['bash', 'sh', 'json', 'text', 'ts', 'typescript', 'yaml', 'mermaid']);

/** Every code block names a language the docs use, so readers and the other rules know what it is. */
export function codeLanguage(doc: MarkdownDoc): Finding[] {
  const found: Finding[] = [];
  for (const block of doc.codeBlocks) {
    if (!block.lang) {
      found.push({ path: doc.path, line: block.line, rule: 'code-language', message: 'code block has no language' });
    } else if (!CODE_LANGUAGES.has(block.lang)) {
      found.push({
        path: doc.path,
        line: block.line,
        rule: 'code-language',
        message: `code block language "${block.lang}" is not one of ${[...CODE_LANGUAGES].join(', ')}`,
      });
    }
  }
  return found;
}
