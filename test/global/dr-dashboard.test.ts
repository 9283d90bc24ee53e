import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DrDashboard } from '../../lib/global/dr-dashboard';
import { READINESS_CHECKS } from '../../lambda/contract/assurance';
import { defaultConfigAsWritten } from '../support/config';

// A small stack in a fresh App (jest's unit project): the dashboard alone, with literal check ids.
const config = defaultConfigAsWritten(); // while loading: see defaultConfigAsWritten
const { primary, standby } = config.regions;
const account = config.account;
const app = new App();
const stack = new Stack(app, 'Dash', { env: { account, region: 'us-east-1' } });
new DrDashboard(stack, 'DrDashboard', {
  config,
  healthCheckIds: { primary: 'hc-primary', standby: 'hc-standby' },
  primaryServingHealthCheckId: 'hc-serving',
});
const template = Template.fromStack(stack);

/** The dashboard body, with its Fn::Join resolved (every part here is a literal). */
function body(): { widgets: any[] } {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const raw = dashboards[0].Properties.DashboardBody;
  const text =
    typeof raw === 'string'
      ? raw
      : (raw['Fn::Join'][1] as unknown[])
          .map((part) => {
            if (typeof part === 'string') return part;
            if (JSON.stringify(part) === '{"Ref":"AWS::Partition"}') return 'aws';
            throw new Error(`unresolved dashboard body part ${JSON.stringify(part)}`);
          })
          .join('');
  return JSON.parse(text);
}

const widgets = () => body().widgets;
const titled = (title: string) => {
  const found = widgets().filter((w) => w.properties.title === title);
  expect(found).toHaveLength(1);
  return found[0].properties;
};
/** A metric array [namespace, name, dim, value, ..., options] split into its parts. */
function parts(metric: any[]): { id: string; dims: Record<string, string>; options: any } {
  const last = metric[metric.length - 1];
  const options = typeof last === 'object' ? last : {};
  const fields = typeof last === 'object' ? metric.slice(0, -1) : metric;
  const dims: Record<string, string> = {};
  for (let i = 2; i < fields.length; i += 2) dims[fields[i]] = fields[i + 1];
  return { id: `${fields[0]}/${fields[1]}`, dims, options };
}
const alarmArn = (region: string, name: string) => `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`;

describe('DR dashboard', () => {
  test('is one dashboard named <appName>-dr', () => {
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: `${config.appName}-dr` });
  });

  test("shows both regions' Route 53 health checks and the primary-serving check, in us-east-1", () => {
    const w = titled('Route 53 health checks (1 healthy, 0 unhealthy)');
    expect(w.region).toBe('us-east-1');
    const metrics = w.metrics.map(parts);
    expect(metrics.map((m: any) => [m.id, m.dims.HealthCheckId, m.options.stat])).toEqual([
      ['AWS/Route53/HealthCheckStatus', 'hc-primary', 'Minimum'],
      ['AWS/Route53/HealthCheckStatus', 'hc-standby', 'Minimum'],
      ['AWS/Route53/HealthCheckStatus', 'hc-serving', 'Minimum'],
    ]);
    for (const m of metrics) expect(m.options.region ?? w.region).toBe('us-east-1');
  });

  test.each([
    ['Serving from the standby (us-east-1)', 'us-east-1', `${config.appName}-serving-from-standby`, 'failover'],
    [`Traffic switch (ALARM: failover forced) (${standby})`, standby, `${config.appName}-traffic-switch`, 'failover'],
    [`primary unhealthy (us-east-1)`, 'us-east-1', `${config.appName}-primary-unhealthy`, 'service-degradation'],
    [`standby unhealthy (us-east-1)`, 'us-east-1', `${config.appName}-standby-unhealthy`, 'service-degradation'],
    [
      `Replication latency over the RPO (${primary})`,
      primary,
      `${config.appName}-replication-latency-over-rpo`,
      'replication-drift',
    ],
    [`Replication failed (${primary})`, primary, `${config.appName}-replication-failed`, 'replication-drift'],
  ])(
    'alarm widget %s watches the alarm by its deterministic ARN in %s, and its runbook is beside it',
    (title, region, name, runbook) => {
      const all = widgets();
      const index = all.findIndex((w) => w.properties.title === title);
      expect(index).toBeGreaterThanOrEqual(0);
      const w = all[index];
      expect(w.type).toBe('metric');
      expect(w.properties.region).toBe(region);
      expect(w.properties.annotations.alarms).toEqual([alarmArn(region, name)]);
      const text = all[index + 1];
      expect(text.type).toBe('text');
      expect(text.properties.markdown).toBe(`**${name}**\n\nRunbook: docs/runbooks/${runbook}.md`);
    },
  );

  test('replication latency and pending operations come from the source region, per rule, against the RPO', () => {
    const latency = titled(`Replication latency against the RPO (${primary})`);
    const pending = titled(`Operations pending replication (${primary})`);
    const dims = {
      SourceBucket: `${config.appName}-site-${account}-${primary}`,
      DestinationBucket: `${config.appName}-site-${account}-${standby}`,
      RuleId: expect.any(String),
    };
    for (const [w, name] of [
      [latency, 'ReplicationLatency'],
      [pending, 'OperationsPendingReplication'],
    ]) {
      expect(w.region).toBe(primary);
      const [m] = w.metrics.map(parts);
      expect(m.id).toBe(`AWS/S3/${name}`);
      expect(m.dims).toEqual(dims);
    }
    expect(latency.annotations.horizontal).toEqual([
      { value: config.objectives.rpoMinutes * 60, label: `RPO ${config.objectives.rpoMinutes} min`, yAxis: 'left' },
    ]);
  });

  test('readiness: one metric per check, dimension Check, in the standby region', () => {
    const w = titled(`Readiness checks (1 failed, ${standby})`);
    expect(w.region).toBe(standby);
    expect(w.metrics.map(parts).map((m: any) => [m.id, m.dims])).toEqual(
      READINESS_CHECKS.map((check) => [`${config.appName}/DR-Assurance/ReadinessCheckFailed`, { Check: check }]),
    );
  });

  test("the last drill's RTO and RPO, in the standby region, against the objectives", () => {
    const rto = config.objectives.rtoMinutes * 60;
    const rpo = config.objectives.rpoMinutes * 60;
    const w = titled('Drill measurements against the objectives');
    expect(w.region).toBe(standby);
    expect(w.metrics.map(parts).map((m: any) => [m.id, m.dims])).toEqual([
      [`${config.appName}/DR-Assurance/DrillMeasuredRtoSeconds`, {}],
      [`${config.appName}/DR-Assurance/DrillAchievedRpoSeconds`, {}],
    ]);
    expect(w.annotations.horizontal.map((a: any) => a.value)).toEqual([rto, rpo]);
    const single = titled(`Last drill: measured RTO (s), objective ${rto} s (${standby})`);
    // The newest daily point of the last 90 days: the last drill, not a maximum over a long period.
    expect(single.start).toBe('-P90D');
    expect(single.period).toBeUndefined();
    expect(parts(single.metrics[0]).options).toMatchObject({ stat: 'Maximum', period: 86400 });
    expect(w.start).toBe('-P90D');
    expect(single.region).toBe(standby);
    expect(parts(single.metrics[0]).id).toBe(`${config.appName}/DR-Assurance/DrillMeasuredRtoSeconds`);
    expect(parts(titled(`Last drill: achieved RPO (s), objective ${rpo} s (${standby})`).metrics[0]).id).toBe(
      `${config.appName}/DR-Assurance/DrillAchievedRpoSeconds`,
    );
    expect(parts(titled(`Last drill passed (1 yes, ${standby})`).metrics[0]).id).toBe(
      `${config.appName}/DR-Assurance/DrillPassed`,
    );
  });

  test.each([primary, standby])('AWS Backup job counts of the vault, searched in %s', (region) => {
    const w = titled(`AWS Backup jobs, vault ${config.appName}-site-vault (${region})`);
    expect(w.region).toBe(region);
    const expressions = w.metrics.map((m: any[]) => m[0]);
    expect(expressions.map((e: any) => [e.expression, e.region ?? w.region])).toEqual(
      ['NumberOfBackupJobsCompleted', 'NumberOfBackupJobsFailed', 'NumberOfCopyJobsFailed'].map((name) => [
        `SEARCH('Namespace="AWS/Backup" MetricName="${name}" BackupVaultName="${config.appName}-site-vault"', 'Sum', 86400)`,
        region,
      ]),
    );
  });

  test.each([primary, standby])('certificate DaysToExpiry per CertificateArn, searched in %s', (region) => {
    const w = titled(`Certificate days to expiry (${region})`);
    expect(w.region).toBe(region);
    const [[e]] = w.metrics;
    expect(e.expression).toBe(
      `SEARCH('{AWS/CertificateManager,CertificateArn} MetricName="DaysToExpiry"', 'Minimum', 86400)`,
    );
    expect(e.region ?? w.region).toBe(region);
  });

  test.each([primary, standby])("the site API stage's 4xx, 5xx and latency by ApiName and Stage, in %s", (region) => {
    const w = titled(`Site API live stage errors and latency (${region})`);
    expect(w.region).toBe(region);
    const metrics = w.metrics.map(parts);
    expect(metrics.map((m: any) => [m.id, m.dims, m.options.stat, m.options.yAxis ?? 'left'])).toEqual([
      ['AWS/ApiGateway/4XXError', { ApiName: 'Api', Stage: 'live' }, 'Sum', 'left'],
      ['AWS/ApiGateway/5XXError', { ApiName: 'Api', Stage: 'live' }, 'Sum', 'left'],
      ['AWS/ApiGateway/Latency', { ApiName: 'Api', Stage: 'live' }, 'p99', 'right'],
    ]);
    for (const m of metrics) expect(m.options.region ?? w.region).toBe(region);
  });
});
