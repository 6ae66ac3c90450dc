import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  FUNCTION_ACCESS,
  type FunctionName,
} from '../../../lib/function-catalog.js';

/**
 * Each Lambda entry file names the cloud ports it uses (`useCloudPorts`);
 * the first invocation composes its deps from the environment the stack
 * gives that function (lib/constructs/functions.ts). A function whose
 * environment asks for a port its entry file did not name fails at its
 * first request in AWS: this proves every function composes, offline
 * (building clients makes no call).
 */
function environmentOf(name: FunctionName): Record<string, string> {
  const access = FUNCTION_ACCESS[name];
  const env: Record<string, string> = {
    AWS_LAMBDA_FUNCTION_NAME: `converge-dev-${name}`,
    AWS_REGION: 'eu-west-1',
    TABLE_NAME: 'converge-dev',
  };
  if (access.sendsToQueue || access.consumesQueue) {
    env.QUEUE_URL = 'http://127.0.0.1:9/000000000000/converge-dev.fifo';
  }
  if (access.secrets.includes('appPrivateKey')) {
    env.GITHUB_APP_ID = '12345';
    env.GITHUB_APP_PRIVATE_KEY_SECRET_ARN =
      'arn:aws:secretsmanager:eu-west-1:000000000000:secret:app-key';
  }
  if (access.secrets.includes('webhookSecret')) {
    env.GITHUB_WEBHOOK_SECRET_ARN =
      'arn:aws:secretsmanager:eu-west-1:000000000000:secret:hook';
  }
  return env;
}

describe('cloud composition per Lambda function', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it.each(Object.keys(FUNCTION_ACCESS) as FunctionName[])(
    '%s composes its deps from the environment the stack gives it',
    async (name) => {
      // Prepare: a fresh module graph, as in a cold Lambda
      vi.resetModules();
      for (const [key, value] of Object.entries(environmentOf(name))) {
        vi.stubEnv(key, value);
      }
      await import(`../../../functions/${name}.ts`);
      const { getDeps } = await import('../../../shared/runtime/deps.js');

      // Act
      const deps = await getDeps();

      // Assess
      const access = FUNCTION_ACCESS[name];
      expect(deps.env.STORE_DRIVER).toBe('dynamodb');
      expect(deps.bus !== undefined).toBe(
        access.sendsToQueue || access.consumesQueue,
      );
      expect(deps.publisher !== undefined).toBe(
        access.secrets.includes('appPrivateKey'),
      );
    },
  );
});
