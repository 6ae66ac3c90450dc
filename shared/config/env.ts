import * as z from 'zod';

const bool = z
  .enum(['0', '1', 'true', 'false'])
  .transform((v) => v === '1' || v === 'true');

const DB_BACKENDS = ['sqlite', 'dynamodb'] as const;
const BUSES = ['memory', 'sqs'] as const;

/**
 * The environment, parsed once with zod (HOUSE_STYLE §7.5). Everything has
 * a default that runs the embedded local stack.
 */
export const EnvSchema = z.object({
  /** Resolved from CONVERGE_DB_BACKEND (documented) or STORE_DRIVER (alias). */
  STORE_DRIVER: z.enum(DB_BACKENDS).default('sqlite'),
  /** CONVERGE_BUS; default sqs when QUEUE_URL is set, else memory. */
  CONVERGE_BUS: z.enum(BUSES).default('memory'),
  CONVERGE_DB_PATH: z.string().min(1).default('.converge/converge.db'),
  TABLE_NAME: z.string().min(1).optional(),
  DYNAMODB_ENDPOINT: z.url().optional(),
  CONVERGE_REPO_DIR: z.string().min(1).default('.'),
  CONVERGE_POLICY_FILE: z.string().min(1).optional(),
  CONVERGE_MAX_RETRIES: z.coerce.number().int().min(1).max(100).optional(),
  CONVERGE_QUEUE_LOCK_TTL: z.coerce
    .number()
    .int()
    .min(5)
    .max(3600)
    .default(300),
  CONVERGE_AUTO_MERGE: bool.default(true),
  CONVERGE_SKIP_CHECKS: bool.default(false),
  CONVERGE_RATE_LIMIT_RPM: z.coerce.number().int().min(1).default(120),
  CONVERGE_WORKER_INTERVAL_MS: z.coerce.number().int().min(50).default(2000),
  /**
   * HTTP processes of the local stack on a SQLite file (node:cluster, one
   * port); 1 serves HTTP from the main process.
   */
  CONVERGE_HTTP_PROCESSES: z.coerce.number().int().min(1).max(16).default(1),
  /** Events older than this many days are pruned by the retention task. */
  CONVERGE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  CONVERGE_GITHUB_WEBHOOK_SECRET_FILE: z.string().min(1).optional(),
  CONVERGE_BOOTSTRAP_KEY: z.string().min(16).optional(),
  QUEUE_URL: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
});
export type Env = z.infer<typeof EnvSchema>;

/**
 * Parses `source` (default: process.env).
 * @throws Error with every invalid variable named.
 */
export function parseEnv(
  source: Record<string, string | undefined> = process.env,
): Env {
  const { values, errors } = resolveAliases(source);
  const result = EnvSchema.safeParse(values);
  const lines = [
    ...errors,
    ...(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ??
      []),
  ];
  if (lines.length > 0 || !result.success) {
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}

const given = (value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : value;

/**
 * `value` when it is unset or allowed; otherwise records
 * `name: "value" is not one of a|b` and yields undefined (so zod does not
 * report it a second time under another name).
 */
function choice(
  name: string,
  value: string | undefined,
  allowed: readonly string[],
  errors: string[],
): string | undefined {
  if (value === undefined || allowed.includes(value)) return value;
  errors.push(
    `${name}: ${JSON.stringify(value)} is not one of ${allowed.join('|')}`,
  );
  return undefined;
}

/**
 * Maps the documented names onto the schema's: CONVERGE_DB_BACKEND wins
 * over STORE_DRIVER, CONVERGE_DYNAMODB_ENDPOINT stands in for
 * DYNAMODB_ENDPOINT, and CONVERGE_BUS defaults from QUEUE_URL. Unknown
 * choices are reported under the variable that was actually set.
 */
function resolveAliases(source: Record<string, string | undefined>): {
  values: Record<string, string | undefined>;
  errors: string[];
} {
  const backendName =
    given(source.CONVERGE_DB_BACKEND) === undefined
      ? 'STORE_DRIVER'
      : 'CONVERGE_DB_BACKEND';
  const backend = given(source[backendName]);
  const queueUrl = given(source.QUEUE_URL);
  const bus = given(source.CONVERGE_BUS) ?? (queueUrl ? 'sqs' : 'memory');
  const errors: string[] = [];
  const values = {
    ...source,
    STORE_DRIVER: choice(backendName, backend, DB_BACKENDS, errors),
    CONVERGE_BUS: choice('CONVERGE_BUS', bus, BUSES, errors),
    DYNAMODB_ENDPOINT:
      given(source.DYNAMODB_ENDPOINT) ??
      given(source.CONVERGE_DYNAMODB_ENDPOINT),
  };
  if (bus === 'sqs' && queueUrl === undefined) {
    errors.push('CONVERGE_BUS: "sqs" requires QUEUE_URL');
  }
  return { values, errors };
}
