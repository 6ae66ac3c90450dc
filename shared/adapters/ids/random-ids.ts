import { randomBytes } from 'node:crypto';
import type { IdSource } from '../../domain/event.js';

/** Cryptographically random hex ids. */
export const randomIds: IdSource = {
  hex: (n: number) =>
    randomBytes(Math.ceil(n / 2))
      .toString('hex')
      .slice(0, n),
};
