import { type CfnResource, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagRuleCompliance } from 'cdk-nag';
import { allResources, logicalId, namesTopic, referencedLogicalId, resolved } from './support';

const CLOUDWATCH = 'cloudwatch.amazonaws.com';
const EVENTS = 'events.amazonaws.com';

/**
 * Every SNS topic that AWS services publish to admits them, wherever the publisher is: in the
 * topic's stack (a Ref) or in another stack of its region and account (the topic's ARN, built from
 * its name: the paging topics, docs/adr/0009-paging-by-urgency.md). A topic without an
 * AWS::SNS::TopicPolicy keeps SNS's default policy, which admits the owner account's services
 * (condition `AWS:SourceOwner`); a TopicPolicy replaces that default, so it must say it again.
 *
 * - CloudWatch alarms (AlarmActions, OKActions, InsufficientDataActions of metric and composite
 *   alarms): no TopicPolicy, or every TopicPolicy on the topic allows `cloudwatch.amazonaws.com`
 *   to `sns:Publish` on condition `aws:SourceAccount` = the topic's own account
 *   (https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger).
 * - EventBridge rule targets without a RoleArn: EventBridge publishes under the topic's resource
 *   policy, and AWS documents that such a policy needs an explicit Allow for
 *   `events.amazonaws.com` and that Condition blocks cannot be used in it
 *   (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions).
 *   So every TopicPolicy on the topic needs that Allow without a Condition, and a topic without
 *   one fails. A target with a RoleArn publishes as that role: the topic policy is not involved.
 *
 * - Lambda functions given the topic's ARN in their environment (how this app tells a function where
 *   to page: the live-release watch, lib/recovery/live-release-watch.ts) publish as their execution
 *   role. In the same account an Allow in either the identity policy or the resource policy is
 *   enough (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html),
 *   and the topic policy admits no role here, so the role itself (its inline policies, or an
 *   AWS::IAM::Policy attached to it in the function's stack) must allow `sns:Publish` on the topic
 *   (its ARN or `*`). A role the rule cannot read (imported, in another stack) fails.
 *
 * In every case no statement may Deny `sns:Publish` to everyone without a condition, and an
 * encrypted topic needs a customer managed key of this app whose policy lets each publishing
 * service use it (`kms:Decrypt`, `kms:GenerateDataKey*`): the AWS managed key `alias/aws/sns`
 * cannot be edited to allow that, and a key from elsewhere cannot be checked
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
 */
export function TopicsAdmitTheirPublishers(node: CfnResource): NagRuleCompliance {
  if (!(node instanceof sns.CfnTopic)) return NagRuleCompliance.NOT_APPLICABLE;
  const stack = Stack.of(node);
  const inStack = stack.node.findAll();
  // Publishers anywhere in the app: the paging topics live in a paging stack, and the alarms and
  // rules of the region's other stacks reach them by ARN.
  const app = allResources(node);
  const targetsTopic = (from: CfnResource) => (arn: unknown) => namesTopic(arn, from, node);

  const alarmPublishes = app.some(
    (c) =>
      (c instanceof cloudwatch.CfnAlarm || c instanceof cloudwatch.CfnCompositeAlarm) &&
      [c.alarmActions, c.okActions, c.insufficientDataActions].some((list) =>
        (resolved<unknown[] | undefined>(c, list) ?? []).some(targetsTopic(c)),
      ),
  );
  const ruleWithoutRolePublishes = app.some(
    (c) =>
      c instanceof events.CfnRule &&
      (resolved<any[] | undefined>(c, c.targets) ?? []).some(
        (t) => targetsTopic(c)(t?.arn ?? t?.Arn) && !(t?.roleArn ?? t?.RoleArn),
      ),
  );
  const functionPublishers = app.filter(
    (c): c is lambda.CfnFunction =>
      c instanceof lambda.CfnFunction &&
      Object.values(((e) => e?.variables ?? e?.Variables ?? {})(resolved<any>(c, c.environment))).some(targetsTopic(c)),
  );
  if (!alarmPublishes && !ruleWithoutRolePublishes && functionPublishers.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }

  const documents = inStack
    .filter(
      (c): c is sns.CfnTopicPolicy =>
        c instanceof sns.CfnTopicPolicy && (resolved<unknown[]>(c, c.topics) ?? []).some(targetsTopic(c)),
    )
    .map((p) => statementsOf(resolved(p, p.policyDocument)));
  const account = resolved(node, stack.account);

  if (documents.some((statements) => statements.some(deniesPublishToAll))) return NagRuleCompliance.NON_COMPLIANT;
  if (node.kmsMasterKeyId !== undefined) {
    const keyId = referencedLogicalId(resolved(node, node.kmsMasterKeyId));
    const key = inStack.find((c): c is kms.CfnKey => c instanceof kms.CfnKey && logicalId(c) === keyId);
    if (!key) return NagRuleCompliance.NON_COMPLIANT; // the AWS managed key, or one this rule cannot read
    const keyStatements = statementsOf(resolved(key, key.keyPolicy));
    const usable = (service: string) => keyStatements.some((st) => allowsKeyUse(st, service));
    if ((alarmPublishes && !usable(CLOUDWATCH)) || (ruleWithoutRolePublishes && !usable(EVENTS))) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
  }
  if (alarmPublishes && !documents.every((s) => s.some((st) => allowsCloudWatchFrom(st, account)))) {
    return NagRuleCompliance.NON_COMPLIANT;
  }
  if (!functionPublishers.every((fn) => roleMayPublish(fn, node))) return NagRuleCompliance.NON_COMPLIANT;
  if (ruleWithoutRolePublishes && (documents.length === 0 || !documents.every((s) => s.some(allowsEventBridge)))) {
    return NagRuleCompliance.NON_COMPLIANT;
  }
  return NagRuleCompliance.COMPLIANT;
}

/** Whether the execution role of `fn` (in fn's stack) is allowed sns:Publish on `topic` by its own policies. */
function roleMayPublish(fn: lambda.CfnFunction, topic: sns.CfnTopic): boolean {
  const roleId = referencedLogicalId(resolved(fn, fn.role));
  const inStack = Stack.of(fn).node.findAll();
  const role = inStack.find((c): c is iam.CfnRole => c instanceof iam.CfnRole && logicalId(c) === roleId);
  if (!role) return false;
  const inline = (resolved<any[] | undefined>(role, role.policies) ?? []).map(
    (p) => p?.policyDocument ?? p?.PolicyDocument,
  );
  const attached = inStack
    .filter(
      (c): c is iam.CfnPolicy =>
        c instanceof iam.CfnPolicy &&
        (resolved<unknown[]>(c, c.roles) ?? []).some((r) => referencedLogicalId(r) === roleId),
    )
    .map((p) => resolved(p, p.policyDocument));
  return [...inline, ...attached]
    .flatMap(statementsOf)
    .some(
      (st) =>
        st.Effect === 'Allow' &&
        coversPublish(st) &&
        list(st.Resource).some((r) => r === '*' || namesTopic(r, fn, topic)),
    );
}

function statementsOf(document: any): any[] {
  const s = document?.Statement ?? [];
  return Array.isArray(s) ? s : [s];
}

function list(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function coversPublish(statement: any): boolean {
  return list(statement.Action).some(
    (a) => typeof a === 'string' && ['sns:publish', 'sns:*', '*'].includes(a.toLowerCase()),
  );
}

function services(statement: any): unknown[] {
  return list(statement.Principal?.Service);
}

/** A condition block's keys are case-insensitive: the value of `operator` / `key`, if present. */
function conditionValue(statement: any, operator: string, key: string): unknown {
  const entries = (o: unknown) => Object.entries((o ?? {}) as Record<string, unknown>);
  const block = entries(statement.Condition).find(([op]) => op.toLowerCase() === operator.toLowerCase())?.[1];
  return entries(block).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
}

function allowsCloudWatchFrom(statement: any, account: unknown): boolean {
  if (statement.Effect !== 'Allow' || !coversPublish(statement) || !services(statement).includes(CLOUDWATCH)) {
    return false;
  }
  const source = conditionValue(statement, 'StringEquals', 'aws:SourceAccount');
  const sameAccount = (v: unknown) =>
    JSON.stringify(v) === JSON.stringify(account) || JSON.stringify(v) === JSON.stringify({ Ref: 'AWS::AccountId' });
  return list(source).length > 0 && list(source).every(sameAccount);
}

function allowsEventBridge(statement: any): boolean {
  return (
    statement.Effect === 'Allow' &&
    coversPublish(statement) &&
    services(statement).includes(EVENTS) &&
    Object.keys(statement.Condition ?? {}).length === 0
  );
}

function deniesPublishToAll(statement: any): boolean {
  const p = statement.Principal;
  const everyone = p === '*' || list(p?.AWS).includes('*');
  return (
    statement.Effect === 'Deny' &&
    everyone &&
    coversPublish(statement) &&
    Object.keys(statement.Condition ?? {}).length === 0
  );
}

function allowsKeyUse(statement: any, service: string): boolean {
  const actions = list(statement.Action)
    .filter((a): a is string => typeof a === 'string')
    .map((a) => a.toLowerCase());
  const covers = (action: string) =>
    actions.some(
      (a) => a === '*' || a === 'kms:*' || a === action || (a.endsWith('*') && action.startsWith(a.slice(0, -1))),
    );
  return (
    statement.Effect === 'Allow' &&
    services(statement).includes(service) &&
    covers('kms:decrypt') &&
    covers('kms:generatedatakey')
  );
}
