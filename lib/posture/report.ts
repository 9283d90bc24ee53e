import { OBJECTIVES_METADATA, type StackView } from './assembly';
import {
  assessObjectives,
  backupCopyRpo,
  type Budget,
  formatSeconds,
  type Objectives,
  PostureError,
} from './objectives';
import {
  countByType,
  failoverRecords,
  isSiteContentBucket,
  referencedResource,
  resourcesOfType,
} from './template-queries';

/**
 * The DR posture of a synthesized app, for people reviewing templates: what runs where, how
 * traffic fails over, each objective against its computed worst case, every acknowledged nag
 * finding, and what the posture does not cover. Built from cdk.out alone (no AWS access).
 */
export interface PostureReport {
  readonly regions: RegionPosture[];
  readonly failoverPath: string[];
  readonly objectives: ObjectiveLine[];
  readonly acknowledgements: AcknowledgementLine[];
  readonly notCovered: string[];
}

export interface RegionPosture {
  readonly region: string;
  readonly stacks: { name: string; terminationProtection: boolean; resources: Record<string, number> }[];
  readonly facts: string[];
}

export interface ObjectiveLine {
  readonly objective: string;
  readonly targetMinutes: number | null;
  readonly budget: string;
  readonly worstCaseSeconds: number;
  readonly terms: { label: string; seconds: number; formula: string; source: string }[];
  /** true = met, false = exceeded, null = informational (no target promises it). */
  readonly met: boolean | null;
}

export interface AcknowledgementLine {
  readonly stack: string;
  readonly rule: string;
  readonly reason: string;
  readonly resources: string[];
}

/** Limits that no template can show, stated so a reviewer does not assume them covered. */
export const NOT_COVERED: readonly string[] = [
  'Registrar or hosted-zone loss: Route 53 failover needs the zone; there is no secondary DNS provider.',
  'DNS resolvers that ignore TTLs keep sending visitors to the failed region beyond the computed worst case.',
  'Replication Time Control covers 99.99% of objects within 15 minutes; S3 does not bound the rest.',
  'Replication is one way (primary to standby): content written to the standby during a failover is not copied back.',
  'A bad release replicates to the standby like a good one: roll back the release, do not fail over.',
  'Deploying infrastructure needs the CloudFormation, IAM and Route 53 control planes (Route 53 in us-east-1).',
  'Certificate renewal relies on the ACM validation records staying in the hosted zone.',
  'Object versions are protected by a bucket-policy Deny that the break-glass role and the CDK CloudFormation execution role are exempt from: whoever can deploy or assume break-glass can still delete history (the locked backup vaults stop them).',
  'The posture is computed from templates; it was not measured against a live deployment.',
];

function regionFacts(stacks: StackView[]): string[] {
  const facts: string[] = [];
  for (const stack of stacks) {
    for (const [id, b] of resourcesOfType(stack, 'AWS::S3::Bucket')) {
      if (!isSiteContentBucket(b)) continue;
      const p = b.Properties ?? {};
      const rules = p.ReplicationConfiguration?.Rules ?? [];
      facts.push(
        `site bucket ${stack.stackName}/${id}: versioning ${p.VersioningConfiguration?.Status ?? 'off'}, ` +
          (rules.length > 0
            ? `replicates to ${rules.map((r: any) => JSON.stringify(r.Destination.Bucket)).join(', ')} ` +
              `(RTC ${rules[0].Destination.ReplicationTime?.Time?.Minutes ?? 'off'} min, delete markers ${rules[0].DeleteMarkerReplication?.Status})`
            : 'replica (no outgoing replication)') +
          `, ${b.DeletionPolicy ?? 'Delete'} on delete`,
      );
    }
    for (const [, plan] of resourcesOfType(stack, 'AWS::Backup::BackupPlan')) {
      for (const rule of plan.Properties.BackupPlan.BackupPlanRule ?? []) {
        facts.push(
          `backup rule ${rule.RuleName}: continuous ${rule.EnableContinuousBackup === true ? 'on' : 'off'}, ` +
            `kept ${rule.Lifecycle?.DeleteAfterDays ?? '?'} days, schedule ${rule.ScheduleExpression ?? 'default'}, ` +
            `${(rule.CopyActions ?? []).length} cross-region copy action(s)`,
        );
      }
    }
    for (const [, d] of resourcesOfType(stack, 'AWS::ApiGateway::DomainName')) {
      facts.push(`HTTPS endpoint https://${d.Properties.DomainName}/ (${d.Properties.SecurityPolicy})`);
    }
    for (const [, a] of resourcesOfType(stack, 'AWS::CloudWatch::Alarm')) {
      const name = a.Properties.AlarmName ? `${a.Properties.AlarmName}: ` : '';
      facts.push(`alarm ${name}${String(a.Properties.AlarmDescription ?? a.Properties.MetricName)}`);
    }
  }
  return facts;
}

function failoverPath(stacks: StackView[]): string[] {
  const lines: string[] = [];
  for (const stack of stacks) {
    const describe = (ref: any): string => {
      const check = referencedResource(stack, ref);
      const hc = check?.Type === 'AWS::Route53::HealthCheck' ? check.Properties?.HealthCheckConfig : undefined;
      if (!hc) return 'no health check';
      switch (hc.Type) {
        case 'CALCULATED':
          return `CALCULATED(${hc.HealthThreshold} of: ${(hc.ChildHealthChecks ?? []).map((c: any) => describe(c)).join('; ')})`;
        case 'CLOUDWATCH_METRIC':
          return `alarm ${hc.AlarmIdentifier.Name} in ${hc.AlarmIdentifier.Region} (insufficient data = ${hc.InsufficientDataHealthStatus})`;
        default:
          return `${hc.Type} https://${hc.FullyQualifiedDomainName}${hc.ResourcePath ?? ''} every ${hc.RequestInterval} s, unhealthy after ${hc.FailureThreshold} failures`;
      }
    };
    for (const failover of ['PRIMARY', 'SECONDARY'] as const) {
      for (const { resource } of failoverRecords([stack], failover)) {
        const p = resource.Properties;
        lines.push(
          `${failover} ${p.Name} ${p.Type} (${p.SetIdentifier}): ${describe(p.HealthCheckId)}; ` +
            `alias evaluates target health: ${p.AliasTarget?.EvaluateTargetHealth === true}`,
        );
      }
    }
  }
  return lines;
}

function objectiveLine(objective: string, target: number | null, b: Budget, met: boolean | null): ObjectiveLine {
  return {
    objective,
    targetMinutes: target,
    budget: b.name,
    worstCaseSeconds: b.worstCaseSeconds,
    terms: b.terms.map((t) => ({ ...t })),
    met,
  };
}

function acknowledgements(stacks: StackView[]): AcknowledgementLine[] {
  const byKey = new Map<string, AcknowledgementLine>();
  for (const stack of stacks) {
    for (const [id, r] of Object.entries(stack.template.Resources ?? {})) {
      for (const s of r.Metadata?.cdk_nag?.rules_to_suppress ?? []) {
        const key = `${stack.stackName}\u0000${s.id}\u0000${s.reason}`;
        const line = byKey.get(key) ?? {
          stack: stack.stackName,
          rule: s.id,
          reason: s.reason,
          resources: [] as string[],
        };
        line.resources.push(id);
        byKey.set(key, line);
      }
    }
  }
  return [...byKey.values()];
}

/** Build the report. Throws PostureError when the app lacks what the budgets need. */
export function buildPostureReport(stacks: StackView[]): PostureReport {
  const objectives: Objectives | undefined = stacks.find((s) => s.template.Metadata?.[OBJECTIVES_METADATA])?.template
    .Metadata?.[OBJECTIVES_METADATA];
  if (!objectives)
    throw new PostureError(`no stack records the declared objectives (template metadata ${OBJECTIVES_METADATA})`);

  const lines = assessObjectives(stacks, objectives).flatMap((a) =>
    a.budgets.map((b) => objectiveLine(a.objective, a.targetMinutes, b, !a.exceeded.includes(b))),
  );
  lines.push(objectiveLine('RPO', null, backupCopyRpo(stacks), null));

  const regions = [...new Set(stacks.map((s) => s.region))].sort();
  return {
    regions: regions.map((region) => {
      const here = stacks.filter((s) => s.region === region);
      return {
        region,
        stacks: here.map((s) => ({
          name: s.stackName,
          terminationProtection: s.terminationProtection,
          resources: countByType(s),
        })),
        facts: regionFacts(here),
      };
    }),
    failoverPath: failoverPath(stacks),
    objectives: lines,
    acknowledgements: acknowledgements(stacks),
    notCovered: [...NOT_COVERED],
  };
}

const verdict = (met: boolean | null) => (met === null ? 'info' : met ? 'met' : 'EXCEEDED');

/** The short summary printed by `drctl posture`. */
export function renderSummary(report: PostureReport): string {
  const out = ['DR posture'];
  for (const r of report.regions) out.push(`  ${r.region}: ${r.stacks.map((s) => s.name).join(', ')}`);
  out.push('  failover:');
  for (const line of report.failoverPath) out.push(`    ${line}`);
  out.push('  objectives:');
  for (const o of report.objectives) {
    const target = o.targetMinutes === null ? 'no target' : `target ${o.targetMinutes} min`;
    out.push(
      `    ${o.objective} ${o.budget}: worst case ${formatSeconds(o.worstCaseSeconds)}, ${target} -> ${verdict(o.met)}`,
    );
  }
  out.push(`  acknowledged nag findings: ${report.acknowledgements.length} (reasons in the report)`);
  out.push(`  not covered: ${report.notCovered.length} items (listed in the report)`);
  return out.join('\n');
}

/** The full Markdown report. */
export function renderMarkdown(report: PostureReport): string {
  const md: string[] = [
    '# DR posture report',
    '',
    'Computed from the synthesized templates (`cdk.out`), without AWS access.',
    '',
  ];
  md.push(
    '## Objectives',
    '',
    '| objective | worst case of | worst case | target | verdict |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const o of report.objectives) {
    md.push(
      `| ${o.objective} | ${o.budget} | ${formatSeconds(o.worstCaseSeconds)} | ${o.targetMinutes === null ? 'none' : `${o.targetMinutes} min`} | ${verdict(o.met)} |`,
    );
  }
  md.push('');
  for (const o of report.objectives) {
    md.push(`Terms of "${o.budget}":`, '');
    for (const t of o.terms) md.push(`- ${t.label}: ${t.seconds} s (${t.formula}); source: <${t.source}>`);
    md.push('');
  }
  md.push('## Failover path', '');
  for (const line of report.failoverPath) md.push(`- ${line}`);
  md.push('');
  for (const r of report.regions) {
    md.push(`## ${r.region}`, '');
    for (const s of r.stacks) {
      const counts = Object.entries(s.resources)
        .map(([type, n]) => `${type.replace(/^AWS::/, '')} x${n}`)
        .join(', ');
      md.push(`- stack \`${s.name}\`${s.terminationProtection ? ' (termination-protected)' : ''}: ${counts}`);
    }
    for (const f of r.facts) md.push(`- ${f}`);
    md.push('');
  }
  md.push('## Acknowledged nag findings', '', '| stack | rule | resources | reason |', '| --- | --- | --- | --- |');
  for (const a of report.acknowledgements) {
    md.push(`| ${a.stack} | \`${a.rule}\` | ${a.resources.join(', ')} | ${a.reason} |`);
  }
  md.push('', '## Not covered', '');
  for (const n of report.notCovered) md.push(`- ${n}`);
  return `${md.join('\n')}\n`;
}
