import * as z from 'zod';
import { EVENT_TYPES } from '../../domain/event.js';
import {
  INTENT_STATUSES,
  ORIGIN_TYPES,
  RISK_LEVELS,
} from '../../domain/intent.js';

/** Ids of intents, tenants and agents: printable, bounded. */
export const Id = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:/@#+-]+$/, 'only letters, digits and ._:/@#+-');

/** A git ref name as a user types it. */
export const RefName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^(?!-)[A-Za-z0-9._/@+-]+$/, 'not a valid ref name');

export const Status = z.enum(INTENT_STATUSES);
export const Level = z.enum(RISK_LEVELS);
export const Origin = z.enum(ORIGIN_TYPES);
export const EventTypeName = z.enum(EVENT_TYPES);

/** `?limit=&cursor=` of every list route. */
export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().min(1).max(2000).optional(),
};

/** Path of `/v1/intents/{id}`; API Gateway hands it URL-decoded. */
export const IntentPath = z.object({ id: Id }).strict();

/** Drops undefined keys so `exactOptionalPropertyTypes` holds. */
export function defined<T extends object>(
  value: T,
): {
  [K in keyof T]: Exclude<T[K], undefined>;
} {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as { [K in keyof T]: Exclude<T[K], undefined> };
}
