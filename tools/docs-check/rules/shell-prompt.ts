import type { MarkdownDoc } from '../markdown';
import { type Finding, SHELL } from '../rule';

/** Shell commands carry no prompt (`$ `, `% `, `> `, `PS> `): it breaks copy and paste. */
export function shellPrompt(doc: MarkdownDoc): Finding[] {
  const found: Finding[] = [];
  for (const block of doc.codeBlocks.filter((b) => SHELL.has(b.lang))) {
    block.lines.forEach((text, i) => {
      // A line continuing the previous one (`... \` then `> file`) is not a new command.
      const continuation = i > 0 && /\\\s*$/.test(block.lines[i - 1]);
      if (!continuation && /^\s*(\$|%|>|PS>)\s/.test(text)) {
        found.push({
          path: doc.path,
          line: block.line + 1 + i,
          rule: 'shell-prompt',
          message: `command has a shell prompt ("${text.trim().slice(0, 40)}"): it breaks copy and paste`,
        });
      }
    });
  }
  return found;
}
