import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import * as cr from 'aws-cdk-lib/custom-resources';
import { acknowledge, CHECKOV_REASONS, managedPolicyFinding, skipCheckov } from '../shared/nag-acknowledgements';
import { Construct } from 'constructs';

export interface RegionalEndpointLookupProps {
  /** The custom domain name configured on API Gateway in `region`. */
  readonly domainName: string;
  /**
   * Region whose API Gateway holds the custom domain. The lookup calls that region's API at deploy
   * time (and again on every update of the stack), so the domain must exist there first.
   */
  readonly region: string;
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
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['apigateway:GET'],
          resources: [`arn:${partition}:apigateway:${props.region}::/domainnames/${props.domainName}`],
        }),
      ]),
    });
    // The provider is one singleton Lambda per stack, shared by every AwsCustomResource in it.
    const provider = Stack.of(this).node.findChild(
      `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`,
    ) as lambda.Function;
    // Idempotent: every lookup in the stack shares the provider and skips with the same reasons.
    skipCheckov(provider, ['CKV_AWS_115', 'CKV_AWS_116', 'CKV_AWS_117'], CHECKOV_REASONS.cdkProviderFunction);
    skipCheckov(provider.logGroup, ['CKV_AWS_158'], CHECKOV_REASONS.logGroupServiceKey);
    const providerRole = provider.node.findChild('ServiceRole');
    if (!providerRole.node.metadata.some((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)) {
      acknowledge(
        providerRole,
        [managedPolicyFinding('service-role/AWSLambdaBasicExecutionRole')],
        'Role of the aws-cdk-lib AwsCustomResource provider: the managed policy only lets it write its own CloudWatch logs; its one other grant is apigateway:GET on the looked-up domain names.',
      );
    }
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
