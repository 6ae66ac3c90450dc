import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  buildPack,
  hashOf,
  objectIdOf,
  treeBytes,
} from '../../../../shared/adapters/git/git-pack.js';

describe('objectIdOf', () => {
  it('names objects as git does (the empty tree, a small commit)', () => {
    expect(objectIdOf('tree', Buffer.alloc(0), 'sha1')).toBe(
      '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
    );
    expect(objectIdOf('tree', Buffer.alloc(0), 'sha256')).toBe(
      '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321',
    );
    expect(hashOf('a'.repeat(64))).toBe('sha256');
    expect(hashOf('a'.repeat(40))).toBe('sha1');
  });
});

describe('treeBytes', () => {
  it('orders entries as git does: a directory sorts as if its name ended in "/"', () => {
    // Prepare
    const sha = 'ab'.repeat(20);
    const entries = [
      { mode: '100644', name: 'a.b', sha },
      { mode: '40000', name: 'a', sha },
      { mode: '100644', name: 'a-b', sha },
      { mode: '100644', name: 'a0', sha },
    ];
    // Act
    const bytes = treeBytes(entries);
    // Assess: '-' (0x2d) < '.' (0x2e) < '/' (0x2f) < '0' (0x30)
    const names = bytes
      .toString('latin1')
      .split(/\0.{20}/s)
      .filter(Boolean)
      .map((part) => part.split(' ')[1]);
    expect(names).toEqual(['a-b', 'a.b', 'a', 'a0']);
    expect(bytes.subarray(0, 11).toString('latin1')).toBe('100644 a-b\0');
  });
});

describe('buildPack', () => {
  it('writes a version 2 pack: header, varint sizes, zlib data, checksum', () => {
    // Prepare
    const data = Buffer.alloc(300, 'x');
    // Act
    const pack = buildPack([{ kind: 'commit', data }], 'sha1', 0);
    // Assess
    expect(pack.subarray(0, 4).toString('latin1')).toBe('PACK');
    expect(pack.readUInt32BE(4)).toBe(2);
    expect(pack.readUInt32BE(8)).toBe(1);
    // type 1 (commit), size 300 = 0b1_0010_1100: low nibble 0xc, then 18
    expect([...pack.subarray(12, 14)]).toEqual([0x80 | 0x10 | 0x0c, 18]);
    const body = pack.subarray(0, pack.length - 20);
    expect(inflateSync(body.subarray(14))).toEqual(data);
    expect(pack.subarray(pack.length - 20)).toEqual(
      createHash('sha1').update(body).digest(),
    );
  });
});
