import type { Template } from 'aws-cdk-lib/assertions';
import { sharedTemplates } from '../support/app';

/**
 * Every alarm of the default app, pinned to its urgency from the severity table
 * (docs/incident-response.md) and to its runbook. A new alarm fails here until it is added, with
 * its urgency chosen on purpose.
 */
const EXPECTED: Record<string, { urgency: 'high' | 'low'; runbook: string; region: string }> = {
  // SEV1/SEV2: the primary is down; visitors are served by the standby at best.
  'portfolio-primary-unhealthy': { urgency: 'high', runbook: 'service-degradation', region: 'us-east-1' },
  // SEV3 while the primary serves; both down pages high through primary-unhealthy.
  'portfolio-standby-unhealthy': { urgency: 'low', runbook: 'service-degradation', region: 'us-east-1' },
  // SEV2: serving from the last line of defence.
  'portfolio-serving-from-standby': { urgency: 'high', runbook: 'failover', region: 'us-east-1' },
  // SEV2: the RPO is at risk.
  'portfolio-replication-latency-over-rpo': { urgency: 'high', runbook: 'replication-drift', region: 'us-east-1' },
  // Early warnings, before the RPO is broken: working hours.
  'portfolio-replication-latency-over-rtc': { urgency: 'low', runbook: 'replication-drift', region: 'us-east-1' },
  'portfolio-replication-stalled': { urgency: 'low', runbook: 'replication-drift', region: 'us-east-1' },
  // Early warnings in each certificate's region: ACM's renewal is stuck, weeks before expiry.
  'portfolio-certificate-expiring-primary': { urgency: 'low', runbook: 'certificate-dns-failure', region: 'us-east-1' },
  'portfolio-certificate-expiring-standby': { urgency: 'low', runbook: 'certificate-dns-failure', region: 'us-west-2' },
  // SEV3: a recovery option is degraded; verify-replication repairs it.
  'portfolio-replication-failed': { urgency: 'low', runbook: 'replication-drift', region: 'us-east-1' },
  // The switch moving is news; its visitor impact pages high through serving-from-standby.
  'portfolio-traffic-switch': { urgency: 'low', runbook: 'failover', region: 'us-west-2' },
  // Readiness (docs/runbooks/readiness.md): high when the standby could not take traffic now.
  'portfolio-readiness-health-checks': { urgency: 'high', runbook: 'readiness', region: 'us-west-2' },
  'portfolio-readiness-replication-drift': { urgency: 'high', runbook: 'readiness', region: 'us-west-2' },
  'portfolio-readiness-live-release': { urgency: 'high', runbook: 'readiness', region: 'us-west-2' },
  'portfolio-readiness-hosting-settings': { urgency: 'high', runbook: 'readiness', region: 'us-west-2' },
  // Early warnings or states that are news, not outages: handled in working hours.
  'portfolio-readiness-traffic-switch': { urgency: 'low', runbook: 'readiness', region: 'us-west-2' },
  'portfolio-readiness-certificates': { urgency: 'low', runbook: 'readiness', region: 'us-west-2' },
  'portfolio-readiness-recovery-point': { urgency: 'low', runbook: 'readiness', region: 'us-west-2' },
  // A failed drill may have left traffic on the standby.
  'portfolio-drill-failed': { urgency: 'high', runbook: 'drill', region: 'us-west-2' },
  // SEV2: the live-release watch itself failed, so a changed live release may have gone unpaged.
  'portfolio-release-watch-failed-primary': {
    urgency: 'high',
    runbook: 'live-release-changed',
    region: 'us-east-1',
  },
  'portfolio-release-watch-failed-standby': {
    urgency: 'high',
    runbook: 'live-release-changed',
    region: 'us-west-2',
  },
};

describe('every alarm has one urgency and a runbook', () => {
  const alarms = Object.values(sharedTemplates()).flatMap((template: Template) =>
    Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties as Record<string, any>),
  );

  test('the app has exactly the pinned alarms', () => {
    expect(alarms.map((a) => a.AlarmName).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  test.each(Object.entries(EXPECTED))('%s pages %o', (name, { urgency, runbook, region }) => {
    const alarm = alarms.find((a) => a.AlarmName === name)!;
    const topic = `arn:aws:sns:${region}:111111111111:portfolio-page-${urgency}`;
    expect(alarm.AlarmActions).toEqual([topic]);
    expect(alarm.OKActions).toEqual([topic]);
    expect(alarm.AlarmDescription).toMatch(new RegExp(` Runbook: docs/runbooks/${runbook}\\.md$`));
  });
});
