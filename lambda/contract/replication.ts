/**
 * Id of the site bucket's replication rule. The data stack names the rule with it; it is also the
 * RuleId dimension of the replication metrics that the alarms and `drctl status` read.
 */
export const REPLICATION_RULE_ID = 'site-to-standby';
