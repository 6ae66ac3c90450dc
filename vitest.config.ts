import { defineConfig } from 'vitest/config';

const env = {
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  POWERTOOLS_DEV: 'true',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'x',
};

const project = (name: string, extra: Record<string, unknown> = {}) => ({
  test: {
    name,
    include: [`test/${name}/**/*.test.ts`],
    env,
    testTimeout: 30_000,
    ...extra,
  },
});

export default defineConfig({
  test: {
    projects: [
      project('unit'),
      project('golden'),
      project('contract', {
        hookTimeout: 60_000,
        globalSetup: ['test/contract/dynamodb-global-setup.ts'],
      }),
      project('integration', { hookTimeout: 60_000 }),
      project('infra', { testTimeout: 120_000 }),
    ],
  },
});
