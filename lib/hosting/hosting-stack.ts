import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import type { DrConfig } from '../config';
import { type RegionRole } from '../../lambda/contract/regions';
import { BOOTSTRAP_RELEASE, healthBody, STAGE_NAME } from '../../lambda/contract/site';
import { Names } from '../shared/naming';
import { BootstrapRelease } from './bootstrap-release';
import { StaticSiteApi, TLS } from './static-site-api';
import { TrafficSwitch } from './traffic-switch';
import type { AlarmPager } from '../shared/alarm-pager';
import { runbookReference } from '../shared/runbooks';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** A certificate with fewer days left than this pages at low urgency. */
export const CERTIFICATE_WARNING_DAYS = 30;

export interface HostingStackProps extends StackProps {
  /**
   * The validated deployment config (lib/config.ts, `loadConfig`): the site's domain and hosted
   * zone, the health-check search string the published `healthz` must contain, and the names.
   */
  readonly config: DrConfig;
  /** Pages through the paging topics of this stack's region (lib/paging/topic-pager.ts). */
  readonly pager: AlarmPager;
  /**
   * Which region of the pair this stack serves: it serves that region's site bucket. Only the
   * primary publishes the bootstrap release (replication carries it to the standby), and only the
   * standby holds the traffic switch, so that it can be flipped with the primary region gone.
   */
  readonly role: RegionRole;
}

/**
 * The stateless half of one region: an HTTPS endpoint on the site's domain (and on a
 * region-specific name for health checks and operators) that serves the live release from this
 * region's bucket. The bucket is named by its derived name (Names.siteBucket), never read from a
 * parameter: whoever could write such a parameter could point the public site at any bucket at the
 * next deploy. The live release is read from an SSM parameter of its own region, so the stack
 * runs with the other region gone.
 */
export class HostingStack extends Stack {
  readonly site: StaticSiteApi;
  readonly certificate: acm.Certificate;
  readonly siteDomain: apigw.DomainName;
  readonly regionalDomain: apigw.DomainName;
  readonly trafficSwitch?: TrafficSwitch;

  constructor(scope: Construct, id: string, props: HostingStackProps) {
    super(scope, id, props);
    const { config, role } = props;
    const names = new Names(config);
    const regionalHost = names.regionalHost(role);

    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: config.hostedZone.id,
      zoneName: config.hostedZone.name,
    });
    const bucket = s3.Bucket.fromBucketName(this, 'SiteBucket', names.siteBucket(role));
    const liveRelease = ssm.StringParameter.valueForStringParameter(this, names.liveReleaseParameter);

    this.site = new StaticSiteApi(this, 'Site', { bucket, liveRelease });
    // The release rollback role may change only stages carrying this tag (stages inherit their
    // REST API's tags for access control; tagging both keeps it true if either is read).
    Tags.of(this.site.api).add(names.siteApiTag.key, names.siteApiTag.value);

    this.certificate = new acm.Certificate(this, 'Certificate', {
      domainName: config.domainName,
      subjectAlternativeNames: [regionalHost],
      validation: acm.CertificateValidation.fromDns(zone),
    });

    const domainFor = (constructId: string, domainName: string) => {
      const domain = new apigw.DomainName(this, constructId, {
        domainName,
        certificate: this.certificate,
        endpointType: apigw.EndpointType.REGIONAL,
        ...TLS,
      });
      domain.addBasePathMapping(this.site.api, { stage: this.site.api.deploymentStage });
      return domain;
    };
    // The shared name: the global stack points the failover records at it.
    this.siteDomain = domainFor('SiteDomain', config.domainName);
    // The region's own name: Route 53 health checks and operators reach this region through it.
    this.regionalDomain = domainFor('RegionalDomain', regionalHost);
    new route53.ARecord(this, 'RegionalRecord', {
      zone,
      recordName: regionalHost,
      target: route53.RecordTarget.fromAlias(evaluatingTargetHealth(new targets.ApiGatewayDomain(this.regionalDomain))),
    });

    if (role === 'primary') {
      new BootstrapRelease(this, 'BootstrapRelease', {
        bucket,
        healthBody: healthBody(config.healthCheck.searchString, BOOTSTRAP_RELEASE),
      });
    } else {
      this.trafficSwitch = new TrafficSwitch(this, 'TrafficSwitch', {
        alarmName: names.trafficSwitchAlarm,
        namespace: names.trafficSwitchNamespace,
        metricName: names.trafficSwitchMetric,
        docsBaseUrl: config.paging?.docsBaseUrl,
      });
      // Low urgency: the switch moving is news for whoever did not flip it, but the visitor impact
      // of a failover is paged at high urgency by serving-from-standby in us-east-1.
      props.pager.page(this.trafficSwitch.alarm, 'low');
    }

    // Early warning, in the certificate's own region (ACM publishes DaysToExpiry there, once a day):
    // ACM renews a DNS-validated certificate from 60 days before expiry, so under 30 days means
    // the renewal is stuck (a validation record removed, a CAA record). Missing data keeps the
    // state: ACM stops the metric once the certificate has expired, which must not read as OK.
    const expiring = new cloudwatch.Alarm(this, 'CertificateExpiringAlarm', {
      alarmName: names.alarm(role === 'primary' ? 'certificate-expiring-primary' : 'certificate-expiring-standby'),
      alarmDescription: `Early warning: the ${role} region's certificate for ${config.domainName} expires in under ${CERTIFICATE_WARNING_DAYS} days; ACM's renewal is stuck. ${runbookReference('certificate-dns-failure', config.paging?.docsBaseUrl)}`,
      metric: this.certificate.metricDaysToExpiry(),
      threshold: CERTIFICATE_WARNING_DAYS,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });
    props.pager.page(expiring, 'low');

    new CfnOutput(this, 'RegionalUrl', { value: `https://${regionalHost}/` });
    new CfnOutput(this, 'HealthUrl', { value: `https://${regionalHost}/healthz` });
    new CfnOutput(this, 'RestApiId', { value: this.site.api.restApiId });
    new CfnOutput(this, 'StageName', { value: STAGE_NAME });
    new CfnOutput(this, 'SiteDomainTarget', { value: this.siteDomain.domainNameAliasDomainName });
  }
}

/** The same alias target, with evaluate-target-health on. */
function evaluatingTargetHealth(target: route53.IAliasRecordTarget): route53.IAliasRecordTarget {
  return { bind: (record, zone) => ({ ...target.bind(record, zone), evaluateTargetHealth: true }) };
}
