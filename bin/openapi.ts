/**
 * `npm run openapi`: writes docs/openapi.json from the same route tables the
 * local stack and the CDK stack use (test/unit/http/openapi-current.test.ts
 * fails when the committed file is stale).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import './local-env.js';
import { buildConvergeOpenApi } from '../functions/openapi.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const doc = buildConvergeOpenApi();
writeFileSync(
  join(root, 'docs', 'openapi.json'),
  `${JSON.stringify(doc, null, 2)}\n`,
);
console.log(`docs/openapi.json: ${Object.keys(doc.paths).length} paths`);
