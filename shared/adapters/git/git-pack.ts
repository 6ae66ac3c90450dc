/**
 * Git object encoding for merge trains: object ids, tree bytes and a
 * version-2 pack of whole (undeltified) objects, as documented in git's
 * `gitformat-pack` and `gitformat-index`. A train names its trees and
 * commits itself and hands git all of them in one `unpack-objects`.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { TreeEntry } from './git-objects.js';
import { TREE_MODE } from './git-objects.js';

/** The object kinds a train writes. */
export type ObjectKind = 'tree' | 'commit';

/** An encoded object: its kind and content (without the header). */
export interface EncodedObject {
  kind: ObjectKind;
  data: Buffer;
}

/** The hash of the repository: sha1 (40 hex) or sha256 (64 hex). */
export function hashOf(sampleId: string): 'sha1' | 'sha256' {
  return sampleId.length === 64 ? 'sha256' : 'sha1';
}

/**
 * The object id git gives `data` of `kind`: hash of `<kind> <size>\0data`.
 *
 * @example
 * ```ts
 * objectIdOf('tree', Buffer.alloc(0), 'sha1'); // '4b825dc6...'
 * ```
 */
export function objectIdOf(
  kind: ObjectKind,
  data: Buffer,
  hash: 'sha1' | 'sha256',
): string {
  return createHash(hash)
    .update(`${kind} ${data.length}\0`)
    .update(data)
    .digest('hex');
}

/** Per entry: its sort key and its encoded bytes (entries are shared). */
const ENCODED = new WeakMap<TreeEntry, { key: string; bytes: Buffer }>();

function encoded(entry: TreeEntry): { key: string; bytes: Buffer } {
  let found = ENCODED.get(entry);
  if (!found) {
    // Git's tree order: by name bytes, a directory as if it ended in `/`.
    const key = `${entry.name}${entry.mode === TREE_MODE ? '/' : '\0'}`;
    const head = Buffer.from(`${entry.mode} ${entry.name}\0`, 'latin1');
    const bytes = Buffer.concat([head, Buffer.from(entry.sha, 'hex')]);
    found = { key, bytes };
    ENCODED.set(entry, found);
  }
  return found;
}

function byKey(a: TreeEntry, b: TreeEntry): number {
  const [x, y] = [encoded(a).key, encoded(b).key];
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The bytes of a tree object: entries in git's order, each
 * `<mode> <name>\0<raw id>`; names are latin1 text holding raw bytes.
 * Sorts `entries` in place (nearly sorted lists sort in linear time).
 */
export function treeBytes(entries: TreeEntry[]): Buffer {
  entries.sort(byKey);
  return Buffer.concat(entries.map((entry) => encoded(entry).bytes));
}

const PACK_TYPE: Record<ObjectKind, number> = { commit: 1, tree: 2 };

/** The pack entry header: type and size as git's varint. */
function entryHeader(kind: ObjectKind, size: number): Buffer {
  const bytes: number[] = [];
  let rest = Math.floor(size / 16);
  let byte = (PACK_TYPE[kind] << 4) | (size & 0x0f);
  while (rest > 0) {
    bytes.push(byte | 0x80);
    byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
  }
  bytes.push(byte);
  return Buffer.from(bytes);
}

/**
 * A version-2 pack of whole objects with its trailing checksum; `level` is
 * the zlib level (0 stores: `unpack-objects` recompresses anyway).
 *
 * @example
 * ```ts
 * const pack = buildPack([{ kind: 'tree', data: Buffer.alloc(0) }], 'sha1');
 * ```
 */
export function buildPack(
  objects: readonly EncodedObject[],
  hash: 'sha1' | 'sha256',
  level = 1,
): Buffer {
  const header = Buffer.alloc(12);
  header.write('PACK', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(objects.length, 8);
  const parts: Buffer[] = [header];
  for (const object of objects) {
    parts.push(entryHeader(object.kind, object.data.length));
    parts.push(deflateSync(object.data, { level }));
  }
  const body = Buffer.concat(parts);
  const trailer = createHash(hash).update(body).digest();
  return Buffer.concat([body, trailer]);
}
