import type { AlarmFact } from '../facts';
import type { DocsContext, Finding } from '../rule';

const OBSERVABILITY = 'docs/observability.md';

const where = (alarm: AlarmFact) => `alarm ${alarm.name ?? alarm.logicalId} (${alarm.stack})`;

/**
 * Every alarm's description links a runbook that exists: "Runbook: docs/runbooks/<name>.md", or
 * "Runbook: https://<where the docs are published>/docs/runbooks/<name>.md" when the config sets
 * `paging.docsBaseUrl`.
 */
export function alarmRunbook({ facts, docs }: DocsContext): Finding[] {
  const found: Finding[] = [];
  for (const alarm of facts.allAlarms) {
    const link = /Runbook:\s*(?:https:\/\/\S+?\/)?(docs\/runbooks\/[\w.-]+\.md)/i.exec(alarm.description);
    if (!link) {
      found.push({
        path: alarm.stack,
        line: 0,
        rule: 'alarm-runbook',
        message: `${where(alarm)} has no "Runbook: docs/runbooks/<name>.md" in its description`,
      });
    } else if (!docs.has(link[1])) {
      found.push({
        path: alarm.stack,
        line: 0,
        rule: 'alarm-runbook',
        message: `${where(alarm)} links to ${link[1]}, which does not exist`,
      });
    }
  }
  return found;
}

/** Every alarm has a fixed name, and docs/observability.md describes it by that name. */
export function alarmDocumented({ facts, docs }: DocsContext): Finding[] {
  const found: Finding[] = [];
  const observability = docs.get(OBSERVABILITY);
  for (const alarm of facts.allAlarms) {
    if (!alarm.name) {
      found.push({
        path: alarm.stack,
        line: 0,
        rule: 'alarm-documented',
        message: `${where(alarm)} has no fixed AlarmName, so no runbook can name it`,
      });
    } else if (!observability?.inlineCode.some((s) => s.text === alarm.name)) {
      found.push({
        path: OBSERVABILITY,
        line: 1,
        rule: 'alarm-documented',
        message: `${where(alarm)} is not described in ${OBSERVABILITY}`,
      });
    }
  }
  return found;
}
