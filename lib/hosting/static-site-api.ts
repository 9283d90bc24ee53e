import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  acknowledge,
  CHECKOV_REASONS,
  managedPolicyFinding,
  skipCheckov,
  wildcardResourceFinding,
} from '../shared/nag-acknowledgements';
import { RELEASES_PREFIX } from '../shared/naming';

/** Name of the stage variable that selects the live release; the release playbooks update it. */
export const RELEASE_STAGE_VARIABLE = 'release';

/** The one stage of the API. */
export const STAGE_NAME = 'live';

export interface StaticSiteApiProps {
  /** This region's site bucket; releases live under `releases/<id>/`. */
  readonly bucket: s3.IBucket;
  /** Release served after a deploy; in production, the value the release playbooks last wrote. */
  readonly liveRelease: string;
  /**
   * Steady-state request rate limit per second, a bound on what abuse can cost.
   * @default 50
   */
  readonly throttlingRateLimit?: number;
}

const NO_STORE = "'no-store'";

/** How long a visitor's browser may cache a page: short, so a release rollback shows quickly. */
export const PAGE_MAX_AGE = Duration.seconds(60);

/**
 * A regional REST API that serves the live release straight from S3 (no Lambda on the hot path):
 *
 * - `GET /` serves `releases/<release>/index.html`;
 * - `GET /{proxy+}` serves `releases/<release>/<path>`;
 * - `GET /healthz` serves `releases/<release>/healthz` uncached: it succeeds only if this region
 *   can read the live release from its own bucket, which makes it a deep health check.
 *
 * `<release>` is the stage variable `release`: switching releases is one UpdateStage call,
 * effective within seconds, with no infrastructure deploy.
 */
export class StaticSiteApi extends Construct {
  readonly api: apigw.RestApi;
  readonly readRole: iam.Role;

  constructor(scope: Construct, id: string, props: StaticSiteApiProps) {
    super(scope, id);
    const region = Stack.of(this).region;

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    skipCheckov(accessLogs, ['CKV_AWS_158'], CHECKOV_REASONS.logGroupServiceKey);

    this.api = new apigw.RestApi(this, 'Api', {
      description: `Static site, ${region}: serves releases/<stage variable release>/ from the site bucket`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // Only the custom domains serve; the execute-api URL would bypass DNS failover.
      disableExecuteApiEndpoint: true,
      // Serve every object byte-for-byte (images, fonts, HTML alike).
      binaryMediaTypes: ['*/*'],
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: STAGE_NAME,
        variables: { [RELEASE_STAGE_VARIABLE]: props.liveRelease },
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        metricsEnabled: true,
        throttlingRateLimit: props.throttlingRateLimit ?? 50,
        throttlingBurstLimit: (props.throttlingRateLimit ?? 50) * 2,
      },
    });

    // RestApi adds an `Endpoint` output with the execute-api URL, which is disabled above: an
    // operator reading the stack's outputs should not find a URL that cannot answer.
    this.api.node.tryRemoveChild('Endpoint');

    this.readRole = new iam.Role(this, 'ReadReleasesRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'Lets API Gateway read released site files, and nothing else.',
    });
    const releaseObjects = props.bucket.arnForObjects(`${RELEASES_PREFIX}*`);
    this.readRole.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [releaseObjects] }));
    acknowledge(
      this.readRole,
      [wildcardResourceFinding(this.readRole, releaseObjects)],
      "API Gateway serves any file of any release: s3:GetObject only, on keys under releases/ of this region's site bucket only.",
    );

    const validator = this.api.addRequestValidator('Validator', {
      validateRequestParameters: true,
      // GET methods have no body model, so this rejects nothing; cdk-nag asks for both.
      validateRequestBody: true,
    });
    const serve = (key: string, cacheControl?: string) =>
      new apigw.AwsIntegration({
        service: 's3',
        integrationHttpMethod: 'GET',
        path: `${props.bucket.bucketName}/${RELEASES_PREFIX}{release}/${key}`,
        options: {
          credentialsRole: this.readRole,
          requestParameters: {
            'integration.request.path.release': `stageVariables.${RELEASE_STAGE_VARIABLE}`,
            ...(key.includes('{key}') ? { 'integration.request.path.key': 'method.request.path.proxy' } : {}),
          },
          integrationResponses: integrationResponses(region, cacheControl),
        },
      });
    const methodOptions = (pathParams: string[]): apigw.MethodOptions => ({
      requestParameters: Object.fromEntries(pathParams.map((p) => [`method.request.path.${p}`, true])),
      requestValidator: validator,
      methodResponses: METHOD_RESPONSES,
    });

    const methods = [
      this.api.root.addMethod('GET', serve('index.html'), methodOptions([])),
      this.api.root.addResource('healthz').addMethod('GET', serve('healthz', NO_STORE), methodOptions([])),
      this.api.root.addResource('{proxy+}').addMethod('GET', serve('{key}'), methodOptions(['proxy'])),
    ];

    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'A public static portfolio: AWS WAF would cost more per month than the rest of the stack; stage throttling bounds the cost of abuse and nothing behind the API can be written.',
    });
    skipCheckov(
      this.api.deploymentStage,
      ['CKV_AWS_120'],
      'No API cache: a cache cluster is billed by the hour (0.5 GB, about $14 a month per stage) whether or not anyone visits, and /healthz must read the bucket on every request to stay a deep health check; browsers cache pages (Cache-Control max-age 60).',
    );
    skipCheckov(
      this.api.deploymentStage,
      ['CKV_AWS_73'],
      "No X-Ray tracing: the stage is never idle, Route 53's health checkers (8 regions, each every 30 s) request /healthz around the clock and X-Ray's default sampling records the first request of every second, so 0.7 million traces or more a month per region against 100,000 free ($5 per million beyond). The playbook Lambdas are traced.",
    );
    for (const method of methods) {
      skipCheckov(
        method,
        ['CKV_AWS_59'],
        'Public website: every visitor may read every released page, so these GET methods take no authorizer; they can only read files under releases/ of this region bucket, and the stage throttle bounds the cost of abuse.',
      );
      for (const rule of ['AwsSolutions-APIG4', 'AwsSolutions-COG4']) {
        Validations.of(method).acknowledge({
          id: rule,
          reason: 'Public website: every visitor may read every released page, so GET methods take no authorizer.',
        });
      }
    }
    acknowledge(
      this.api.node.findChild('CloudWatchRole'),
      [managedPolicyFinding('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
      'The account-level role API Gateway uses to write execution and access logs; AWS documents this managed policy for exactly that role.',
    );
  }
}

/** Content headers passed through from S3, plus where and which release served the request. */
const RESPONSE_HEADERS = ['Content-Type', 'ETag', 'Last-Modified', 'Cache-Control', 'X-Served-Region', 'X-Release'];

const METHOD_RESPONSES: apigw.MethodResponse[] = ['200', '404', '502'].map((statusCode) => ({
  statusCode,
  responseParameters: Object.fromEntries(RESPONSE_HEADERS.map((h) => [`method.response.header.${h}`, true])),
}));

function integrationResponses(region: string, cacheControl?: string): apigw.IntegrationResponse[] {
  const served = {
    'method.response.header.X-Served-Region': `'${region}'`,
    'method.response.header.X-Release': `stageVariables.${RELEASE_STAGE_VARIABLE}`,
  };
  return [
    {
      statusCode: '200',
      responseParameters: {
        ...served,
        'method.response.header.Content-Type': 'integration.response.header.Content-Type',
        'method.response.header.ETag': 'integration.response.header.ETag',
        'method.response.header.Last-Modified': 'integration.response.header.Last-Modified',
        'method.response.header.Cache-Control': cacheControl ?? `'public, max-age=${PAGE_MAX_AGE.toSeconds()}'`,
      },
    },
    // Without s3:ListBucket, S3 answers 403 for a missing key: both mean "not in this release".
    {
      statusCode: '404',
      selectionPattern: '403|404',
      responseParameters: { ...served, 'method.response.header.Cache-Control': NO_STORE },
    },
    {
      statusCode: '502',
      selectionPattern: '5\\d{2}',
      responseParameters: { ...served, 'method.response.header.Cache-Control': NO_STORE },
    },
  ];
}
