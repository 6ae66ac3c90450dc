import { describe, expect, it } from 'vitest';
import {
  parentDirectory,
  posixParent,
} from '../../../../shared/domain/risk/posix-path.js';

describe('posixParent', () => {
  it.each([
    ['a.py', '.'],
    ['src/auth/x.py', 'src/auth'],
    ['src//auth/./x.py', 'src/auth'],
    ['./a.py', '.'],
    ['/a.py', '/'],
    ['//a/b.py', '//a'],
    ['///a/b.py', '/a'],
    ['src/', '.'],
    ['', '.'],
    ['/', '/'],
  ])('gives PurePosixPath(%j).parent = %j', (path, expected) => {
    // Assess
    expect(posixParent(path)).toBe(expected);
  });
});

describe('parentDirectory', () => {
  it.each([
    ['a.py', undefined],
    ['./a.py', undefined],
    ['src/a.py', 'src'],
    ['src//a.py', 'src'],
    ['/a.py', '/'],
    ['a/../b.py', 'a/..'],
    ['', undefined],
  ])('gives %j the directory node %j', (path, expected) => {
    // Assess
    expect(parentDirectory(path)).toBe(expected);
  });
});
