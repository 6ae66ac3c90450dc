import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitScm } from '../../../shared/adapters/git/git-scm.js';
import { TestRepo } from '../../support/git-repo.js';

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

type Files = Map<string, { content: string; mode: string }>;

const DIRS = ['', 'a/', 'a/x/', 'b/', 'c/'];
const NAMES = ['f1', 'f2', 'f3', 'f4'];
const LINES = 'one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\n';

function pick<T>(next: () => number, list: readonly T[]): T {
  const item = list[Math.floor(next() * list.length)];
  if (item === undefined) throw new Error('empty list');
  return item;
}

function moveDirectory(files: Files, from: string, to: string): void {
  for (const [path, file] of [...files]) {
    if (!path.startsWith(from)) continue;
    files.delete(path);
    files.set(`${to}${path.slice(from.length)}`, file);
  }
}

/** One random change: edit, add, delete, rename, move a directory, chmod. */
function change(files: Files, next: () => number, side: string): void {
  const paths = [...files.keys()];
  const roll = next();
  const path = pick(next, paths.length > 0 ? paths : ['f1']);
  const file = files.get(path);
  if (roll < 0.3 && file) {
    files.set(path, { ...file, content: file.content.replace('four', side) });
  } else if (roll < 0.5) {
    const added = `${pick(next, DIRS)}${pick(next, NAMES)}-${side}`;
    files.set(added, { content: `${LINES}${added}\n`, mode: '100644' });
  } else if (roll < 0.6 && file) {
    files.delete(path);
  } else if (roll < 0.75 && file) {
    files.delete(path);
    files.set(`${pick(next, DIRS)}moved-${side}`, file);
  } else if (roll < 0.85) {
    moveDirectory(files, pick(next, DIRS.slice(1)), `${side}-dir/`);
  } else if (file) {
    files.set(path, {
      ...file,
      mode: file.mode === '100644' ? '100755' : '100644',
    });
  }
}

function commitLines(
  ref: string,
  files: Files,
  from: string | null,
  mark: number,
): string[] {
  const lines = [
    `commit ${ref}`,
    `mark :${mark}`,
    `committer t <t@t> ${1_700_000_000 + mark} +0000`,
    'data 1',
    'c',
  ];
  if (from) lines.push(`from ${from}`);
  lines.push('deleteall');
  for (const [path, f] of files) {
    lines.push(
      `M ${f.mode} inline ${path}`,
      `data ${f.content.length}`,
      f.content,
    );
  }
  lines.push('');
  return lines;
}

describe('merge train simulations on random merges', () => {
  let repo: TestRepo;
  let scm: GitScm;
  const cases = 40;

  beforeAll(() => {
    repo = new TestRepo();
    const next = random(424_242);
    const lines: string[] = [];
    for (let k = 0; k < cases; k += 1) {
      const base: Files = new Map();
      for (const dir of DIRS) {
        for (const name of NAMES.slice(0, 2 + Math.floor(next() * 3))) {
          base.set(`${dir}${name}`, {
            content: `${LINES}${dir}${name}\n`,
            mode: '100644',
          });
        }
      }
      const [ours, theirs] = [new Map(base), new Map(base)];
      for (let i = 0; i < 1 + Math.floor(next() * 3); i += 1)
        change(ours, next, 'main');
      for (let i = 0; i < 1 + Math.floor(next() * 3); i += 1)
        change(theirs, next, 'feature');
      lines.push(...commitLines(`refs/heads/main-${k}`, base, null, 3 * k + 1));
      lines.push(
        ...commitLines(
          `refs/heads/main-${k}`,
          ours,
          `:${3 * k + 1}`,
          3 * k + 2,
        ),
      );
      lines.push(
        ...commitLines(
          `refs/heads/feature-${k}`,
          theirs,
          `:${3 * k + 1}`,
          3 * k + 3,
        ),
      );
    }
    execFileSync('git', ['fast-import', '--quiet'], {
      cwd: repo.dir,
      input: `${lines.join('\n')}\n`,
    });
    scm = new GitScm({ repoDir: repo.dir });
  });
  afterAll(() => {
    repo.remove();
  });

  it('reports what simulateMerge reports, merge after merge', async () => {
    for (let k = 0; k < cases; k += 1) {
      // Prepare
      const expected = await scm.simulateMerge(`feature-${k}`, `main-${k}`);
      const train = await scm.openTrain(`main-${k}`);
      try {
        // Act
        const simulation = await train.simulate(`feature-${k}`);
        // Assess
        expect({ k, ...simulation }).toEqual({ k, ...expected });
      } finally {
        await train.close();
      }
    }
  });
});
