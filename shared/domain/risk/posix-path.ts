/**
 * The small part of Python's `pathlib.PurePosixPath` that the risk graph
 * depends on: how a changed path splits into parts and what its parent
 * directory is called. The original names directory nodes with
 * `str(PurePosixPath(*parts[:-1]))`, so `src//a.py` and `./src/a.py` both
 * live in `src`, and a root file has no directory node.
 */

interface ParsedPosixPath {
  /** `''`, `'/'` or `'//'` (POSIX keeps exactly two leading slashes). */
  readonly root: string;
  /** The non-empty components, with `.` dropped (`..` is kept). */
  readonly tail: readonly string[];
}

/** An empty or `.` component, or a leading slash: needs the full parser. */
const IRREGULAR = /(^|\/)\.?(\/|$)/;

function parsePosixPath(path: string): ParsedPosixPath {
  let root = '';
  let rest = path;
  if (path.startsWith('/')) {
    const exactlyTwo = path.startsWith('//') && !path.startsWith('///');
    root = exactlyTwo ? '//' : '/';
    rest = path.slice(root.length);
  }
  const tail = rest.split('/').filter((part) => part !== '' && part !== '.');
  return { root, tail };
}

function formatPosixPath(root: string, tail: readonly string[]): string {
  if (root !== '') return root + tail.join('/');
  return tail.length === 0 ? '.' : tail.join('/');
}

/**
 * `str(PurePosixPath(path).parent)`: `'a.py'` gives `'.'`, `'/a.py'` gives
 * `'/'`, `'src/auth/x.py'` gives `'src/auth'`.
 */
export function posixParent(path: string): string {
  if (!IRREGULAR.test(path)) {
    const cut = path.lastIndexOf('/');
    return cut === -1 ? '.' : path.slice(0, cut);
  }
  const { root, tail } = parsePosixPath(path);
  return formatPosixPath(root, tail.slice(0, -1));
}

/**
 * The directory node a changed file is `contained_in`, or `undefined` for a
 * file whose path has a single part (a root file such as `a.py`).
 */
export function parentDirectory(path: string): string | undefined {
  if (!IRREGULAR.test(path)) {
    const cut = path.lastIndexOf('/');
    return cut === -1 ? undefined : path.slice(0, cut);
  }
  const { root, tail } = parsePosixPath(path);
  const partCount = tail.length + (root === '' ? 0 : 1);
  return partCount > 1 ? formatPosixPath(root, tail.slice(0, -1)) : undefined;
}
