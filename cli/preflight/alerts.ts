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

/** A paging topic the app deploys: its region, urgency, ARN and the subscriptions the config asks for. */
export interface ExpectedTopic {
  readonly arn: string;
  readonly region: string;
  readonly urgency: 'high' | 'low';
  readonly subscriptions: readonly { readonly protocol: string; readonly endpoint: string }[];
}

/** The same endpoint: e-mail addresses compare without case (SNS keeps the case it was given). */
function sameEndpoint(protocol: string, a: string | undefined, b: string): boolean {
  return a !== undefined && (protocol === 'email' ? a.toLowerCase() === b.toLowerCase() : a === b);
}

/** What to do about a subscription that waits for confirmation, by protocol. */
function confirmFix(protocol: string, subscribe: string): string {
  if (protocol === 'email') {
    return `follow the link in the "AWS Notification - Subscription Confirmation" e-mail; to have it sent again: ${subscribe}`;
  }
  if (protocol === 'https') {
    return `the endpoint did not confirm: check that the integration URL is right and answers SNS's SubscriptionConfirmation (PagerDuty and Opsgenie do by themselves), then subscribe again: ${subscribe}`;
  }
  return `confirm from the phone, or subscribe again: ${subscribe}`;
}

/**
 * After a deploy: every paging topic (each urgency in each paging region) has every subscription
 * the config lists for its urgency (`paging.high` / `paging.low`, or `alertEmail` by e-mail),
 * confirmed, and no subscription of the topic waits for confirmation (SNS delivers nothing to a
 * subscription whose ARN is still "PendingConfirmation"). A topic that does not exist yet
 * (ListSubscriptionsByTopic answers NotFound) is not deployed; with none deployed: a pass with a note.
 */
export async function checkSubscriptions(
  topics: readonly ExpectedTopic[],
  clients: { readonly sns: (region: string) => SNSClient },
  profile: string | undefined,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let deployed = 0;
  for (const topic of topics) {
    const subs: Subscription[] = [];
    try {
      for await (const page of paginateListSubscriptionsByTopic(
        { client: clients.sns(topic.region) },
        { TopicArn: topic.arn },
      )) {
        subs.push(...(page.Subscriptions ?? []));
      }
    } catch (err) {
      // SNS answers a topic that does not exist (not deployed yet) with NotFound.
      const name = errorName(err);
      if (name === 'NotFound' || name === 'NotFoundException') continue;
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
    deployed++;
    const subscribe = (protocol: string, endpoint: string) =>
      `aws sns subscribe ${awsCliEnv(topic.region, profile)} --topic-arn ${topic.arn} --protocol ${protocol} --notification-endpoint ${shellQuote(endpoint)}`;
    const problems: { detail: string; fix: string }[] = [];
    for (const want of topic.subscriptions) {
      const found = subs.filter(
        (s) => s.Protocol === want.protocol && sameEndpoint(want.protocol, s.Endpoint, want.endpoint),
      );
      if (found.length === 0) {
        problems.push({
          detail: `no ${want.protocol} subscription for ${want.endpoint} (it expired unconfirmed, was removed, or the config changed since the deploy)`,
          fix: `${subscribe(want.protocol, want.endpoint)}; then confirm it`,
        });
      }
    }
    for (const s of subs.filter((x) => x.SubscriptionArn === 'PendingConfirmation')) {
      const protocol = s.Protocol ?? 'email';
      problems.push({
        detail: `${protocol} ${s.Endpoint}: PendingConfirmation, so no page reaches it`,
        fix: confirmFix(protocol, subscribe(protocol, s.Endpoint ?? '')),
      });
    }
    if (problems.length === 0) {
      results.push(
        pass(
          'alert-subscriptions',
          topic.arn,
          `${topic.urgency} urgency: ${topic.subscriptions.map((w) => `${w.protocol} ${w.endpoint}`).join(', ')} confirmed`,
        ),
      );
    } else {
      for (const p of problems) results.push(fail('alert-subscriptions', topic.arn, p.detail, p.fix));
    }
  }
  if (deployed === 0 && results.length === 0) {
    return [
      pass(
        'alert-subscriptions',
        'paging topics',
        'not deployed yet: no paging topic of the app exists, so there is nothing to subscribe to',
        'after the first deploy, confirm the e-mails and SMS that AWS sends and run preflight again to check the subscriptions',
      ),
    ];
  }
  return results;
}
