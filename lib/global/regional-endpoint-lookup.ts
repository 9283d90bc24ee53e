import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import * as cr from 'aws-cdk-lib/custom-resources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { CHECKOV_REASONS, skipCheckov } from '../shared/nag-acknowledgements';
import { Construct } from 'constructs';

export interface RegionalEndpointLookupProps {
  /** The custom domain name configured on API Gateway in `region`. */
  readonly domainName: string;
  /**
   * Region whose API Gateway holds the custom domain. The lookup calls that region's API at deploy
   * time (and again on every update of the stack), so the domain must exist there first.
   */
  readonly region: string;
  /**
   * Role of the stack's AwsCustomResource provider, a singleton Lambda shared by every lookup of
   * the stack: pass the same role to each (the first lookup's wins). Each lookup adds its
   * `apigateway:GET` to it; the role should hold nothing but its log group's write.
   */
  readonly providerRole: iam.IRole;
  /** The provider's log group, the same for every lookup of the stack (the first lookup's wins). */
  readonly providerLogGroup: logs.ILogGroup;
}

/**
 * Reads, at deploy time, the alias target (`d-xxxx.execute-api.<region>.amazonaws.com` and its
 * hosted zone) of an API Gateway regional custom domain in another region.
 *
 * Why not a CDK cross-region reference: those are built from SSM parameters written by custom
 * resources in the producing stack, which block updates while a consumer exists. This lookup is
 * keyed by the domain name, which both sides know from config, and is read-only
 * (`apigateway:GET` on that one domain name). See docs/adr/0002-cross-region-names.md.
 */
export class RegionalEndpointLookup extends Construct {
  readonly dnsName: string;
  readonly hostedZoneId: string;

  constructor(scope: Construct, id: string, props: RegionalEndpointLookupProps) {
    super(scope, id);
    const partition = Stack.of(this).partition;
    const call: cr.AwsSdkCall = {
      service: 'APIGateway',
      action: 'getDomainName',
      parameters: { domainName: props.domainName },
      region: props.region,
      physicalResourceId: cr.PhysicalResourceId.of(`${props.region}/${props.domainName}`),
      outputPaths: ['regionalDomainName', 'regionalHostedZoneId'],
    };
    const lookup = new cr.AwsCustomResource(this, 'GetDomainName', {
      onCreate: call,
      onUpdate: call,
      installLatestAwsSdk: false,
      role: props.providerRole,
      logGroup: props.providerLogGroup,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['apigateway:GET'],
          resources: [`arn:${partition}:apigateway:${props.region}::/domainnames/${props.domainName}`],
        }),
      ]),
    });
    // The provider is one singleton Lambda per stack, shared by every AwsCustomResource in it;
    // aws-cdk-lib 2.276 offers no accessor for it (only its role, which is passed in above).
    const provider = Stack.of(this).node.findChild(
      `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`,
    ) as lambda.Function;
    // Idempotent: every lookup in the stack shares the provider and skips with the same reasons.
    skipCheckov(provider, ['CKV_AWS_115', 'CKV_AWS_116', 'CKV_AWS_117'], CHECKOV_REASONS.cdkProviderFunction);
    this.dnsName = lookup.getResponseField('regionalDomainName');
    this.hostedZoneId = lookup.getResponseField('regionalHostedZoneId');
  }

  /** An alias target for a record; `evaluateTargetHealth` lets Route 53 skip an unhealthy endpoint. */
  aliasTarget(evaluateTargetHealth: boolean): route53.IAliasRecordTarget {
    return {
      bind: () => ({ dnsName: this.dnsName, hostedZoneId: this.hostedZoneId, evaluateTargetHealth }),
    };
  }
}
