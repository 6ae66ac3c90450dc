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

/**
 * Matches a raw URL path against a compiled template; path parameters are
 * URL-decoded (as API Gateway passes them).
 * @returns the parameters, or null when the path does not match
 */
export function matchTemplate(
  compiled: CompiledTemplate,
  path: string,
): Record<string, string> | null {
  const parts = splitPath(path);
  const params: Record<string, string> = {};
  for (const [i, seg] of compiled.segments.entries()) {
    const part = parts[i];
    if (part === undefined) return null;
    if (seg.kind === 'static') {
      if (decode(part) !== seg.value) return null;
      continue;
    }
    const raw = seg.greedy ? parts.slice(i).join('/') : part;
    const value = decode(raw);
    if (value === null) return null;
    params[seg.name] = value;
    if (seg.greedy) return params;
  }
  return parts.length === compiled.segments.length ? params : null;
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
    for (const { route, compiled } of this.#entries) {
      if (template !== null && compiled.template !== template) continue;
      const params = matchTemplate(compiled, path);
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
