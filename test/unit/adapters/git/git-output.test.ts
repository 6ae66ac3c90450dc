import { describe, expect, it } from 'vitest';
import {
  countCoChanges,
  parseLog,
  parseMergeTree,
  parsePathList,
} from '../../../../shared/adapters/git/git-output.js';

const RULE = { minCount: 2, top: 50, maxFilesPerCommit: 500 };

describe('parseMergeTree', () => {
  it('reads a clean merge with informational messages', () => {
    const out = 'tree1\0\0' + '1\0a.txt\0Auto-merging\0Auto-merging a.txt\n\0';
    expect(parseMergeTree(out, true)).toEqual({
      treeSha: 'tree1',
      clean: true,
      conflicts: [],
    });
  });

  it('takes conflicted paths from the conflicted-file section', () => {
    const out =
      'tree2\0b.txt\0a.txt\0\0' +
      '1\0a.txt\0CONFLICT (contents)\0CONFLICT (content): in a.txt\n\0' +
      '1\0b.txt\0CONFLICT (modify/delete)\0CONFLICT (modify/delete): b\n\0';
    expect(parseMergeTree(out, false).conflicts).toEqual(['a.txt', 'b.txt']);
  });

  it('adds the paths of a conflict message that left no unmerged entry', () => {
    const out =
      'tree3\0\0' +
      '2\0old/x\0new/x\0CONFLICT (directory rename split)\0Unclear\n\0';
    expect(parseMergeTree(out, false).conflicts).toEqual(['new/x', 'old/x']);
  });

  it('does not count a message twice when one of its paths is listed', () => {
    const out =
      'tree4\0lib/n.ts\0\0' +
      '2\0lib/n.ts\0src/n.ts\0CONFLICT (directory rename suggested)\0m\n\0';
    expect(parseMergeTree(out, false).conflicts).toEqual(['lib/n.ts']);
  });
});

describe('parsePathList', () => {
  it('sorts and de-duplicates NUL-separated paths, spaces included', () => {
    expect(parsePathList('b c.txt\0a.txt\0b c.txt\0')).toEqual([
      'a.txt',
      'b c.txt',
    ]);
  });
});

describe('parseLog', () => {
  it('reads commits with and without files', () => {
    const out = '\x1eaaa\x1fAda\0\x1ebbb\x1fBob Lee\0\nx.ts\0dir/y.ts\0';
    expect(parseLog(out)).toEqual([
      { sha: 'aaa', author: 'Ada', files: [] },
      { sha: 'bbb', author: 'Bob Lee', files: ['x.ts', 'dir/y.ts'] },
    ]);
  });
});

describe('countCoChanges', () => {
  it('orders by count descending, then a, then b, and keeps the top n', () => {
    const commits = [
      { files: ['b', 'c'] },
      { files: ['c', 'b'] },
      { files: ['a', 'd', 'c'] },
      { files: ['a', 'd', 'c'] },
      { files: ['a', 'd'] },
    ];
    expect(countCoChanges(commits, RULE)).toEqual([
      { a: 'a', b: 'd', count: 3 },
      { a: 'a', b: 'c', count: 2 },
      { a: 'b', b: 'c', count: 2 },
      { a: 'c', b: 'd', count: 2 },
    ]);
    expect(countCoChanges(commits, { ...RULE, top: 1 })).toHaveLength(1);
  });

  it('leaves out commits above the file limit', () => {
    const commits = [{ files: ['a', 'b', 'c'] }, { files: ['a', 'b', 'c'] }];
    expect(countCoChanges(commits, { ...RULE, maxFilesPerCommit: 2 })).toEqual(
      [],
    );
  });
});
