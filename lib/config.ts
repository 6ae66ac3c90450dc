import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';

/** The environments a Converge stack is deployed to. */
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
/** One of `ENVIRONMENTS`. */
export type EnvName = (typeof ENVIRONMENTS)[number];

/** Powertools service name of every function (the metric `service` dimension). */
export const SERVICE_NAME = 'converge';
/** CloudWatch namespace of the Powertools (EMF) metrics. */
export const METRIC_NAMESPACE = 'Converge';

const RETENTION_DAYS = new Set<number>(
  Object.values(RetentionDays).filter((v) => typeof v === 'number'),
);

const Tier = z
  .object({
    rateLimit: z.number().positive(),
    burstLimit: z.number().int().positive(),
    quotaPerDay: z.number().int().positive(),
  })
  .strict();

const EnvConfigSchema = z
  .object({
    prefix: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/),
    retain: z.boolean(),
    logRetentionDays: z
      .number()
      .int()
      .refine((d) => RETENTION_DAYS.has(d), 'not a CloudWatch retention'),
    lambda: z
      .object({
        memoryMb: z.number().int().min(128).max(10240),
        timeoutSeconds: z.number().int().min(1).max(29),
        processorTimeoutSeconds: z.number().int().min(1).max(900),
      })
      .strict(),
    queue: z.object({ maxReceiveCount: z.number().int().min(1) }).strict(),
    api: z
      .object({
        rateLimit: z.number().positive(),
        burstLimit: z.number().int().positive(),
        cloudWatchRole: z.boolean(),
        authorizerCacheSeconds: z.number().int().min(0).max(3600),
        tiers: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), Tier),
      })
      .strict(),
    alarms: z
      .object({
        serverErrorRatePercent: z.number().positive(),
        p99LatencyMs: z.number().positive(),
        oldestMessageSeconds: z.number().int().positive(),
        processorErrors: z.number().int().min(1),
        evaluationPeriods: z.number().int().min(1),
      })
      .strict(),
    notifications: z
      .object({
        emails: z.array(z.email()),
        httpsEndpoints: z.array(z.url({ protocol: /^https$/ })),
      })
      .strict()
      .refine(
        (n) => n.emails.length + n.httpsEndpoints.length >= 2,
        'at least two alarm subscriptions (no single point of failure)',
      ),
    github: z.object({ appId: z.string().min(1) }).strict(),
  })
  .strict();

/** The validated per-environment settings (cdk.json `context.converge.<env>`). */
export type EnvSettings = z.infer<typeof EnvConfigSchema>;

/** Everything a `ConvergeStack` is configured with. */
export interface StackConfig extends EnvSettings {
  envName: EnvName;
  /** RETAIN in prod (with deletion protection), DESTROY elsewhere. */
  removalPolicy: RemovalPolicy;
  logRetention: RetentionDays;
}

/** Reads a context value; what `App#node.tryGetContext` does. */
export type ContextReader = (key: string) => unknown;

function envNameOf(raw: unknown): EnvName {
  const name = raw ?? 'dev';
  const known = ENVIRONMENTS.find((e) => e === name);
  if (!known) {
    throw new Error(
      `Unknown env '${String(name)}': use -c env=${ENVIRONMENTS.join('|')}`,
    );
  }
  return known;
}

/**
 * Validates one environment's settings and derives the CDK values.
 * @throws Error naming every invalid setting
 */
export function toStackConfig(envName: EnvName, raw: unknown): StackConfig {
  const parsed = EnvConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  converge.${envName}.${i.path.join('.')}: ${i.message}`,
    );
    throw new Error(`Invalid cdk.json context:\n${lines.join('\n')}`);
  }
  const settings = parsed.data;
  return {
    ...settings,
    envName,
    removalPolicy: settings.retain
      ? RemovalPolicy.RETAIN
      : RemovalPolicy.DESTROY,
    // RETENTION_DAYS holds exactly the enum's values, checked above.
    logRetention: settings.logRetentionDays as RetentionDays,
  };
}

/**
 * The configuration of the environment chosen with `-c env=dev|staging|prod`
 * (default dev), from the `converge` context object of cdk.json.
 * @throws Error on an unknown environment or invalid settings
 * @example
 * const config = loadStackConfig((key) => app.node.tryGetContext(key));
 */
export function loadStackConfig(context: ContextReader): StackConfig {
  const envName = envNameOf(context('env'));
  const all = context('converge');
  const raw =
    typeof all === 'object' && all !== null
      ? (all as Record<string, unknown>)[envName]
      : undefined;
  if (raw === undefined) {
    throw new Error(`cdk.json has no context.converge.${envName}`);
  }
  return toStackConfig(envName, raw);
}
