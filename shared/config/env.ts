import { z } from 'zod';

const bool = z
  .enum(['0', '1', 'true', 'false'])
  .transform((v) => v === '1' || v === 'true');

/**
 * The environment, parsed once with zod (HOUSE_STYLE §7.5). Everything has
 * a default that runs the embedded local stack.
 */
export const EnvSchema = z.object({
  STORE_DRIVER: z.enum(['sqlite', 'dynamodb']).default('sqlite'),
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
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map(
      (i) => `${i.path.join('.')}: ${i.message}`,
    );
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}
