import type { Template } from 'aws-cdk-lib/assertions';
import { isRoute53Write } from '../../lib/posture/rules/failover-roles-without-route53-write';
import { constructTree, sharedTemplates } from '../support/app';

const t = constructTree();
const regions = [
  ['primary', 'us-east-1', sharedTemplates().recoveryPrimary],
  ['standby', 'us-west-2', sharedTemplates().recoveryStandby],
] as const;

/** Statements of the policy attached to the role of the function with this handler. */
function statementsFor(template: Template, handler: string): any[] {
  const fn = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Handler: handler } }))[0];
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const actionsOf = (statements: any[]) => statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

describe.each(regions)('recovery stack, %s (%s)', (role, region, template) => {
  test('is deployed in its region', () => {
    expect(t.stacks.recovery[role].region).toBe(region);
  });

  test('deploys every playbook and the live-release watch from one bundle, on Node.js 24 arm64, with the deployment descriptor', () => {
    const fns = Object.values(
      template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } }),
    );
    expect(fns.map((f) => f.Properties.Handler).sort()).toEqual(
      [
        'index.failback',
        'index.failover',
        'index.liveReleaseChanged',
        'index.restore',
        'index.rollbackRelease',
        'index.status',
        'index.verifyReplicationHandler',
      ].sort(),
    );
    const keys = new Set(fns.map((f) => JSON.stringify(f.Properties.Code.S3Key)));
    expect(keys.size).toBe(1);
    const env = JSON.parse(fns[0].Properties.Environment.Variables.DR_DEPLOYMENT);
    expect(env).toMatchObject({
      regions: { primary: 'us-east-1', standby: 'us-west-2' },
      trafficSwitch: { alarmName: 'portfolio-traffic-switch' },
    });
    expect(fns.every((f) => f.Properties.Architectures[0] === 'arm64')).toBe(true);
  });

  test('failover and failback roles hold no Route 53 permission at all', () => {
    for (const handler of ['index.failover', 'index.failback']) {
      const actions = actionsOf(statementsFor(template, handler));
      expect(actions.filter((a: string) => a.startsWith('route53:') || a === '*')).toEqual([]);
      expect(actions.some(isRoute53Write)).toBe(false);
    }
  });

  test('failover may only read the switch alarm, put data in the switch namespace, write its own logs and send its traces', () => {
    const fn = Object.values(
      template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.failover' } }),
    )[0];
    expect(statementsFor(template, 'index.failover')).toEqual([
      {
        Action: 'cloudwatch:DescribeAlarms',
        Effect: 'Allow',
        Resource: 'arn:aws:cloudwatch:us-west-2:111111111111:alarm:portfolio-traffic-switch',
      },
      {
        Action: 'cloudwatch:PutMetricData',
        Condition: { StringEquals: { 'cloudwatch:namespace': 'portfolio/DR' } },
        Effect: 'Allow',
        Resource: '*',
      },
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [fn.Properties.LoggingConfig.LogGroup.Ref, 'Arn'] },
      },
      { Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Effect: 'Allow', Resource: '*' },
    ]);
  });

  test('every playbook writes only to its own log group: no managed policy (no logs:CreateLogGroup on "*")', () => {
    const fns = Object.values(
      template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } }),
    );
    expect(fns).toHaveLength(7);
    const roles = template.findResources('AWS::IAM::Role');
    for (const f of fns) {
      const roleId = f.Properties.Role['Fn::GetAtt'][0];
      expect(roles[roleId].Properties.ManagedPolicyArns).toBeUndefined();
      const logStatements = statementsFor(template, f.Properties.Handler).filter((st) =>
        actionsOf([st]).some((a: string) => a.startsWith('logs:')),
      );
      expect(logStatements).toEqual([
        {
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [f.Properties.LoggingConfig.LogGroup.Ref, 'Arn'] },
        },
      ]);
    }
  });

  test('failover and failback run one at a time (two flips never interleave); the watch caps its SSM reads at two; the other playbooks reserve nothing', () => {
    const fns = Object.values(
      template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } }),
    );
    expect(
      Object.fromEntries(fns.map((f) => [f.Properties.Handler, f.Properties.ReservedConcurrentExecutions])),
    ).toEqual({
      'index.failback': 1,
      'index.failover': 1,
      'index.liveReleaseChanged': 2,
      'index.restore': undefined,
      'index.rollbackRelease': undefined,
      'index.status': undefined,
      'index.verifyReplicationHandler': undefined,
    });
  });

  test('every playbook is traced by X-Ray (billed per trace: nothing while idle), created after its X-Ray grant', () => {
    const fns = Object.values(
      template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } }),
    );
    expect(fns.map((f) => f.Properties.TracingConfig)).toEqual(fns.map(() => ({ Mode: 'Active' })));
    // Lambda rejects active tracing on a role that cannot write traces ("The provided execution role
    // does not have permissions to call PutTraceSegments on XRAY"), so the grant must exist first.
    const tracingPolicies = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument.Statement).includes('xray:PutTraceSegments'))
      .map(([id]) => id);
    for (const f of fns) expect(f.DependsOn.filter((d: string) => tracingPolicies.includes(d))).toHaveLength(1);
  });

  test('restore is scoped to the two site buckets and may never delete a version', () => {
    const statements = statementsFor(template, 'index.restore');
    const resources = JSON.stringify(
      statements
        .filter((s) => s.Effect === 'Allow' && actionsOf([s]).some((a: string) => a.startsWith('s3:')))
        .map((s) => s.Resource),
    );
    expect(resources).toContain('portfolio-site-111111111111-us-east-1');
    expect(resources).toContain('portfolio-site-111111111111-us-west-2');
    expect(resources).not.toMatch(/"arn:[^"]*:s3:::\*"/);
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: expect.arrayContaining(['s3:DeleteObjectVersion']) }),
    );
    expect(actionsOf(statements)).not.toContain('s3:*');
  });

  test('verify-replication reads both buckets and writes only the replica', () => {
    const statements = statementsFor(template, 'index.verifyReplicationHandler');
    const writes = statements.filter(
      (st) => st.Effect === 'Allow' && actionsOf([st]).some((a: string) => /^s3:(Put|Delete|Abort)/.test(a)),
    );
    expect(writes).toEqual([
      {
        Action: ['s3:PutObject', 's3:PutObjectTagging'],
        Effect: 'Allow',
        Resource: 'arn:aws:s3:::portfolio-site-111111111111-us-west-2/*',
      },
    ]);
    expect(statements).toContainEqual({
      Action: ['s3:GetObject', 's3:GetObjectTagging'],
      Effect: 'Allow',
      Resource: [
        'arn:aws:s3:::portfolio-site-111111111111-us-east-1/*',
        'arn:aws:s3:::portfolio-site-111111111111-us-west-2/*',
      ],
    });
  });

  test('the restore state machine loops on "paused" and logs every execution', () => {
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0];
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    expect(definition).toContain('\\"Variable\\":\\"$.status\\",\\"StringEquals\\":\\"paused\\"');
    expect(definition).toContain(
      '\\"ResumeFromCheckpoint\\":{\\"Type\\":\\"Pass\\",\\"OutputPath\\":\\"$.next\\",\\"Next\\":\\"RestoreStep\\"}',
    );
    expect(machine.Properties).toMatchObject({
      LoggingConfiguration: { Level: 'ALL' },
      TracingConfiguration: { Enabled: true },
    });
  });

  test('rollback-release may read and patch only the "live" stage of APIs tagged as this app\'s, and its own release parameter', () => {
    const statements = statementsFor(template, 'index.rollbackRelease');
    const patches = statements.filter((st) => actionsOf([st]).includes('apigateway:PATCH'));
    expect(patches).toEqual([
      {
        Action: 'apigateway:PATCH',
        Effect: 'Allow',
        Resource: [
          'arn:aws:apigateway:us-east-1::/restapis/*/stages/live',
          'arn:aws:apigateway:us-west-2::/restapis/*/stages/live',
        ],
        Condition: { StringEquals: { 'aws:ResourceTag/portfolio-dr:site-api': 'portfolio' } },
      },
    ]);
    const reads = statements.find((st: { Action: string }) => st.Action === 'apigateway:GET');
    expect(reads.Resource).toEqual(
      expect.arrayContaining([
        'arn:aws:apigateway:us-east-1::/restapis/*/stages/live',
        'arn:aws:apigateway:us-west-2::/restapis/*/stages/live',
      ]),
    );
    expect(reads.Resource).toHaveLength(4);
    expect(JSON.stringify(statements)).toContain('/stages/live');
    expect(JSON.stringify(statements)).toContain('parameter/portfolio/live-release');
  });
});

test("the recovery stacks depend on both data stacks (SSM parameters), their region's paging stack (the watch pages) and nothing in the hosting or global stacks", () => {
  for (const [stack, region] of [
    [t.stacks.recovery.primary, 'us-east-1'],
    [t.stacks.recovery.standby, 'us-west-2'],
  ] as const) {
    expect(stack.dependencies.map((d) => d.stackName).sort()).toEqual([
      'portfolio-data-primary',
      'portfolio-data-standby',
      `portfolio-paging-${region}`,
    ]);
  }
});
