import type { HttpMethod, RouteInfo } from './routes.js';

type Segment =
  | { kind: 'static'; value: string }
  | { kind: 'param'; name: string; greedy: boolean };

/** A resource template compiled for matching. */
export interface CompiledTemplate {
  template: string;
  segments: Segment[];
  /** Static segments count: the more, the more specific. */
  specificity: number;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/** Compiles `/v1/a/{id}` (and greedy `{proxy+}`) for `matchTemplate`. */
export function compileTemplate(template: string): CompiledTemplate {
  const segments = splitPath(template).map((s): Segment => {
    const param = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(s);
    if (!param?.[1]) return { kind: 'static', value: s };
    return { kind: 'param', name: param[1], greedy: param[2] === '+' };
  });
  const specificity = segments.filter((s) => s.kind === 'static').length;
  return { template, segments, specificity };
}

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** A request path split once, each segment decoded once (null: malformed). */
interface SplitPath {
  parts: string[];
  decoded: (string | null)[];
}

function splitRequest(path: string): SplitPath {
  const parts = splitPath(path);
  return { parts, decoded: parts.map(decode) };
}

/** One template segment against the request; false when it does not fit. */
function matchSegment(
  seg: Segment,
  i: number,
  split: SplitPath,
  params: Record<string, string>,
): boolean {
  if (seg.kind === 'static') return split.decoded[i] === seg.value;
  const value = seg.greedy
    ? decode(split.parts.slice(i).join('/'))
    : split.decoded[i];
  if (value === null || value === undefined) return false;
  params[seg.name] = value;
  return true;
}

function matchSplit(
  compiled: CompiledTemplate,
  split: SplitPath,
): Record<string, string> | null {
  const { segments } = compiled;
  const last = segments.at(-1);
  const greedy = last?.kind === 'param' && last.greedy;
  const fits = greedy
    ? split.parts.length >= segments.length
    : split.parts.length === segments.length;
  if (!fits) return null;
  const params: Record<string, string> = {};
  for (const [i, seg] of segments.entries()) {
    if (!matchSegment(seg, i, split, params)) return null;
  }
  return params;
}

/**
 * Matches a raw request path against a compiled template; the parameters
 * (URL-decoded) or null.
 */
export function matchTemplate(
  compiled: CompiledTemplate,
  path: string,
): Record<string, string> | null {
  return matchSplit(compiled, splitRequest(path));
}

/** Result of resolving a method and path against route tables. */
export type Resolution<T> =
  | { kind: 'found'; route: T; pathParameters: Record<string, string> }
  | { kind: 'method_not_allowed'; allow: HttpMethod[] }
  | { kind: 'not_found' };

/**
 * Resolves requests against a set of routes, most specific template first,
 * as API Gateway prefers static segments over parameters.
 */
export class RouteResolver<T extends Pick<RouteInfo, 'method' | 'path'>> {
  readonly #entries: Array<{ route: T; compiled: CompiledTemplate }>;

  constructor(routes: Iterable<T>) {
    this.#entries = [...routes]
      .map((route) => ({ route, compiled: compileTemplate(route.path) }))
      .sort((a, b) => b.compiled.specificity - a.compiled.specificity);
  }

  /** The route for `method` and the raw `path`. */
  resolve(method: string, path: string): Resolution<T> {
    const allow: HttpMethod[] = [];
    let template: string | null = null;
    const split = splitRequest(path);
    for (const { route, compiled } of this.#entries) {
      if (template !== null && compiled.template !== template) continue;
      const params = matchSplit(compiled, split);
      if (params === null) continue;
      template = compiled.template;
      if (route.method === method) {
        return { kind: 'found', route, pathParameters: params };
      }
      allow.push(route.method);
    }
    return allow.length > 0
      ? { kind: 'method_not_allowed', allow }
      : { kind: 'not_found' };
  }
}
