import type { MarkdownDoc } from '../markdown';
import { type Finding, SHELL } from '../rule';

const UNMARKED = /\b(TODO|TBD|FIXME|XXX+|CHANGEME|REPLACEME)\b|\byour[-_][a-z]+/gi;

/** Placeholders are marked `<what to put here>`, and quoted in shell commands. */
export function placeholders(doc: MarkdownDoc): Finding[] {
  const found: Finding[] = [];
  const scan = (text: string, line: number) => {
    for (const m of text.replace(/<[^<>\n]+>/g, '').matchAll(UNMARKED)) {
      found.push({
        path: doc.path,
        line,
        rule: 'placeholder',
        message: `unmarked placeholder "${m[0]}": write it as "<what to put here>", or fill it in`,
      });
    }
  };
  for (const p of doc.prose) scan(p.text, p.line);
  for (const block of doc.codeBlocks) {
    block.lines.forEach((text, i) => {
      const line = block.line + 1 + i;
      scan(text, line);
      if (!SHELL.has(block.lang)) return;
      for (const m of unquoted(stripHeredocs(text)).matchAll(/<[A-Za-z][^<>]*>/g)) {
        found.push({
          path: doc.path,
          line,
          rule: 'placeholder',
          message: `placeholder ${m[0]} is outside quotes: the shell reads it as a redirection; write "${m[0]}" in quotes`,
        });
      }
    });
  }
  return found;
}

function stripHeredocs(text: string): string {
  return text.replace(/<<-?\s*'?[A-Z_]+'?/g, '');
}

/** The line with quoted strings blanked out. */
function unquoted(text: string): string {
  return text.replace(/"[^"]*"|'[^']*'/g, '""');
}
