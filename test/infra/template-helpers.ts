import type { Template } from 'aws-cdk-lib/assertions';

/** A CloudFormation resource as it appears in a synthesized template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
}

/** One IAM statement with the logical id of the policy that holds it. */
export interface PolicyStatementEntry {
  readonly policyId: string;
  readonly actions: readonly string[];
  readonly resources: readonly unknown[];
  readonly effect: string;
}

/** All resources of the template by logical id. */
export function resourcesOf(template: Template): Record<string, TemplateResource> {
  return template.toJSON()['Resources'] as Record<string, TemplateResource>;
}

/** The one resource of a type whose properties satisfy `match`; fails unless exactly one does. */
export function findOne(
  template: Template,
  type: string,
  match: (props: Record<string, unknown>) => boolean = () => true,
): [string, TemplateResource] {
  const found = Object.entries(resourcesOf(template)).filter(
    ([, resource]) => resource.Type === type && match(resource.Properties ?? {}),
  );
  if (found.length !== 1) {
    throw new Error(`expected one ${type} matching; received ${found.length}`);
  }
  return found[0] as [string, TemplateResource];
}

/** Every statement of every AWS::IAM::Policy in the template. */
export function policyStatements(template: Template): PolicyStatementEntry[] {
  return Object.entries(resourcesOf(template))
    .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy')
    .flatMap(([policyId, resource]) => {
      const document = resource.Properties?.['PolicyDocument'] as {
        Statement: { Action: string | string[]; Resource: unknown; Effect: string }[];
      };
      return document.Statement.map((statement) => ({
        policyId,
        actions: [statement.Action].flat(),
        resources: [statement.Resource].flat(),
        effect: statement.Effect,
      }));
    });
}

/** Statements of the policy attached to the role with this logical id. */
export function statementsOfRole(template: Template, roleId: string): PolicyStatementEntry[] {
  const policyIds = Object.entries(resourcesOf(template))
    .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy')
    .filter(([, resource]) =>
      JSON.stringify(resource.Properties?.['Roles']).includes(`"${roleId}"`),
    )
    .map(([id]) => id);
  return policyStatements(template).filter((s) => policyIds.includes(s.policyId));
}

/** Logical ids that a CloudFormation value refers to through Ref and Fn::GetAtt. */
export function referencedIds(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.flatMap(referencedIds);
  }
  if (value === null || typeof value !== 'object') {
    return [];
  }
  const record = value as Record<string, unknown>;
  const own: string[] = [];
  if (typeof record['Ref'] === 'string') {
    own.push(record['Ref']);
  }
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
    own.push(getAtt[0]);
  }
  return [...own, ...Object.values(record).flatMap(referencedIds)];
}

/** Evaluates Fn::Join, Fn::Split and Fn::GetAtt (from `attributes`, keyed "Id.Attr") offline. */
export function evaluate(value: unknown, attributes: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string' || value === null || typeof value !== 'object') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => evaluate(item, attributes));
  }
  const record = value as Record<string, unknown>;
  if ('Fn::GetAtt' in record) {
    const [id, attribute] = record['Fn::GetAtt'] as [string, string];
    return attributes[`${id}.${attribute}`];
  }
  if ('Fn::Split' in record) {
    const [separator, source] = record['Fn::Split'] as [string, unknown];
    return String(evaluate(source, attributes)).split(separator);
  }
  if ('Fn::Join' in record) {
    const [separator, parts] = record['Fn::Join'] as [string, unknown];
    return (evaluate(parts, attributes) as unknown[]).join(separator);
  }
  throw new Error(`cannot evaluate ${JSON.stringify(value)}`);
}
