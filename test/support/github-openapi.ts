import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * GitHub's official OpenAPI description of api.github.com
 * (`@octokit/openapi`), for the fake GitHub: route templates checked
 * against it, request bodies and path/query parameters validated by it.
 *
 * The file read is `generated/api.github.com.json` (13 MB, parsed in about
 * 0.3 s), not the package entry point (which loads every variant, ~400 MB)
 * nor the dereferenced variant (73 MB, ~2 s and ~200 MB of heap): `$ref`s
 * are resolved here, only for the operations the fake implements, and each
 * operation's validators are compiled on its first request.
 */

type Json = Record<string, unknown>;

/** What {@link GitHubOperation.validate} checks. */
export interface OperationRequest {
  /** Path parameters by name, decoded (as {@link GitHubOperation.match} gives). */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body; `undefined` when the request had none. */
  body: unknown;
}

/** One operation of the description: `METHOD /template`. */
export interface GitHubOperation {
  /** Upper case, e.g. `PATCH`. */
  readonly method: string;
  /** The path template, e.g. `/repos/{owner}/{repo}/git/refs/{ref}`. */
  readonly template: string;
  /** E.g. `git/update-ref`. */
  readonly operationId: string;
  /** The operation's page on docs.github.com. */
  readonly documentationUrl: string;
  /**
   * The path parameters when the decoded `path` fits the template, else
   * null. Parameters marked `x-multi-segment` (refs, branches, SHAs) may
   * span slashes.
   */
  match(path: string): Record<string, string> | null;
  /** Readable violations of the description; empty when the request fits. */
  validate(request: OperationRequest): string[];
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Json;
  'x-multi-segment'?: boolean;
}

interface Validators {
  path: ValidateFunction;
  query: ValidateFunction;
  body: ValidateFunction | null;
  bodyRequired: boolean;
}

const DESCRIPTION = 'api.github.com';
let description: Json | null = null;
const operations = new Map<string, GitHubOperation>();

function load(): Json {
  if (description === null) {
    const require = createRequire(import.meta.url);
    const file = require.resolve(
      `@octokit/openapi/generated/${DESCRIPTION}.json`,
    );
    description = JSON.parse(readFileSync(file, 'utf8')) as Json;
  }
  return description;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pointer(doc: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`external $ref ${ref}`);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    node = isObject(node) ? node[key] : undefined;
  }
  if (node === undefined) throw new Error(`dangling $ref ${ref}`);
  return node;
}

/**
 * A copy of `node` with every local `$ref` inlined. A reference back to a
 * schema being inlined (a cycle) becomes `{}`, which accepts anything.
 */
function deref(doc: Json, node: unknown, stack: string[] = []): unknown {
  if (Array.isArray(node)) return node.map((n) => deref(doc, n, stack));
  if (!isObject(node)) return node;
  const ref = node.$ref;
  if (typeof ref === 'string') {
    if (stack.includes(ref)) return {};
    return deref(doc, pointer(doc, ref), [...stack, ref]);
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = deref(doc, value, stack);
  }
  return out;
}

function newAjv(coerceTypes: boolean): Ajv {
  // strict off: the description carries OpenAPI words (example, x-github)
  // that are not JSON Schema; `nullable` is understood by Ajv itself.
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strict: false,
    coerceTypes,
  });
  addFormatsModule.default(ajv);
  ajv.addFormat('repo.nwo', /^[^/\s]+\/[^/\s]+$/);
  ajv.addFormat('timestamp', true);
  return ajv;
}

let bodyAjv: Ajv | null = null;
let paramAjv: Ajv | null = null;

function ajvFor(params: boolean): Ajv {
  if (params) {
    paramAjv ??= newAjv(true);
    return paramAjv;
  }
  bodyAjv ??= newAjv(false);
  return bodyAjv;
}

function paramSchema(parameters: Parameter[], where: string): Json {
  const chosen = parameters.filter((p) => p.in === where);
  return {
    type: 'object',
    properties: Object.fromEntries(chosen.map((p) => [p.name, p.schema ?? {}])),
    required: chosen.filter((p) => p.required === true).map((p) => p.name),
  };
}

function compile(parameters: Parameter[], requestBody: unknown): Validators {
  const body = isObject(requestBody) ? requestBody : {};
  const content = isObject(body.content) ? body.content : {};
  const media = content['application/json'];
  const schema =
    isObject(media) && isObject(media.schema) ? media.schema : null;
  return {
    path: ajvFor(true).compile(paramSchema(parameters, 'path')),
    query: ajvFor(true).compile(paramSchema(parameters, 'query')),
    body: schema === null ? null : ajvFor(false).compile(schema),
    bodyRequired: body.required === true,
  };
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** `an integer`, `a boolean`: GitHub's wording for a type. */
function article(type: unknown): string {
  const name = String(type);
  return `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name}`;
}

/** One Ajv error in GitHub's words, e.g. `"sha" wasn't supplied.` */
function describe(error: ErrorObject, where: string): string {
  const at = `${where}${error.instancePath}`;
  const params = error.params as Json;
  switch (error.keyword) {
    case 'required':
      return `${show(params.missingProperty)} wasn't supplied.`;
    case 'enum':
      return `For '${at}', ${show(error.data)} is not one of ${show(params.allowedValues)}.`;
    case 'type':
      return `For '${at}', ${show(error.data)} is not ${article(params.type)}.`;
    case 'format':
      return `For '${at}', ${show(error.data)} is not a valid ${show(params.format)}.`;
    case 'anyOf':
    case 'oneOf':
      return `No subschema in "${error.keyword}" matched.`;
    default:
      return `For '${at}', ${error.message ?? 'is invalid'}.`;
  }
}

/** Ajv lists a failed `anyOf` after its branches; GitHub says it first. */
function rank(error: ErrorObject): number {
  return error.keyword === 'anyOf' || error.keyword === 'oneOf' ? 0 : 1;
}

function run(validate: ValidateFunction, data: unknown, where: string) {
  if (validate(data)) return [];
  const errors = [...(validate.errors ?? [])].sort((a, b) => rank(a) - rank(b));
  return [...new Set(errors.map((e) => describe(e, where)))];
}

function templateRegex(template: string, parameters: Parameter[]): RegExp {
  const multi = new Set(
    parameters.filter((p) => p['x-multi-segment'] === true).map((p) => p.name),
  );
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      return `(?<${name}>${multi.has(name) ? '.+' : '[^/]+'})`;
    })
    .join('');
  return new RegExp(`^${source}$`);
}

function build(method: string, template: string): GitHubOperation | null {
  const doc = load();
  const paths = isObject(doc.paths) ? doc.paths : {};
  const item = paths[template];
  const op = isObject(item) ? item[method.toLowerCase()] : undefined;
  if (!isObject(item) || !isObject(op)) return null;
  const parameters = deref(doc, [
    ...(Array.isArray(item.parameters) ? item.parameters : []),
    ...(Array.isArray(op.parameters) ? op.parameters : []),
  ]) as Parameter[];
  const regex = templateRegex(template, parameters);
  let validators: Validators | null = null;
  const docs = isObject(op.externalDocs) ? op.externalDocs.url : undefined;
  return {
    method,
    template,
    operationId: String(op.operationId),
    documentationUrl:
      typeof docs === 'string' ? docs : 'https://docs.github.com/rest',
    match(path) {
      const groups = regex.exec(path)?.groups;
      return groups ? { ...groups } : null;
    },
    validate({ params, query, body }) {
      validators ??= compile(parameters, deref(doc, op.requestBody));
      const sent = body === undefined && validators.bodyRequired ? {} : body;
      return [
        ...run(validators.path, { ...params }, 'path'),
        ...run(validators.query, Object.fromEntries(query), 'query'),
        ...(validators.body && sent !== undefined
          ? run(validators.body, sent, 'properties')
          : []),
      ];
    },
  };
}

/**
 * The operations named `METHOD /template` (e.g.
 * `PATCH /repos/{owner}/{repo}/git/refs/{ref}`), in the given order; loads
 * the description on first use. Throws, naming every one, when some are
 * not in the description with that method.
 */
export function gitHubOperations(keys: readonly string[]): GitHubOperation[] {
  const missing: string[] = [];
  const found = keys.map((key) => {
    const cached = operations.get(key);
    if (cached) return cached;
    const [method = '', template = ''] = key.split(' ');
    const op = build(method.toUpperCase(), template);
    if (op === null) missing.push(key);
    else operations.set(key, op);
    return op;
  });
  if (missing.length > 0) {
    throw new Error(
      `not in GitHub's OpenAPI description (${DESCRIPTION}): ${missing.join(', ')}`,
    );
  }
  return found.filter((op): op is GitHubOperation => op !== null);
}
