/**
 * The API's resource policy from `api.resourcePolicy`: only the listed principals (role or user ARNs, accounts)
 * may invoke it, even when an IAM policy of this account would allow someone else, and with VPC endpoints only
 * requests through them (the API is then PRIVATE). Without the option there is no policy: IAM policies of this
 * account decide alone, and no other account can call.
 */
import {
  AccountPrincipal,
  AccountRootPrincipal,
  AnyPrincipal,
  ArnPrincipal,
  Effect,
  type IPrincipal,
  PolicyDocument,
  PolicyStatement,
} from 'aws-cdk-lib/aws-iam';
import type { ApiResourcePolicyConfig } from '../config';

const INVOKE = 'execute-api:Invoke';
/** Every method of every stage of this API (API Gateway expands `execute-api:/` to the API's ARN). */
const EVERY_METHOD = 'execute-api:/*';

export function apiResourcePolicy(config: ApiResourcePolicyConfig | undefined): PolicyDocument | undefined {
  if (!config) return undefined;
  const accounts = config.allowedPrincipals.filter((principal) => /^\d{12}$/.test(principal));
  const arns = config.allowedPrincipals.filter((principal) => principal.startsWith('arn:'));
  const allowed: IPrincipal[] =
    config.allowedPrincipals.length > 0
      ? [...arns.map((arn) => new ArnPrincipal(arn)), ...accounts.map((account) => new AccountPrincipal(account))]
      : [new AccountRootPrincipal()];
  const statements = [
    new PolicyStatement({
      sid: 'AllowListedPrincipals',
      principals: allowed,
      actions: [INVOKE],
      resources: [EVERY_METHOD],
    }),
  ];
  if (config.allowedPrincipals.length > 0) {
    // Deny anyone who is neither a listed role/user nor in a listed account (conditions of one statement AND).
    statements.push(
      new PolicyStatement({
        sid: 'DenyEveryoneElse',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: [INVOKE],
        resources: [EVERY_METHOD],
        conditions: {
          ...(arns.length > 0 && { StringNotLike: { 'aws:PrincipalArn': arns } }),
          ...(accounts.length > 0 && { StringNotEquals: { 'aws:PrincipalAccount': accounts } }),
        },
      }),
    );
  }
  if (config.sourceVpcEndpoints.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'DenyOutsideTheVpcEndpoints',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: [INVOKE],
        resources: [EVERY_METHOD],
        conditions: { StringNotEquals: { 'aws:SourceVpce': [...config.sourceVpcEndpoints] } },
      }),
    );
  }
  return new PolicyDocument({ statements });
}
