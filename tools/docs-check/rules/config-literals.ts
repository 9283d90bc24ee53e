import type { MarkdownDoc } from '../markdown';
import type { DocOptions, Finding } from '../rule';
import { shellLines } from './command-support';

/** A config value that commands read at run time, with the jq path that reads it. */
interface ConfigLiteral {
  readonly field: string;
  readonly value: string;
}

/** Characters that continue a host name or a search string: a value is only matched as a whole word. */
const WORD = 'A-Za-z0-9_-';

/**
 * No shell command repeats the deployment's domain, hosted zone or health-check search string: it
 * reads them from the config (`DOMAIN=$(jq -r .domainName config/default.json)`), so a runbook fits
 * the deployment it runs against rather than the shipped placeholders. The domain is matched
 * before the zone it lies in, so `us-east-1.www.example.com` is one finding, about the domain.
 */
export function configLiterals(doc: MarkdownDoc, { config }: DocOptions): Finding[] {
  const literals: ConfigLiteral[] = [
    { field: 'domainName', value: config.domainName },
    { field: 'hostedZone.name', value: config.hostedZone.name.replace(/\.$/, '') },
    { field: 'healthCheck.searchString', value: config.healthCheck.searchString },
  ];
  const found: Finding[] = [];
  for (const logical of shellLines(doc)) {
    let text = logical.text;
    for (const { field, value } of literals) {
      const pattern = new RegExp(`(?<![${WORD}])${escape(value)}(?![${WORD}])`, 'g');
      if (!pattern.test(text)) continue;
      found.push({
        path: doc.path,
        line: logical.line,
        rule: 'config-literal',
        message: `a command repeats the config's ${field} "${value}": read it from the config (jq -r .${field} config/default.json) so that it fits the deployment it runs against`,
      });
      text = text.replace(pattern, ' ');
    }
  }
  return found;
}

function escape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
