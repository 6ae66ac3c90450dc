import type { Template } from 'aws-cdk-lib/assertions';

/** A resource of a synthesized template, as far as the tests read it. */
export interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

/** Every resource of `type`, by logical id. */
export function resourcesOf(
  template: Template,
  type: string,
): Record<string, CfnResource> {
  return template.findResources(type) as Record<string, CfnResource>;
}

/** The single resource of `type`; fails when there is not exactly one. */
export function onlyResource(
  template: Template,
  type: string,
): [string, CfnResource] {
  const all = Object.entries(resourcesOf(template, type));
  if (all.length !== 1) {
    throw new Error(`expected one ${type}, found ${all.length}`);
  }
  return all[0] as [string, CfnResource];
}

/** `{ Ref: id }` or `{ 'Fn::GetAtt': [id, attr] }` -> id. */
export function referencedId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return v.Ref;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

/** Logical id of the function built for `Functions/<constructId>`. */
export function functionLogicalId(
  template: Template,
  constructId: string,
): string | undefined {
  const pattern = new RegExp(`^Functions${constructId}[0-9A-F]{8}$`);
  return Object.keys(resourcesOf(template, 'AWS::Lambda::Function')).find(
    (id) => pattern.test(id),
  );
}

/** Every API method as `'GET /v1/intents/{id}'` -> the method resource. */
export function apiMethods(template: Template): Map<string, CfnResource> {
  const resources = resourcesOf(template, 'AWS::ApiGateway::Resource');
  const pathOf = (id: string | undefined): string => {
    const res = id === undefined ? undefined : resources[id];
    if (!res) return '';
    return `${pathOf(referencedId(res.Properties.ParentId))}/${String(res.Properties.PathPart)}`;
  };
  const methods = new Map<string, CfnResource>();
  for (const method of Object.values(
    resourcesOf(template, 'AWS::ApiGateway::Method'),
  )) {
    const path = pathOf(referencedId(method.Properties.ResourceId)) || '/';
    methods.set(`${String(method.Properties.HttpMethod)} ${path}`, method);
  }
  return methods;
}

/** Logical ids of the roles a function-like resource assumes. */
export function roleOf(fn: CfnResource): string | undefined {
  return referencedId(fn.Properties.Role);
}

/** Every IAM action granted to `roleId` by the template's policies. */
export function actionsOfRole(template: Template, roleId: string): string[] {
  const actions: string[] = [];
  for (const policy of Object.values(
    resourcesOf(template, 'AWS::IAM::Policy'),
  )) {
    const roles = policy.Properties.Roles;
    if (!Array.isArray(roles) || !roles.some((r) => referencedId(r) === roleId))
      continue;
    const doc = policy.Properties.PolicyDocument as {
      Statement: { Action: string | string[] }[];
    };
    for (const s of doc.Statement) actions.push(...[s.Action].flat());
  }
  return actions;
}
