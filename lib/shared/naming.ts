import type { ReadinessCheckName } from '../../lambda/contract/assurance';
import { failoverSetIdentifier, type RegionRole } from '../../lambda/contract/regions';
import type { DrConfig } from '../config';

/** What each paging alarm watches; the suffix of its name. */
export type AlarmPurpose =
  | 'primary-unhealthy'
  | 'standby-unhealthy'
  | 'serving-from-standby'
  | 'replication-latency-over-rpo'
  | 'replication-latency-over-rtc'
  | 'replication-stalled'
  | 'replication-failed'
  | 'certificate-expiring-primary'
  | 'certificate-expiring-standby'
  | `readiness-${ReadinessCheckName}`
  | 'drill-failed'
  | 'release-watch-failed-primary'
  | 'release-watch-failed-standby';

/**
 * Every name that two deployment units must agree on without a CloudFormation reference.
 * Deterministic names (scoped to one account and region) replace cross-region references:
 * see docs/adr/0002-cross-region-names.md.
 */
export class Names {
  constructor(private readonly config: DrConfig) {}

  regionOf(role: RegionRole): string {
    return this.config.regions[role];
  }

  otherRole(role: RegionRole): RegionRole {
    return role === 'primary' ? 'standby' : 'primary';
  }

  dataStack(role: RegionRole): string {
    return `${this.config.appName}-data-${role}`;
  }

  hostingStack(role: RegionRole): string {
    return `${this.config.appName}-hosting-${role}`;
  }

  recoveryStack(role: RegionRole): string {
    return `${this.config.appName}-recovery-${role}`;
  }

  /**
   * The paging stack of a region that raises alarms: one per region, however many stacks there
   * page through it (docs/adr/0009-paging-by-urgency.md).
   */
  pagingStack(region: string): string {
    return `${this.config.appName}-paging-${region}`;
  }

  /**
   * The paging topic of an urgency, `<appName>-page-<urgency>`: the same name in every paging
   * region (topic names are unique per account and region), so a stack builds its region's topic
   * ARN from it without a reference to the paging stack.
   */
  pagingTopic(urgency: 'high' | 'low'): string {
    return `${this.config.appName}-page-${urgency}`;
  }

  /** The readiness checks' stack, in the standby region. */
  get readinessStack(): string {
    return `${this.config.appName}-readiness`;
  }

  /** The game-day drill workflow, in the standby region. */
  get drillStack(): string {
    return `${this.config.appName}-drill`;
  }

  /** The drill's state machine (in the standby region); drctl drill starts it by this name. */
  get drillStateMachine(): string {
    return `${this.config.appName}-drill`;
  }

  get globalStack(): string {
    return `${this.config.appName}-global-dns`;
  }

  /**
   * The site bucket of a region: `<appName>-site-<account>-<region>`. Globally unique (account and
   * region in it), derived rather than written by hand, and known to every stack without a
   * cross-region reference. See docs/adr/0002-cross-region-names.md.
   */
  siteBucket(role: RegionRole): string {
    return `${this.config.appName}-site-${this.config.account}-${this.regionOf(role)}`;
  }

  /** SSM parameter (per region) holding the name of that region's site bucket. */
  get siteBucketParameter(): string {
    return `/${this.config.appName}/site-bucket-name`;
  }

  /** SSM parameter (per region) holding the id of the release that region serves. */
  get liveReleaseParameter(): string {
    return `/${this.config.appName}/live-release`;
  }

  /** Backup vault name; vault names are unique per account and region, so both regions use it. */
  get backupVault(): string {
    return `${this.config.appName}-site-vault`;
  }

  /** Logically air-gapped vault (per region) that receives a copy when `protection.airGappedCopy` is on. */
  get airGappedVault(): string {
    return `${this.config.appName}-site-air-gapped`;
  }

  /**
   * The role the site buckets exempt from their deny of version deletion and lifecycle, versioning,
   * replication and bucket-policy changes. Created by the account, not by this app.
   */
  get breakGlassRole(): string {
    return this.config.protection?.breakGlassRoleName ?? `${this.config.appName}-break-glass`;
  }

  /**
   * Tag (key and value) on this app's REST APIs and stages: the release rollback role may change
   * only stages that carry it (API Gateway stages inherit their API's tags for access control).
   */
  get siteApiTag(): { readonly key: string; readonly value: string } {
    return { key: 'portfolio-dr:site-api', value: this.config.appName };
  }

  /** CloudWatch alarm (in the standby region) that is the data-plane manual failover switch. */
  get trafficSwitchAlarm(): string {
    return `${this.config.appName}-traffic-switch`;
  }

  /**
   * Name of a paging alarm: `<appName>-<purpose>`. Alarm names are unique per account and region,
   * and a fixed name is what the runbooks and the on-call page quote.
   */
  alarm(purpose: AlarmPurpose): string {
    return `${this.config.appName}-${purpose}`;
  }

  /** Every paging alarm's name matches this (`<appName>-*`); the paging topics admit only these. */
  get alarmNamePattern(): string {
    return `${this.config.appName}-*`;
  }

  /** Custom metric namespace and name that drive the traffic switch alarm. */
  get trafficSwitchNamespace(): string {
    return `${this.config.appName}/DR`;
  }

  readonly trafficSwitchMetric = 'TrafficSwitchFailover';

  /**
   * SetIdentifier of the site name's failover record that points at a region (the contract's
   * `failoverSetIdentifier`): drctl preflight recognizes this app's records by it.
   */
  failoverSetIdentifier(role: RegionRole): string {
    return failoverSetIdentifier(role, this.regionOf(role));
  }

  /** Host name that reaches one region directly, bypassing failover: `<region>.<domain>`. */
  regionalHost(role: RegionRole): string {
    return `${this.regionOf(role)}.${this.config.domainName}`;
  }
}
