import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  CONTENT_SECURITY_POLICY,
  ERROR_BODIES,
  SECURITY_HEADERS,
  StaticSiteApi,
  TLS,
} from '../../lib/hosting/static-site-api';
import { sharedTemplates } from '../support/app';

const { hostingPrimary, hostingStandby } = sharedTemplates();
const both: [string, Template][] = [
  ['primary', hostingPrimary],
  ['standby', hostingStandby],
];

const FIXED_BODIES: string[] = Object.values(ERROR_BODIES);

function methods(template: Template): any[] {
  return Object.values(template.findResources('AWS::ApiGateway::Method')).map((m) => m.Properties);
}

function integrationResponses(template: Template): any[] {
  return methods(template).flatMap((m) => m.Integration.IntegrationResponses);
}

function gatewayResponses(template: Template): any[] {
  return Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).map((r) => r.Properties);
}

/** A bare stack with only the API, for props the app does not vary. */
function bareApi(props: { throttlingRateLimit?: number; healthThrottlingRateLimit?: number }): Template {
  const stack = new Stack(new App(), 'Bare', { env: { account: '111111111111', region: 'eu-west-1' } });
  new StaticSiteApi(stack, 'Site', {
    bucket: s3.Bucket.fromBucketName(stack, 'Bucket', 'site-bucket'),
    liveRelease: 'r1',
    ...props,
  });
  return Template.fromStack(stack);
}

describe.each(both)('%s public edge', (_role, template) => {
  test('only a 2xx answer from S3 passes its body through; every other answer gets a fixed text body', () => {
    for (const m of methods(template)) {
      const responses = m.Integration.IntegrationResponses;
      const passing = responses.filter((r: any) => !r.ResponseTemplates);
      expect(passing).toEqual([expect.objectContaining({ StatusCode: '200', SelectionPattern: '2\\d{2}' })]);

      const fixed = responses.filter((r: any) => r.ResponseTemplates);
      expect(fixed.map((r: any) => [r.StatusCode, r.SelectionPattern])).toEqual([
        ['404', '403|404'],
        // The default: any status of S3 not matched above, 3xx, other 4xx and 5xx alike.
        ['502', undefined],
      ]);
      for (const r of fixed) {
        // Converted to text so the template applies to S3's (binary) error document, and one
        // template only, so it applies whatever the Accept header: it never reads $input.
        expect(r.ContentHandling).toBe('CONVERT_TO_TEXT');
        expect(Object.keys(r.ResponseTemplates)).toEqual(['application/json']);
        expect(FIXED_BODIES).toContain(r.ResponseTemplates['application/json']);
        expect(r.ResponseTemplates['application/json']).not.toMatch(/[$#]/);
        expect(r.ResponseParameters['method.response.header.Content-Type']).toBe("'text/plain; charset=utf-8'");
        expect(r.ResponseParameters['method.response.header.Cache-Control']).toBe("'no-store'");
      }
    }
  });

  test('a key missing from the release is a 404 that says "Not found", nothing more', () => {
    const notFound = integrationResponses(template).filter((r) => r.StatusCode === '404');
    expect(notFound).toHaveLength(3);
    for (const r of notFound) expect(r.ResponseTemplates).toEqual({ 'application/json': 'Not found\n' });
  });

  test("API Gateway's own error responses have fixed bodies and keep their status codes", () => {
    const responses = gatewayResponses(template);
    expect(responses.map((r) => r.ResponseType).sort()).toEqual([
      'ACCESS_DENIED',
      'DEFAULT_4XX',
      'DEFAULT_5XX',
      'MISSING_AUTHENTICATION_TOKEN',
      'THROTTLED',
    ]);
    for (const r of responses) {
      expect(r.StatusCode).toBeUndefined();
      expect(Object.keys(r.ResponseTemplates)).toEqual(['application/json']);
      expect(FIXED_BODIES).toContain(r.ResponseTemplates['application/json']);
      expect(r.ResponseParameters['gatewayresponse.header.Content-Type']).toBe("'text/plain; charset=utf-8'");
    }
    expect(responses.find((r) => r.ResponseType === 'THROTTLED').ResponseTemplates).toEqual({
      'application/json': 'Too many requests\n',
    });
  });

  test('every method response declares the security headers, and every response sets them', () => {
    const expected = Object.entries(SECURITY_HEADERS);
    expect(expected.map(([h]) => h).sort()).toEqual([
      'Content-Security-Policy',
      'Referrer-Policy',
      'Strict-Transport-Security',
      'X-Content-Type-Options',
    ]);
    for (const m of methods(template)) {
      expect(m.MethodResponses.map((r: any) => r.StatusCode)).toEqual(['200', '404', '502']);
      for (const r of m.MethodResponses) {
        for (const [header] of expected) expect(r.ResponseParameters[`method.response.header.${header}`]).toBe(true);
      }
      // /healthz and the pages alike, on success and on error.
      for (const r of m.Integration.IntegrationResponses) {
        for (const [header, value] of expected) {
          expect(r.ResponseParameters[`method.response.header.${header}`]).toBe(`'${value}'`);
        }
      }
    }
    for (const r of gatewayResponses(template)) {
      for (const [header, value] of expected) {
        expect(r.ResponseParameters[`gatewayresponse.header.${header}`]).toBe(`'${value}'`);
      }
    }
  });

  test('the API and its custom domains use the enhanced TLS policy, in strict endpoint access mode', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      SecurityPolicy: 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
      EndpointAccessMode: 'STRICT',
    });
    const domains = Object.values(template.findResources('AWS::ApiGateway::DomainName'));
    expect(domains).toHaveLength(2);
    for (const d of domains) {
      expect(d.Properties).toMatchObject({
        SecurityPolicy: 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
        EndpointAccessMode: 'STRICT',
      });
    }
  });

  test("GET /healthz has its own throttle, so visitors' page requests cannot use up the health checks'", () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }),
        {
          ResourcePath: '/~1healthz',
          HttpMethod: 'GET',
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
          LoggingLevel: 'ERROR',
          MetricsEnabled: true,
          DataTraceEnabled: false,
        },
      ]),
    });
  });
});

describe('security header values', () => {
  test('HSTS lasts at least a year and does not reach names outside the site host', () => {
    const hsts = SECURITY_HEADERS['Strict-Transport-Security'];
    expect(Number(/^max-age=(\d+)$/.exec(hsts)?.[1])).toBeGreaterThanOrEqual(365 * 24 * 3600);
    expect(hsts).not.toMatch(/includeSubDomains|preload/i);
  });

  test('the CSP allows no script, no inline style, no framing, and same-origin styles, images and fonts', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|script-src|\*/);
  });

  test("the TLS policy still accepts TLS 1.2, which Route 53's HTTPS health checkers need", () => {
    expect(TLS.securityPolicy).toBe('SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09');
    expect(TLS.securityPolicy).not.toMatch(/TLS13_1_3/);
  });
});

describe('throttles', () => {
  test('changing the page throttle leaves the health check throttle as it was', () => {
    bareApi({ throttlingRateLimit: 10 }).hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [
        Match.objectLike({ ResourcePath: '/*', ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 }),
        Match.objectLike({ ResourcePath: '/~1healthz', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }),
      ],
    });
  });

  test('the health check throttle is set on its own', () => {
    bareApi({ healthThrottlingRateLimit: 5 }).hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [
        Match.objectLike({ ResourcePath: '/*', ThrottlingRateLimit: 50 }),
        Match.objectLike({ ResourcePath: '/~1healthz', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 }),
      ],
    });
  });
});
