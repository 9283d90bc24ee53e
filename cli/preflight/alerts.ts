import { type CloudFormationClient, paginateListStackResources } from '@aws-sdk/client-cloudformation';
import { paginateListSubscriptionsByTopic, type SNSClient, type Subscription } from '@aws-sdk/client-sns';
import { awsCliEnv, type CheckResult, describeError, errorName, fail, pass, shellQuote } from './result';

/**
 * Domains that never belong to a real mailbox: the documentation domains of RFC 2606 and the
 * special-use TLDs of RFC 6761.
 */
const RESERVED_DOMAIN = /(^|\.)(example\.(com|org|net)|example|test|invalid|localhost)$/;
/** Local parts and words that say "fill me in". */
const PLACEHOLDER_WORD =
  /change-?me|replace-?me|placeholder|your[-_.]?(name|email|address|team)|^(you|your|user|name|email|someone)@/;

/** Why an alert address is a placeholder, or undefined when it looks like a real mailbox. */
export function placeholderProblem(address: string): string | undefined {
  const lower = address.toLowerCase();
  const domain = lower.slice(lower.lastIndexOf('@') + 1);
  if (RESERVED_DOMAIN.test(domain)) return `${domain} is a reserved example domain: no mail is ever delivered there`;
  const word = PLACEHOLDER_WORD.exec(lower);
  if (word) return `"${word[0]}" marks a placeholder`;
  return undefined;
}

/** The alert address is a mailbox someone reads. */
export function checkAlertAddress(address: string, configPath: string): CheckResult {
  const problem = placeholderProblem(address);
  if (!problem) return pass('alert-address', address, 'not a placeholder');
  return fail(
    'alert-address',
    address,
    `"alertEmail" is a placeholder: ${problem}; pages would reach nobody`,
    `set "alertEmail" in ${configPath} to a mailbox on-call reads (docs/runbooks/config-change.md), then run preflight again`,
  );
}

/** A stack of this app and the region it lives in. */
export interface AppStack {
  readonly name: string;
  readonly region: string;
}

/** SNS topics of one stack (ARNs), or undefined when the stack does not exist. */
async function topicsOf(cloudformation: CloudFormationClient, stackName: string): Promise<string[] | undefined> {
  const topics: string[] = [];
  try {
    for await (const page of paginateListStackResources({ client: cloudformation }, { StackName: stackName })) {
      for (const r of page.StackResourceSummaries ?? []) {
        if (r.ResourceType === 'AWS::SNS::Topic' && r.PhysicalResourceId) topics.push(r.PhysicalResourceId);
      }
    }
  } catch (err) {
    // ListStackResources answers a missing stack with ValidationError "Stack with id X does not exist".
    if (errorName(err) === 'ValidationError' && /does not exist/.test(describeError(err))) return undefined;
    throw err;
  }
  return topics;
}

/**
 * After a deploy: every paging topic of the app's stacks has a confirmed e-mail subscription for
 * the alert address, and no subscription waits for confirmation (SNS delivers nothing to a
 * subscription whose ARN is still "PendingConfirmation"). Before the first deploy there are no
 * topics: a pass with a note.
 */
export async function checkSubscriptions(
  stacks: readonly AppStack[],
  clients: {
    readonly cloudFormation: (region: string) => CloudFormationClient;
    readonly sns: (region: string) => SNSClient;
  },
  alertEmail: string,
  profile: string | undefined,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const topics: { arn: string; region: string; stack: string }[] = [];
  let deployed = 0;
  for (const stack of stacks) {
    let found: string[] | undefined;
    try {
      found = await topicsOf(clients.cloudFormation(stack.region), stack.name);
    } catch (err) {
      results.push(
        fail(
          'alert-subscriptions',
          `${stack.name} (${stack.region})`,
          `cannot list the stack's resources (${describeError(err)})`,
          `grant cloudformation:ListStackResources on ${stack.name} to the profile`,
        ),
      );
      continue;
    }
    if (found === undefined) continue;
    deployed++;
    topics.push(...found.map((arn) => ({ arn, region: stack.region, stack: stack.name })));
  }
  if (deployed === 0 && results.length === 0) {
    return [
      pass(
        'alert-subscriptions',
        'paging topics',
        'not deployed yet: no stack of the app exists, so there is no topic to subscribe to',
        'after the first deploy, confirm the e-mails AWS sends and run preflight again to check the subscriptions',
      ),
    ];
  }
  for (const topic of topics) {
    const subscribe = `aws sns subscribe ${awsCliEnv(topic.region, profile)} --topic-arn ${topic.arn} --protocol email --notification-endpoint ${shellQuote(alertEmail)}`;
    const subs: Subscription[] = [];
    try {
      for await (const page of paginateListSubscriptionsByTopic(
        { client: clients.sns(topic.region) },
        { TopicArn: topic.arn },
      )) {
        subs.push(...(page.Subscriptions ?? []));
      }
    } catch (err) {
      results.push(
        fail(
          'alert-subscriptions',
          topic.arn,
          `cannot list the topic's subscriptions (${describeError(err)})`,
          `grant sns:ListSubscriptionsByTopic on ${topic.arn} to the profile`,
        ),
      );
      continue;
    }
    const pending = subs.filter((s) => s.SubscriptionArn === 'PendingConfirmation');
    const alert = subs.filter((s) => s.Protocol === 'email' && s.Endpoint?.toLowerCase() === alertEmail.toLowerCase());
    const confirmed = alert.filter((s) => s.SubscriptionArn !== 'PendingConfirmation');
    if (pending.length > 0) {
      results.push(
        fail(
          'alert-subscriptions',
          topic.arn,
          `${pending.map((s) => `${s.Protocol} ${s.Endpoint}`).join(', ')}: PendingConfirmation, so no page reaches ${pending.length === 1 ? 'it' : 'them'}`,
          `follow the link in the "AWS Notification - Subscription Confirmation" e-mail; to have it sent again: ${subscribe}`,
        ),
      );
    } else if (confirmed.length === 0) {
      results.push(
        fail(
          'alert-subscriptions',
          topic.arn,
          `no e-mail subscription for ${alertEmail} (it expired unconfirmed, was removed, or the config changed since the deploy)`,
          `${subscribe}; then follow the link in the e-mail`,
        ),
      );
    } else {
      results.push(pass('alert-subscriptions', topic.arn, `${alertEmail} confirmed (${topic.stack})`));
    }
  }
  if (topics.length === 0 && results.length === 0) {
    results.push(
      pass(
        'alert-subscriptions',
        'paging topics',
        'no paging topic deployed yet',
        'the topics come with the primary data stack and the global stack; run preflight again after deploying them',
      ),
    );
  }
  return results;
}
