/**
 * `npm run openapi`: writes docs/openapi.json from the same route tables the
 * local stack and the CDK stack use.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import './local-env.js';
import { buildOpenApi } from '../shared/http/openapi.js';
import { LOCAL_FUNCTIONS } from '../shared/runtime/local-functions.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const doc = buildOpenApi(
  LOCAL_FUNCTIONS.map((f) => f.routes),
  { title: 'Converge API', version: '1.0.0' },
  [{ url: 'http://127.0.0.1:8080' }],
);
writeFileSync(
  join(root, 'docs', 'openapi.json'),
  `${JSON.stringify(doc, null, 2)}\n`,
);
console.log(`docs/openapi.json: ${Object.keys(doc.paths).length} paths`);
