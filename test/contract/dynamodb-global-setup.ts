import type { TestProject } from 'vitest/node';
import { dynamoDbLocalFromEnvOrStart } from '../support/dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Endpoint of DynamoDB Local for the contract tests (`inject`). */
    dynamodbEndpoint: string;
  }
}

/**
 * vitest globalSetup of the `contract` project: one DynamoDB Local for the
 * whole run (or DYNAMODB_ENDPOINT when set), handed to tests with `provide`,
 * stopped by pid on teardown.
 */
export default async function setup(
  project: TestProject,
): Promise<() => Promise<void>> {
  const local = await dynamoDbLocalFromEnvOrStart();
  project.provide('dynamodbEndpoint', local.endpoint);
  return () => local.stop();
}
