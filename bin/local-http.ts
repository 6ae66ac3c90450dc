/**
 * The local stack's HTTP side: every route from the same Lambda handlers on
 * 127.0.0.1, with the authorizer's code path and the web console.
 */
import { fileURLToPath } from 'node:url';
import { authorizeRequest } from '../functions/authorizer.js';
import {
  type LocalServer,
  startLocalServer,
} from '../shared/http/local-server.js';
import type { Deps } from '../shared/runtime/deps.js';
import { LOCAL_FUNCTIONS } from '../shared/runtime/local-functions.js';

/** What the cluster primary tells an HTTP process. */
export type HttpCommand = 'stop';

/** Serves every route of `deps` on 127.0.0.1:`port`. */
export function serveHttp(deps: Deps, port: number): Promise<LocalServer> {
  return startLocalServer({
    port,
    host: '127.0.0.1',
    routes: LOCAL_FUNCTIONS,
    authorize: (headers, site) => authorizeRequest(deps, headers, site),
    staticDir: fileURLToPath(new URL('../web/', import.meta.url)),
  });
}
