import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  sha256Hex,
} from '../../../../shared/domain/audit/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined like JSON.stringify', () => {
    // Prepare
    const a = { b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' }, u: undefined };
    const b = { a: { c: 'x', d: [3, { y: 2, z: 1 }] }, b: 1 };
    // Act / Assess
    expect(canonicalJson(a)).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  it('keeps array order and serialises scalars as JSON does', () => {
    // Prepare / Act / Assess
    expect(canonicalJson([2, 1, null, undefined])).toBe('[2,1,null,null]');
    expect(canonicalJson('é"\n')).toBe(JSON.stringify('é"\n'));
    expect(canonicalJson(Number.NaN)).toBe('null');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson(-0)).toBe('0');
  });

  it('survives a JSON round trip unchanged', () => {
    // Prepare
    const value = { z: [1.5, true, 'x'], a: { n: null, m: 1e21 } };
    // Act / Assess
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(
      canonicalJson(value),
    );
  });
});

describe('sha256Hex', () => {
  it('is the SHA-256 of the UTF-8 text', () => {
    // Prepare / Act / Assess
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
