import * as path from 'node:path';
import { type MarkdownDoc, sections, type Table } from '../markdown';
import { type DocsContext, type Finding, isRunbook } from '../rule';

/** The document that holds the clock table, and the heading above it. */
export const CLOCK_DOC = 'docs/incident-response.md';
export const CLOCK_HEADING = 'Scenario clocks';

/**
 * The one place in a runbook that states its target: a prose line starting with this marker, then
 * the minutes, e.g. `**Page to mitigated:** 15 min, the [scenario clock](...) for ...`.
 */
export const CLOCK_MARKER = '**Page to mitigated:**';

/** The clock table's columns the rule reads, by header text; the human-time parts add up to the total. */
const RUNBOOK_COLUMN = 'runbook';
const TOTAL_COLUMN = 'page to mitigated';
const PART_COLUMNS = ['acknowledge', 'decide', 'act', 'validate'];

interface Clock {
  readonly runbook: string;
  readonly minutes: number;
  readonly line: number;
}

/**
 * One clock per scenario: the table under "Scenario clocks" in docs/incident-response.md gives each
 * scenario's runbook one "page to mitigated" target in minutes, whose acknowledge, decide, act and
 * validate parts add up to it. Each runbook in the table states that same target once, on a line
 * starting with `**Page to mitigated:**`; a runbook outside the table states none; and no runbook
 * promises an MTTR of its own (the clock is the only target).
 */
export function scenarioClocks(ctx: DocsContext): Finding[] {
  const doc = ctx.docs.get(CLOCK_DOC);
  if (!doc) return [];
  const found: Finding[] = [];
  const table = clockTable(doc);
  if (!table) {
    return [
      {
        path: CLOCK_DOC,
        line: 1,
        rule: 'scenario-clock',
        message: `no table under the heading "${CLOCK_HEADING}": every scenario's runbook needs its page-to-mitigated target there`,
      },
    ];
  }
  const clocks = readClocks(table, found);
  const byRunbook = new Map(clocks.map((c) => [c.runbook, c]));
  for (const clock of clocks) {
    if (!ctx.docs.has(clock.runbook)) {
      found.push({
        path: CLOCK_DOC,
        line: clock.line,
        rule: 'scenario-clock',
        message: `the clock table names ${clock.runbook}, which is not a runbook in docs/runbooks/`,
      });
    }
  }
  for (const runbook of [...ctx.docs.values()].filter((d) => isRunbook(d.path))) {
    found.push(...runbookClock(runbook, byRunbook.get(runbook.path)));
  }
  return found;
}

function clockTable(doc: MarkdownDoc): Table | undefined {
  const section = sections(doc).find((s) => s.heading.text === CLOCK_HEADING);
  if (!section) return undefined;
  return doc.tables.find((t) => t.line > section.heading.line && t.line <= section.endLine);
}

function readClocks(table: Table, found: Finding[]): Clock[] {
  const [header, ...rows] = table.rows;
  const column = (name: string) => header.cells.findIndex((c) => c.text.toLowerCase() === name);
  const wanted = [RUNBOOK_COLUMN, TOTAL_COLUMN, ...PART_COLUMNS];
  const missing = wanted.filter((name) => column(name) < 0);
  if (missing.length > 0) {
    found.push({
      path: CLOCK_DOC,
      line: table.line,
      rule: 'scenario-clock',
      message: `the clock table lacks the column(s) ${missing.map((m) => `"${m}"`).join(', ')} (it needs ${wanted.map((w) => `"${w}"`).join(', ')})`,
    });
    return [];
  }
  const clocks: Clock[] = [];
  for (const row of rows) {
    const cell = (name: string) => row.cells[column(name)] ?? { text: '', links: [] };
    const target = cell(RUNBOOK_COLUMN).links.find((l) => /\.md(#.*)?$/.test(l));
    const total = minutes(cell(TOTAL_COLUMN).text);
    const problem = (message: string) =>
      found.push({ path: CLOCK_DOC, line: row.line, rule: 'scenario-clock', message });
    if (!target) {
      problem(`a clock row links to no runbook in its "${RUNBOOK_COLUMN}" column: "${cell(RUNBOOK_COLUMN).text}"`);
      continue;
    }
    const runbook = path.posix.normalize(path.posix.join('docs', target.replace(/#.*$/, '')));
    if (total === undefined) {
      problem(`the clock of ${runbook} is "${cell(TOTAL_COLUMN).text}": write it as whole minutes, e.g. "15 min"`);
      continue;
    }
    const parts = PART_COLUMNS.map((name) => ({ name, value: minutes(cell(name).text) }));
    const unreadable = parts.find((p) => p.value === undefined);
    if (unreadable) {
      problem(
        `the "${unreadable.name}" part of ${runbook}'s clock is "${cell(unreadable.name).text}": start it with whole minutes, e.g. "5 min"`,
      );
    } else {
      const sum = parts.reduce((s, p) => s + p.value!, 0);
      if (sum !== total) {
        problem(
          `the clock of ${runbook} is ${total} min, but its parts add up to ${sum} min (${parts.map((p) => `${p.name} ${p.value}`).join(' + ')})`,
        );
      }
    }
    clocks.push({ runbook, minutes: total, line: row.line });
  }
  return clocks;
}

/** Whole minutes at the start of a cell: "4 min (manual failover budget)" is 4. */
function minutes(text: string): number | undefined {
  const m = /^(\d+) min\b/.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

function runbookClock(doc: MarkdownDoc, clock: Clock | undefined): Finding[] {
  const found: Finding[] = [];
  const stated = doc.prose.filter((l) => l.text.trimStart().startsWith(CLOCK_MARKER));
  const problem = (line: number, message: string) =>
    found.push({ path: doc.path, line, rule: 'scenario-clock', message });
  for (const l of doc.prose.filter((p) => /\bMTTR\b/.test(p.text))) {
    problem(
      l.line,
      `a runbook promises an MTTR of its own: state the scenario clock from ${CLOCK_DOC} instead (${CLOCK_MARKER} N min)`,
    );
  }
  if (!clock) {
    for (const l of stated) {
      problem(
        l.line,
        `states a page-to-mitigated target, but ${CLOCK_DOC} has no clock for this runbook: add its row to the table under "${CLOCK_HEADING}" or drop the line`,
      );
    }
    return found;
  }
  if (stated.length === 0) {
    problem(
      1,
      `the clock table gives this runbook ${clock.minutes} min from page to mitigated; state it once, on a line starting with ${CLOCK_MARKER}`,
    );
  }
  for (const [i, l] of stated.entries()) {
    if (i > 0) {
      problem(l.line, `states its page-to-mitigated target more than once: keep one ${CLOCK_MARKER} line`);
      continue;
    }
    const value = minutes(l.text.trimStart().slice(CLOCK_MARKER.length));
    if (value !== clock.minutes) {
      problem(
        l.line,
        `states a page-to-mitigated target of ${value === undefined ? `"${l.text.trim()}"` : `${value} min`}, but the clock table in ${CLOCK_DOC} gives ${clock.minutes} min`,
      );
    }
  }
  return found.sort((a, b) => a.line - b.line);
}
