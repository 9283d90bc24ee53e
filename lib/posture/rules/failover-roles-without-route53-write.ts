import { type CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NagRuleCompliance } from 'cdk-nag';
import { PLAYBOOK_METADATA } from '../../recovery/playbook-function';
import { logicalId, referencedLogicalId, resolved } from './support';

/** The one managed policy a failover role may carry: writing its own logs. */
const ALLOWED_MANAGED = ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"';

/**
 * Actions that change Route 53 (records, health checks, zones), including wildcards that cover them
 * (`route53:*` among them: a Route 53 action with a wildcard that is not a read).
 */
export function isRoute53Write(action: string): boolean {
  const a = action.toLowerCase();
  return (
    a === '*' ||
    /^route53:(change|create|delete|update|associate|disassociate|activate|deactivate|enable|disable)/.test(a) ||
    (a.startsWith('route53:') && a.includes('*') && !a.startsWith('route53:get') && !a.startsWith('route53:list'))
  );
}

/** An IAM value that may be one item or a list (Statement, Action, NotAction: IAM requires them), as a list. */
function list(value: unknown): any[] {
  return Array.isArray(value) ? value : [value];
}

/** A resolved policy document's statements (IAM's JSON keys: the L1 and L2 policies resolve to them). */
function statementsOf(document: any): any[] {
  return list(document.Statement);
}

/**
 * Whether an Allow statement grants a Route 53 write: an action that is one, or a NotAction (which
 * allows every action it does not list) that does not exclude all of Route 53.
 */
function allowsRoute53Write(statement: any): boolean {
  if (statement.Effect !== 'Allow') return false;
  if (statement.NotAction !== undefined) {
    return !list(statement.NotAction).some(
      // Stryker disable next-line ConditionalExpression: actions are strings in every template the CDK writes; the check only keeps an intrinsic from throwing
      (a) => typeof a === 'string' && ['*', 'route53:*'].includes(a.toLowerCase()),
    );
  }
  // Stryker disable next-line ConditionalExpression: as above
  return list(statement.Action).some((a) => typeof a === 'string' && isRoute53Write(a));
}

/**
 * The failover and failback playbooks must work without the Route 53 control plane, so their
 * roles hold no Route 53 write permission (and no managed policy that could grant one).
 */
export function FailoverRolesWithoutRoute53Write(node: CfnResource): NagRuleCompliance {
  if (!(node instanceof lambda.CfnFunction)) return NagRuleCompliance.NOT_APPLICABLE;
  const playbook = node.getMetadata(PLAYBOOK_METADATA)?.playbook;
  if (playbook !== 'failover' && playbook !== 'failback') return NagRuleCompliance.NOT_APPLICABLE;

  const stack = Stack.of(node);
  const roleId = referencedLogicalId(resolved(node, node.role));
  const role = stack.node.findAll().find((c): c is iam.CfnRole => c instanceof iam.CfnRole && logicalId(c) === roleId);
  if (!role) return NagRuleCompliance.NON_COMPLIANT; // a role from elsewhere cannot be checked

  const managed: unknown[] = resolved(role, role.managedPolicyArns) ?? [];
  // A managed ARN resolves to a string or an Fn::Join ending in the policy path.
  if (managed.some((arn) => !JSON.stringify(arn).includes(ALLOWED_MANAGED))) {
    return NagRuleCompliance.NON_COMPLIANT;
  }
  const inline = (resolved<any[]>(role, role.policies) ?? []).flatMap((p) => statementsOf(p.policyDocument));
  const attached = stack.node
    .findAll()
    .filter((c): c is iam.CfnPolicy => c instanceof iam.CfnPolicy)
    .filter((p) => (resolved<any[]>(p, p.roles) ?? []).some((r) => referencedLogicalId(r) === roleId))
    .flatMap((p) => statementsOf(resolved(p, p.policyDocument)));
  return [...inline, ...attached].some(allowsRoute53Write)
    ? NagRuleCompliance.NON_COMPLIANT
    : NagRuleCompliance.COMPLIANT;
}
