/**
 * fast-check generators of bad requests for fuzz.test.ts. Every generated
 * request breaks its route's contract for sure (every query and body schema
 * is a strict zod object): a missing or bad key, a method the path does not
 * serve, an unknown query key or body field, a non-object or malformed JSON
 * body, a wrong content type, an oversize body, an unknown or hostile path
 * parameter, an unsigned webhook. So any 2xx is a finding.
 */
import fc from 'fast-check';
import { z } from 'zod';
import { HTTP_METHODS, type RouteInfo } from '../../../shared/http/routes.js';
import {
  type Arb,
  badQuery,
  fillPath,
  hostile,
  notJson,
  shapeKeys,
  unknownKey,
  WRONG_CONTENT_TYPES,
  wrongType,
} from './fuzz-arbitraries.js';

/** One generated request. */
export interface FuzzRequest {
  kind: string;
  method: string;
  /** Raw path and query, sent as is. */
  path: string;
  /** Which key to send: a real one, a bad one or none. */
  key: 'admin' | 'viewer' | 'bad' | 'none';
  headers: Record<string, string>;
  body?: string;
}

type Part = Omit<FuzzRequest, 'method' | 'path' | 'key'> & { query?: string };

const JSON_HEADERS = { 'content-type': 'application/json' };

function badBody(route: RouteInfo): Arb<Part> {
  const schema = route.schemas.body;
  const known = shapeKeys(schema);
  const json = (kind: string) => (v: unknown) => ({
    kind,
    headers: JSON_HEADERS,
    body: JSON.stringify(v),
  });
  const withUnknown = fc
    .tuple(
      fc.dictionary(fc.constantFrom(...known, 'x'), hostile),
      unknownKey(known),
    )
    .map(([obj, key]) => ({ ...obj, [key]: 'surprise' }));
  const typed = known.flatMap((key) => {
    const field = schema instanceof z.ZodObject ? schema.shape[key] : undefined;
    const wrong = field instanceof z.ZodType ? wrongType(field) : undefined;
    return wrong ? [wrong.map((v) => ({ [key]: v }))] : [];
  });
  const huge = fc.integer({ min: 100_000, max: 1_200_000 }).map((n) => ({
    [known[0] ?? 'zz']: 'x'.repeat(n),
    zz_unknown: true,
  }));
  return fc.oneof(
    fc
      .string()
      .filter(notJson)
      .map((body) => ({ kind: 'malformed-json', headers: JSON_HEADERS, body })),
    fc
      .oneof(
        fc.array(fc.jsonValue()),
        fc.string(),
        fc.integer(),
        fc.constant(null),
      )
      .map(json('wrong-root')),
    withUnknown.map(json('unknown-field')),
    ...(typed.length > 0 ? [fc.oneof(...typed).map(json('wrong-type'))] : []),
    huge.map(json('huge-string')),
    fc
      .tuple(fc.constantFrom(...WRONG_CONTENT_TYPES), fc.jsonValue())
      .map(([ct, v]) => ({
        kind: 'content-type',
        headers: { 'content-type': ct },
        body: JSON.stringify(v) ?? 'x',
      })),
  );
}

function webhookBody(): Arb<Part> {
  const signature = fc.oneof(
    fc.constant(undefined),
    fc
      .string({
        unit: fc.constantFrom(...'0123456789abcdef'),
        minLength: 64,
        maxLength: 64,
      })
      .map((h) => `sha256=${h}`),
    fc.string({ maxLength: 80 }),
  );
  return fc
    .tuple(
      fc.oneof(
        fc.string(),
        fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
      ),
      signature,
    )
    .map(([body, sig]) => ({
      kind: 'unsigned-webhook',
      headers: {
        ...JSON_HEADERS,
        'x-github-event': 'pull_request',
        'x-github-delivery': 'fuzz-delivery',
        ...(sig === undefined ? {} : { 'x-hub-signature-256': sig }),
      },
      body,
    }));
}

/** The input mutations that apply to `route` (beyond keys and methods). */
function inputParts(route: RouteInfo): Arb<Part>[] {
  if (route.rawBody) return [webhookBody()];
  const parts: Arb<Part>[] = [];
  if (route.schemas.body) parts.push(badBody(route));
  if (route.schemas.query) {
    parts.push(
      badQuery(route).map((query) => ({
        kind: 'bad-query',
        headers: {},
        query,
      })),
    );
  }
  if (parts.length === 0 && route.path.includes('{')) {
    parts.push(fc.constant({ kind: 'bad-param', headers: {} }));
  }
  return parts;
}

/**
 * Bad requests for `route`; `served` maps each path template to its methods.
 * @example
 * fc.oneof(...routes.map((r) => badRequests(r, served)));
 */
export function badRequests(
  route: RouteInfo,
  served: ReadonlyMap<string, ReadonlySet<string>>,
): Arb<FuzzRequest> {
  const path = fillPath(route.path);
  const realKey = fc.constantFrom<FuzzRequest['key']>('admin', 'viewer');
  const variants: Arb<FuzzRequest>[] = inputParts(route).map((part) =>
    fc
      .tuple(
        part,
        path,
        route.public ? fc.constant<FuzzRequest['key']>('none') : realKey,
      )
      .map(([p, filled, key]) => {
        const { query, ...rest } = p;
        const sep = query === undefined ? '' : `?${query}`;
        return { ...rest, method: route.method, path: `${filled}${sep}`, key };
      }),
  );
  const inputCount = variants.length;
  if (!route.public) {
    const key = fc.constantFrom<FuzzRequest['key']>('bad', 'none');
    variants.push(
      fc.tuple(path, key).map(([filled, k]) => ({
        kind: 'bad-key',
        method: route.method,
        path: filled,
        key: k,
        headers: {},
      })),
    );
  }
  const others = HTTP_METHODS.filter((m) => !served.get(route.path)?.has(m));
  if (others.length > 0) {
    variants.push(
      fc
        .tuple(fc.constantFrom(...others), path, realKey)
        .map(([method, filled, key]) => ({
          kind: 'wrong-method',
          method,
          path: filled,
          key,
          headers: {},
        })),
    );
  }
  // Input mutations first: keys and methods are checked before any input.
  const [inputs, rest] = [
    variants.slice(0, inputCount),
    variants.slice(inputCount),
  ];
  return fc.oneof(
    ...inputs.map((arbitrary) => ({ arbitrary, weight: 4 })),
    ...rest.map((arbitrary) => ({ arbitrary, weight: 1 })),
  );
}
