import { Stack, Validations, type CfnResource } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IConstruct } from 'constructs';

/** One accepted cdk-nag finding: the rule (with its finding) and why it is accepted. */
export interface AcceptedFinding {
  readonly id: string;
  readonly reason: string;
}

/** The constructs whose findings are accepted, as the scheduler knows them. */
export interface NagTargets {
  /** The scheduler construct; logical ids are those of its stack. */
  readonly scope: IConstruct;
  readonly table: Table;
  /** The user pool, when the scheduler creates it. */
  readonly userPool?: IConstruct;
  readonly api: IConstruct;
  /** The role AppSync writes its logs with. */
  readonly apiLogsRole: IConstruct;
  /** The API's CloudFormation resource, whose id names its log group. */
  readonly apiResource: CfnResource;
  /** Roles that read and write the table (Lambda roles and the DynamoDB data source). */
  readonly tableUsers: readonly IConstruct[];
  /** Lambda functions with active X-Ray tracing. */
  readonly tracedFunctions: readonly IConstruct[];
}

/** cdk-nag rule ids carry the pack name as a prefix when acknowledged. */
function accept(scope: IConstruct, finding: AcceptedFinding): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::${finding.id}`, reason: finding.reason });
}

/**
 * Records, with a reason each, the cdk-nag findings the scheduler accepts, on its own resources
 * only (and on the log-retention provider its API adds to the stack); returns them for review.
 */
export function acceptFindings(targets: NagTargets): AcceptedFinding[] {
  const stack = Stack.of(targets.scope);
  const accepted: AcceptedFinding[] = [];
  const record = (scopes: readonly IConstruct[], finding: AcceptedFinding) => {
    scopes.forEach((scope) => accept(scope, finding));
    accepted.push(finding);
  };
  const tableId = stack.getLogicalId(targets.table.node.defaultChild as CfnResource);
  record(targets.tableUsers, {
    id: `AwsSolutions-IAM5[Resource::<${tableId}.Arn>/index/*]`,
    reason:
      "CDK's table grant also covers this table's own indexes (byOwner and byOwnerHistory, which the resolvers query); no other table is reachable.",
  });
  record(targets.tracedFunctions, {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so AWS requires "*".',
  });
  record([targets.api], {
    id: 'AwsSolutions-ASC3',
    reason:
      'Verbose request logging would write schedule payloads to CloudWatch; field-level logs and X-Ray stay on, and the verboseApiLogs prop turns it on.',
  });
  const apiId = stack.getLogicalId(targets.apiResource);
  record([targets.apiLogsRole], {
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/appsync/apis/<${apiId}.ApiId>:*]`,
    reason:
      "AppSync names its log streams at run time; the statement is limited to the streams of this API's own log group.",
  });
  if (targets.userPool !== undefined) {
    record([targets.userPool], {
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus feature plan is billed per active user; threat protection is an owner decision, and a pool with it can be imported with the userPoolId prop.',
    });
    record([targets.userPool], {
      id: 'AwsSolutions-COG2',
      reason:
        'TOTP MFA is offered to every user (optional); requiring it is left to the owner because API clients include unattended back ends.',
    });
  }
  acceptLogRetention(stack, record);
  return accepted;
}

/**
 * The CDK-managed Lambda behind the AppSync log group's retention: GraphqlApi adds one per stack,
 * shared by every API in it, so it is found among the stack's children.
 */
function acceptLogRetention(
  stack: Stack,
  record: (scopes: readonly IConstruct[], finding: AcceptedFinding) => void,
): void {
  const providers = stack.node.children.filter((child) => child.node.id.startsWith('LogRetention'));
  if (providers.length === 0) {
    return;
  }
  record(providers, {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      "CDK's log-retention provider (created by GraphqlApi to set the API log group's retention) uses AWS's basic Lambda logging policy.",
  });
  record(providers, {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      "CDK's log-retention provider must set retention on a log group AppSync names at deploy time; CDK scopes it to logs:PutRetentionPolicy and logs:DeleteRetentionPolicy.",
  });
}
