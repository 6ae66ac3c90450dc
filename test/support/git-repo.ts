import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throwaway git repository for tests, on branch main. */
export class TestRepo {
  readonly dir: string;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'converge-repo-'));
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'test@converge.local');
    this.git('config', 'user.name', 'Converge Test');
    this.git('config', 'commit.gpgsign', 'false');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
    }).trim();
  }

  /** Writes files and commits them on the current branch. */
  commit(files: Record<string, string>, message = 'change'): string {
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  /** Creates `branch` from `from` and commits `files` on it; back to main. */
  branch(branch: string, files: Record<string, string>, from = 'main'): string {
    this.git('checkout', '-q', '-b', branch, from);
    const sha = this.commit(files, `work on ${branch}`);
    this.git('checkout', '-q', 'main');
    return sha;
  }

  sha(ref: string): string {
    return this.git('rev-parse', ref);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
