import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
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
import { HEALTH_FILE, RELEASE_STAGE_VARIABLE, RELEASES_PREFIX, STAGE_NAME } from '../../lambda/contract/site';

export interface StaticSiteApiProps {
  /** This region's site bucket; releases live under `releases/<id>/`. */
  readonly bucket: s3.IBucket;
  /** Release served after a deploy; in production, the value the release playbooks last wrote. */
  readonly liveRelease: string;
  /**
   * Steady-state request rate limit per second of each page method (`GET /`, `GET /{proxy+}`), a
   * bound on what abuse can cost. The burst is twice the rate. A whole number from 1 to
   * MAX_THROTTLING_RATE_LIMIT.
   * @default 50
   */
  readonly throttlingRateLimit?: number;
  /**
   * Steady-state request rate limit per second of `GET /healthz`, its own token bucket so that
   * visitors' page requests never use up the health checkers' (ADR 0008). The burst is twice the
   * rate. A whole number from 1 to MAX_THROTTLING_RATE_LIMIT.
   * @default 50
   */
  readonly healthThrottlingRateLimit?: number;
}

/**
 * Name of the site's REST API in each region (the `ApiName` dimension of its AWS/ApiGateway metrics;
 * the dashboard reads them by it). The CDK default (the construct id) made explicit, so the name
 * cannot drift from the dashboard.
 */
export const SITE_API_NAME = 'Api';

const NO_STORE = "'no-store'";

/**
 * The largest per-method rate limit: its burst (twice the rate) then equals API Gateway's default
 * account-level burst quota per region, 5,000 requests (account rate 10,000 per second; "Amazon API
 * Gateway quotas"). A method's throttle above the account's is never reached, and API Gateway's
 * burst limit is a whole number, so the rate is one too.
 */
export const MAX_THROTTLING_RATE_LIMIT = 2500;

/** Refuse a rate limit API Gateway would not apply as written; tokens are checked at deploy. */
function checkRateLimit(where: string, prop: string, value: number): void {
  if (Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < 1 || value > MAX_THROTTLING_RATE_LIMIT) {
    throw new Error(
      `StaticSiteApi ${where}: ${prop} must be a whole number of requests per second from 1 to ${MAX_THROTTLING_RATE_LIMIT} (the burst, twice the rate, must fit API Gateway's default account burst quota of 5000), got ${value}`,
    );
  }
}

/**
 * The Content-Security-Policy of every response: same-origin stylesheets, images and fonts, and
 * nothing else (no script at all, no inline style, no framing, no form posts, no `<base>`). The
 * sample site in site/ satisfies it (test/hosting/site-csp.test.ts); a site with scripts needs
 * this policy widened.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Security headers on every response: pages, /healthz, errors, and API Gateway's own responses.
 *
 * HSTS lasts a year without `includeSubDomains`: the only names under the site's host are the
 * regional hosts, HTTPS-only by construction (an API Gateway custom domain has no port 80), so it
 * would protect nothing more there; and when `domainName` is the zone apex it would impose HTTPS
 * on every name of a zone this project does not own. No `preload` for the same reason.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Strict-Transport-Security': 'max-age=31536000',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Referrer-Policy': 'no-referrer',
};

/**
 * Bodies of error responses: fixed text, never the backend's message. S3's error documents name
 * the bucket and the key, and for a caller of the same account its AccessDenied message names the
 * role ARN (so the account id).
 */
export const ERROR_BODIES = {
  notFound: 'Not found\n',
  badGateway: 'The site cannot be served right now\n',
  forbidden: 'Forbidden\n',
  throttled: 'Too many requests\n',
  refused: 'Request refused\n',
  unavailable: 'Service unavailable\n',
} as const;

/**
 * TLS of the custom domains and of the API: the newest enhanced policy that still accepts TLS 1.2.
 * Route 53's HTTPS health checkers need an endpoint that supports TLS 1.0, 1.1 or 1.2 (Route 53
 * API reference, HealthCheckConfig.Type), so the TLS 1.3-only SecurityPolicy_TLS13_1_3_2025_09
 * would fail every health check. This one accepts TLS 1.3, and TLS 1.2 with forward-secret
 * (ECDHE) suites only, with post-quantum hybrid key exchange. Enhanced policies require an
 * endpoint access mode; STRICT also rejects requests whose SNI does not match the host, which
 * browsers, the health checks (EnableSNI) and the playbooks' probes all send. API Gateway
 * negotiates with the API's policy when a custom domain is called, so both carry it.
 * See docs/adr/0008-edge-throttling-and-hardening.md.
 */
export const TLS = {
  securityPolicy: apigw.SecurityPolicy.TLS13_1_2_PFS_PQ_2025_09,
  endpointAccessMode: apigw.EndpointAccessMode.STRICT,
} as const;

/** A static value in an API Gateway parameter mapping: enclosed in single quotes. */
const literal = (value: string) => `'${value}'`;

/** Content-Type of the static error bodies. */
const TEXT_PLAIN = 'text/plain; charset=utf-8';

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
  /** The account-level role API Gateway writes this API's execution and access logs with. */
  readonly cloudWatchRole: iam.Role;

  constructor(scope: Construct, id: string, props: StaticSiteApiProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    const rateLimit = props.throttlingRateLimit ?? 50;
    const healthRateLimit = props.healthThrottlingRateLimit ?? 50;
    checkRateLimit(this.node.path, 'throttlingRateLimit', rateLimit);
    checkRateLimit(this.node.path, 'healthThrottlingRateLimit', healthRateLimit);

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    skipCheckov(accessLogs, ['CKV_AWS_158'], CHECKOV_REASONS.logGroupServiceKey);

    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: SITE_API_NAME,
      description: `Static site, ${region}: serves releases/<stage variable release>/ from the site bucket`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // Only the custom domains serve; the execute-api URL would bypass DNS failover.
      disableExecuteApiEndpoint: true,
      // Serve every object byte-for-byte (images, fonts, HTML alike).
      binaryMediaTypes: ['*/*'],
      // The account's CloudWatch role is built below, where this construct can hold it.
      cloudWatchRole: false,
      deployOptions: {
        stageName: STAGE_NAME,
        variables: { [RELEASE_STAGE_VARIABLE]: props.liveRelease },
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        ...methodSettings(rateLimit),
        // /healthz gets its own setting, pinning its own token bucket whatever the page throttle
        // becomes (ADR 0008). It carries every field, not only the throttle, so its logging and
        // metrics match the stage's however API Gateway fills the fields an override leaves out.
        methodOptions: { [`/${HEALTH_FILE}/GET`]: methodSettings(healthRateLimit) },
      },
    });
    // What `cloudWatchRole: true` builds (aws-cdk-lib 2.276 RestApiBase), with the same ids under
    // the API so the template is unchanged, built here because RestApi exposes neither the role nor
    // the account setting. Both are retained: the setting is account-wide (one per region) and
    // other APIs of the account may log through the role.
    this.cloudWatchRole = new iam.Role(this.api, 'CloudWatchRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs'),
      ],
    });
    this.cloudWatchRole.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const account = new apigw.CfnAccount(this.api, 'Account', { cloudWatchRoleArn: this.cloudWatchRole.roleArn });
    account.applyRemovalPolicy(RemovalPolicy.RETAIN);
    account.node.addDependency(this.api.node.defaultChild as apigw.CfnRestApi);
    // A stage with execution logging fails to deploy until the account has a CloudWatch role.
    this.api.deploymentStage.node.addDependency(account);

    const cfnApi = this.api.node.defaultChild as apigw.CfnRestApi;
    cfnApi.securityPolicy = TLS.securityPolicy;
    cfnApi.endpointAccessMode = TLS.endpointAccessMode;

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
      this.api.root.addResource(HEALTH_FILE).addMethod('GET', serve(HEALTH_FILE, NO_STORE), methodOptions([])),
      this.api.root.addResource('{proxy+}').addMethod('GET', serve('{key}'), methodOptions(['proxy'])),
    ];

    for (const [type, body] of GATEWAY_RESPONSES) {
      this.api.addGatewayResponse(`${type.responseType}Response`, {
        type,
        responseHeaders: Object.fromEntries(
          Object.entries({ ...SECURITY_HEADERS, 'Content-Type': TEXT_PLAIN, 'Cache-Control': 'no-store' }).map(
            ([header, value]) => [header, literal(value)],
          ),
        ),
        templates: { 'application/json': body },
      });
    }

    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'A public static portfolio: AWS WAF (about $12 a month for two regions) would more than double the idle cost; per-method throttling bounds the cost of abuse, /healthz has a throttle of its own, and nothing behind the API can be written (docs/adr/0008-edge-throttling-and-hardening.md).',
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
      this.cloudWatchRole,
      [managedPolicyFinding('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
      'The account-level role API Gateway uses to write execution and access logs; AWS documents this managed policy for exactly that role.',
    );
  }
}

/** Settings of a method: error-level execution logs, metrics, and a throttle (burst twice the rate). */
function methodSettings(rateLimit: number): apigw.MethodDeploymentOptions {
  return {
    loggingLevel: apigw.MethodLoggingLevel.ERROR,
    metricsEnabled: true,
    throttlingRateLimit: rateLimit,
    throttlingBurstLimit: rateLimit * 2,
  };
}

/**
 * API Gateway's own responses (no route, throttled, refused, its own failures). Customizing
 * DEFAULT_4XX and DEFAULT_5XX covers every type not listed, each keeping its status code.
 */
const GATEWAY_RESPONSES: [apigw.ResponseType, string][] = [
  [apigw.ResponseType.DEFAULT_4XX, ERROR_BODIES.refused],
  [apigw.ResponseType.DEFAULT_5XX, ERROR_BODIES.unavailable],
  [apigw.ResponseType.ACCESS_DENIED, ERROR_BODIES.forbidden],
  [apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN, ERROR_BODIES.forbidden],
  [apigw.ResponseType.THROTTLED, ERROR_BODIES.throttled],
];

/** Content headers passed through from S3, plus where and which release served the request. */
const RESPONSE_HEADERS = ['Content-Type', 'ETag', 'Last-Modified', 'Cache-Control', 'X-Served-Region', 'X-Release'];

const METHOD_RESPONSES: apigw.MethodResponse[] = ['200', '404', '502'].map((statusCode) => ({
  statusCode,
  responseParameters: Object.fromEntries(
    [...RESPONSE_HEADERS, ...Object.keys(SECURITY_HEADERS)].map((h) => [`method.response.header.${h}`, true]),
  ),
}));

function integrationResponses(region: string, cacheControl?: string): apigw.IntegrationResponse[] {
  const served = {
    'method.response.header.X-Served-Region': literal(region),
    'method.response.header.X-Release': `stageVariables.${RELEASE_STAGE_VARIABLE}`,
    ...Object.fromEntries(
      Object.entries(SECURITY_HEADERS).map(([header, value]) => [`method.response.header.${header}`, literal(value)]),
    ),
  };
  /**
   * An error answered with fixed text. S3's body is binary to this API (binaryMediaTypes is
   * star/star), and a mapping template applies to a binary payload only once it is converted to
   * text; the template ignores it. With one template, API Gateway uses it whatever the request's
   * Accept header says (it falls back to application/json, then to the first template).
   */
  const fixed = (statusCode: string, body: string, selectionPattern?: string): apigw.IntegrationResponse => ({
    statusCode,
    selectionPattern,
    contentHandling: apigw.ContentHandling.CONVERT_TO_TEXT,
    responseTemplates: { 'application/json': body },
    responseParameters: {
      ...served,
      'method.response.header.Content-Type': literal(TEXT_PLAIN),
      'method.response.header.Cache-Control': NO_STORE,
    },
  });
  return [
    {
      statusCode: '200',
      selectionPattern: '2\\d{2}',
      responseParameters: {
        ...served,
        'method.response.header.Content-Type': 'integration.response.header.Content-Type',
        'method.response.header.ETag': 'integration.response.header.ETag',
        'method.response.header.Last-Modified': 'integration.response.header.Last-Modified',
        'method.response.header.Cache-Control': cacheControl ?? literal(`public, max-age=${PAGE_MAX_AGE.toSeconds()}`),
      },
    },
    // Without s3:ListBucket, S3 answers 403 for a missing key: both mean "not in this release".
    fixed('404', ERROR_BODIES.notFound, '403|404'),
    // Anything else S3 answers (5xx, a redirect, another 4xx) is this site's failure, not content:
    // the default response, so no status of S3 reaches a visitor with S3's body.
    fixed('502', ERROR_BODIES.badGateway),
  ];
}
