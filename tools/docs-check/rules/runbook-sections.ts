import { type MarkdownDoc, sections } from '../markdown';
import { type Finding, isRunbook, SHELL } from '../rule';

/**
 * The mandatory runbook sections, in order, as H2 headings. A heading matches when it starts with
 * the pattern, so "Prerequisites and access" and "Rollback and recovery" both do.
 */
export const RUNBOOK_SECTIONS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'Purpose', pattern: /^purpose\b/i },
  { name: 'Scope', pattern: /^scope\b/i },
  { name: 'Prerequisites and access', pattern: /^prereq/i },
  { name: 'Procedure', pattern: /^procedure\b/i },
  { name: 'Validation', pattern: /^validation\b/i },
  { name: 'Rollback and recovery', pattern: /^rollback\b/i },
  { name: 'Failure modes and troubleshooting', pattern: /^failure modes\b/i },
  { name: 'References', pattern: /^references\b/i },
];

/** Every runbook has the mandatory sections, in order, none empty, and a Validation with a command. */
export function runbookSections(doc: MarkdownDoc): Finding[] {
  if (!isRunbook(doc.path)) return [];
  const found: Finding[] = [];
  const h2 = sections(doc);
  const at = RUNBOOK_SECTIONS.map((required) => h2.findIndex((s) => required.pattern.test(s.heading.text)));
  RUNBOOK_SECTIONS.forEach((required, i) => {
    if (at[i] < 0) {
      found.push({
        path: doc.path,
        line: 1,
        rule: 'runbook-sections',
        message: `missing the mandatory section "${required.name}"`,
      });
      return;
    }
    const section = h2[at[i]];
    // Out of order: a section that comes after one the format puts later.
    const later = RUNBOOK_SECTIONS.findIndex((_, j) => j > i && at[j] >= 0 && at[j] < at[i]);
    if (later >= 0) {
      found.push({
        path: doc.path,
        line: section.heading.line,
        rule: 'runbook-sections',
        message: `section "${section.heading.text}" is out of order: it must come before "${h2[at[later]].heading.text}" (the format is ${RUNBOOK_SECTIONS.map((s) => s.name).join(', ')})`,
      });
    }
    if (section.contentLines === 0) {
      found.push({
        path: doc.path,
        line: section.heading.line,
        rule: 'runbook-sections',
        message: `section "${section.heading.text}" is empty`,
      });
    }
    if (required.name === 'Validation' && !section.codeBlocks.some((b) => SHELL.has(b.lang))) {
      found.push({
        path: doc.path,
        line: section.heading.line,
        rule: 'runbook-sections',
        message: 'section "Validation" has no command to run: a validation must be a check that can fail',
      });
    }
  });
  return found;
}
