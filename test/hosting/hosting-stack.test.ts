import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { buildUnits, constructTree, sharedTemplates } from '../support/app';
import { TRAFFIC_SWITCH_ALARM } from '../../lambda/contract/traffic-switch';

const t = constructTree();
const { hostingPrimary, hostingStandby } = sharedTemplates();
const both: [string, string, Template][] = [
  ['primary', 'us-east-1', hostingPrimary],
  ['standby', 'us-west-2', hostingStandby],
];

function methods(template: Template) {
  return Object.values(template.findResources('AWS::ApiGateway::Method')).map((m) => m.Properties);
}

/** The integration URI of the method on a path ('' = root), flattened to text. */
function integrationUri(template: Template, path: string): string {
  const resources = template.findResources('AWS::ApiGateway::Resource');
  const resourceId = Object.entries(resources).find(([, r]) => r.Properties.PathPart === path)?.[0];
  const method = methods(template).find((m) =>
    path === '' ? JSON.stringify(m.ResourceId).includes('RootResourceId') : m.ResourceId.Ref === resourceId,
  );
  return JSON.stringify(method?.Integration.Uri);
}

describe.each(both)('%s hosting stack (%s)', (role, region, template) => {
  test('the certificate covers the site name and the regional name, validated through the hosted zone', () => {
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'www.example.com',
      SubjectAlternativeNames: [`${region}.www.example.com`],
      ValidationMethod: 'DNS',
      DomainValidationOptions: Match.arrayWith([
        { DomainName: 'www.example.com', HostedZoneId: 'Z0000000EXAMPLE0000' },
      ]),
    });
  });

  test("both custom domains are regional HTTPS endpoints with TLS 1.3/1.2 and this region's certificate", () => {
    const certId = Object.keys(template.findResources('AWS::CertificateManager::Certificate'))[0];
    for (const name of ['www.example.com', `${region}.www.example.com`]) {
      template.hasResourceProperties('AWS::ApiGateway::DomainName', {
        DomainName: name,
        EndpointConfiguration: { Types: ['REGIONAL'] },
        RegionalCertificateArn: { Ref: certId },
        SecurityPolicy: 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
      });
    }
    template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 2);
  });

  test('the API is regional and only reachable through the custom domains', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
      DisableExecuteApiEndpoint: true,
    });
  });

  test('the outputs name the regional URLs and IDs, and no execute-api URL (it is disabled)', () => {
    expect(Object.keys(template.toJSON().Outputs).sort()).toEqual([
      'HealthUrl',
      'RegionalUrl',
      'RestApiId',
      'SiteDomainTarget',
      'StageName',
    ]);
    expect(JSON.stringify(template.toJSON().Outputs)).not.toContain('execute-api');
  });

  test("the live release is a stage variable read from this region's SSM parameter at each deploy", () => {
    const params = template.toJSON().Parameters;
    const releaseParam = Object.entries(params).find(
      ([, p]: [string, any]) => p.Default === '/portfolio/live-release',
    )?.[0];
    expect(releaseParam).toBeDefined();
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'live',
      Variables: { release: { Ref: releaseParam } },
    });
  });

  test("pages are served from releases/<release>/ of this region's site bucket, named literally", () => {
    const bucket = `portfolio-site-111111111111-${region}`;
    expect(integrationUri(template, '')).toContain(`:${region}:s3:path/${bucket}/releases/{release}/index.html"`);
    expect(integrationUri(template, '{proxy+}')).toContain(`/${bucket}/releases/{release}/{key}"`);
  });

  test('no SSM parameter names the bucket: writing one cannot redirect the site at the next deploy', () => {
    const defaults = Object.values(template.toJSON().Parameters ?? {}).map((p: any) => p.Default);
    expect(defaults).not.toContain('/portfolio/site-bucket-name');
    expect(defaults).toContain('/portfolio/live-release');
    expect(JSON.stringify(template.toJSON())).not.toContain('site-bucket-name');
  });

  test("the REST API and its stage carry the app's tag, which the release rollback role requires", () => {
    const tag = { Key: 'portfolio-dr:site-api', Value: 'portfolio' };
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { Tags: Match.arrayWith([tag]) });
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'live', Tags: Match.arrayWith([tag]) });
  });

  test("/healthz is deep: it reads the live release's healthz object from this region's bucket, uncached", () => {
    expect(integrationUri(template, 'healthz')).toContain('/releases/{release}/healthz"');
    const health = methods(template).find((m) => JSON.stringify(m.Integration.Uri).includes('/healthz'))!;
    expect(health.Integration.RequestParameters).toEqual({
      'integration.request.path.release': 'stageVariables.release',
    });
    const ok = health.Integration.IntegrationResponses.find((r: any) => r.StatusCode === '200');
    expect(ok.ResponseParameters['method.response.header.Cache-Control']).toBe("'no-store'");
    // A missing object (S3 says 403 without ListBucket) is a failed health check, not a 200.
    expect(health.Integration.IntegrationResponses).toEqual(
      expect.arrayContaining([expect.objectContaining({ StatusCode: '404', SelectionPattern: '403|404' })]),
    );
  });

  test('every response says which region and release served it', () => {
    for (const m of methods(template)) {
      for (const r of m.Integration.IntegrationResponses) {
        expect(r.ResponseParameters['method.response.header.X-Served-Region']).toBe(`'${region}'`);
        expect(r.ResponseParameters['method.response.header.X-Release']).toBe('stageVariables.release');
      }
    }
  });

  test('API Gateway may only read objects under releases/ of the site bucket', () => {
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })],
        },
      },
    });
    const readRoleId = Object.entries(roles).find(([, r]) => !r.Properties.ManagedPolicyArns)![0];
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      p.Properties.Roles.some((r: any) => r.Ref === readRoleId),
    );
    expect(policies).toHaveLength(1);
    const statements = policies[0].Properties.PolicyDocument.Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toBe('s3:GetObject');
    expect(statements[0].Resource).toBe(`arn:aws:s3:::portfolio-site-111111111111-${region}/releases/*`);
  });

  test('the stage writes access logs and error-level execution logs, and is throttled', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
        }),
      ]),
    });
  });

  test("a region-specific record points at this region's endpoint", () => {
    const regionalDomainId = Object.entries(template.findResources('AWS::ApiGateway::DomainName')).find(
      ([, d]) => d.Properties.DomainName === `${region}.www.example.com`,
    )![0];
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: `${region}.www.example.com.`,
      Type: 'A',
      HostedZoneId: 'Z0000000EXAMPLE0000',
      AliasTarget: {
        DNSName: { 'Fn::GetAtt': [regionalDomainId, 'RegionalDomainName'] },
        HostedZoneId: { 'Fn::GetAtt': [regionalDomainId, 'RegionalHostedZoneId'] },
        EvaluateTargetHealth: true,
      },
    });
  });

  test('the stack depends on nothing in the other region (it serves with the other region gone)', () => {
    const text = JSON.stringify(template.toJSON());
    const other = region === 'us-east-1' ? 'us-west-2' : 'us-east-1';
    expect(text).not.toContain('Fn::ImportValue');
    expect(text).not.toContain(`.${other}.`);
    expect(text).not.toContain(`:${other}:`);
    const stack = role === 'primary' ? t.stacks.hosting.primary : t.stacks.hosting.standby;
    expect(new Set(stack.dependencies.map((d) => d.region))).toEqual(new Set([region]));
  });
});

describe('bootstrap release', () => {
  test('the primary publishes site/ and a healthz with the health-check string as releases/bootstrap/', () => {
    hostingPrimary.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketKeyPrefix: 'releases/bootstrap/',
      Prune: false,
      RetainOnDelete: true,
      SourceObjectKeys: [Match.stringLikeRegexp('\\.zip$'), Match.stringLikeRegexp('\\.zip$')],
    });
  });

  test('the deployment handler may list the bucket and add files under releases/bootstrap/, and delete nothing', () => {
    const deployment = Object.values(hostingPrimary.findResources('Custom::CDKBucketDeployment'))[0];
    expect(deployment.Properties.DestinationBucketName).toBe('portfolio-site-111111111111-us-east-1');
    const handler = Object.values(
      hostingPrimary.findResources('AWS::Lambda::Function', {
        Properties: { Handler: 'index.handler', Layers: Match.anyValue() },
      }),
    )[0];
    const roleId = handler.Properties.Role['Fn::GetAtt'][0];
    const statements = Object.values(hostingPrimary.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    const logsId = handler.Properties.LoggingConfig.LogGroup.Ref;
    expect(hostingPrimary.toJSON().Resources[logsId].Properties.RetentionInDays).toBe(365);
    expect(statements).toHaveLength(4);
    expect(statements).toEqual([
      // Its own log group only, instead of AWSLambdaBasicExecutionRole.
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logsId, 'Arn'] },
      },
      {
        Action: 's3:GetObject',
        Effect: 'Allow',
        Resource: 'arn:aws:s3:::cdk-hnb659fds-assets-111111111111-us-east-1/*',
      },
      { Action: 's3:ListBucket', Effect: 'Allow', Resource: 'arn:aws:s3:::portfolio-site-111111111111-us-east-1' },
      {
        Action: ['s3:AbortMultipartUpload', 's3:PutObject'],
        Effect: 'Allow',
        Resource: 'arn:aws:s3:::portfolio-site-111111111111-us-east-1/releases/bootstrap/*',
      },
    ]);
    const everyAction = JSON.stringify(
      Object.values(hostingPrimary.findResources('AWS::IAM::Policy')).map((p) => p.Properties.PolicyDocument),
    );
    expect(everyAction).not.toMatch(/s3:Delete/);
  });

  test('the standby does not publish: it gets the release by replication', () => {
    hostingStandby.resourceCountIs('Custom::CDKBucketDeployment', 0);
  });

  test('the published healthz contains the configured search string and the release id', () => {
    // Assets are staged into the assembly directory as the constructs are built.
    // The hosting unit only (test/portfolio-dr-app.test.ts).
    const custom = buildUnits(
      ['hosting'],
      { ...t.config, healthCheck: { ...t.config.healthCheck, searchString: 'probe-7f3a' } },
      { bundling: false },
    );
    const outdir = custom.app.outdir;
    const healthFiles = fs
      .readdirSync(outdir)
      .map((entry) => path.join(outdir, entry, 'healthz'))
      .filter((file) => fs.existsSync(file));
    expect(healthFiles).toHaveLength(1);
    expect(fs.readFileSync(healthFiles[0], 'utf8')).toBe('probe-7f3a release=bootstrap\n');
  });
});

describe('traffic switch (standby region)', () => {
  test('an alarm on a custom metric, named so the global health check can find it, that keeps its state without data', () => {
    hostingStandby.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'portfolio-traffic-switch',
      Namespace: 'portfolio/DR',
      MetricName: 'TrafficSwitchFailover',
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'ignore',
    });
  });

  test('the alarm is built from the shared switch settings, the ones the global stack fingerprints', () => {
    const alarms = hostingStandby.findResources('AWS::CloudWatch::Alarm');
    const [alarm] = Object.values(alarms) as any[];
    const s = TRAFFIC_SWITCH_ALARM;
    expect(alarm.Properties).toMatchObject({
      Statistic: s.statistic,
      Period: s.periodSeconds,
      Threshold: s.threshold,
      ComparisonOperator: s.comparisonOperator,
      EvaluationPeriods: s.evaluationPeriods,
      DatapointsToAlarm: s.datapointsToAlarm,
      TreatMissingData: s.treatMissingData,
    });
  });

  test('the primary region has no switch (it must be flippable while the primary is down)', () => {
    const names = Object.values(hostingPrimary.findResources('AWS::CloudWatch::Alarm')).map(
      (r) => r.Properties.AlarmName,
    );
    expect(names).toEqual(['portfolio-certificate-expiring-primary']);
  });

  test.each([
    ['primary', () => hostingPrimary, 'us-east-1'],
    ['standby', () => hostingStandby, 'us-west-2'],
  ])(
    "the %s region's certificate warns at low urgency under 30 days, from its own region",
    (role, template, region) => {
      const certificate = Object.keys(template().findResources('AWS::CertificateManager::Certificate'))[0];
      const topic = `arn:aws:sns:${region}:111111111111:portfolio-page-low`;
      template().hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `portfolio-certificate-expiring-${role}`,
        Namespace: 'AWS/CertificateManager',
        MetricName: 'DaysToExpiry',
        Dimensions: [{ Name: 'CertificateArn', Value: { Ref: certificate } }],
        Statistic: 'Minimum',
        Period: 86400,
        Threshold: 30,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'ignore',
        AlarmActions: [topic],
        OKActions: [topic],
      });
    },
  );
});
