/**
 * The prose of docs/readiness.md that numbers cannot say: why a KPI is
 * missed (from profiles taken while building the suite; shown only while
 * that KPI fails), residual risks, and what HA and multi-region add.
 */

import { at, type Json, num, r } from './readiness-kpis.js';

function riskWhy(data: Json): string {
  const list = at(data, 'scenarios');
  const s = Array.isArray(list) ? list[0] : undefined;
  const load = num(data, 'loadAverage1m');
  const cpuFits = num(s, 'cpuP95Ms') <= 5;
  const verdict = cpuFits
    ? 'the evaluation itself fits the 5 ms budget; the tail is\ntime spent runnable but not scheduled while other processes held both cores'
    : 'the evaluation itself is over budget: profile it';
  return `Wall-clock p95 ${r(num(s, 'p95Ms'), 2)} ms against a CPU-time p95 of
${r(num(s, 'cpuP95Ms'), 2)} ms (\`process.cpuUsage\` per run) at a 1-minute load average
of ${r(load)} on 2 cores: ${verdict}
(p50 ${r(num(s, 'p50Ms'), 2)} ms). **Fix:** nothing in the code; rerun
\`npx tsx load/risk-bench.ts\` on a quiet host (or pin it with \`taskset\`) to sign
this KPI off; if the wall p95 still exceeds 5 ms there, profile the graph
build (${String(at(s, 'graph.edges'))} edges for 200 files).`;
}

/** Cause and fix per KPI id (text, or text from the result), printed when that KPI fails. */
export const WHY_MISSED: Record<string, string | ((data: Json) => string)> = {
  'risk-200': riskWhy,
  'http-read': `Capacity (closed loop) or the p99 at 2,000 req/s offered missed. The stack
serves this route from two HTTP processes (\`CONVERGE_HTTP_PROCESSES=2\`, node:cluster) at
~0.45 ms of CPU per read across its processes (\`httpCpuMsPerRequest\`); on two shared
cores the load generator and other jobs take the rest. A miss with a load average above
2 in the result file is the machine first: rerun \`npx tsx load/http-bench.ts\` on a
quiet host. Then profile the HTTP processes under load
(\`BENCH_STACK_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"\`): the last profile put the
store reads, the response write and the middy/Powertools chain at about a third each.`,
  'webhook-ingest': `Capacity, the p99 at 800 req/s offered, or errors missed. A delivery costs
~1 ms of CPU across the stack's processes (\`httpCpuMsPerRequest\`: HMAC, JSON parse,
three SQLite writes of which the bus message carries the 21 KB body, and the worker
process draining it), so 800 req/s keeps both cores about half busy. Errors here have
been client timeouts of the closed loop (200 connections at saturation queue up for
seconds) and keep-alive races; look at \`runs[].statusCodes\` and \`runs[].paced\`. Profile
as for the HTTP read (\`BENCH_STACK_NODE_ARGS\`); the three SQLite writes in one
transaction are the next saving.`,
  'queue-drain': (
    d,
  ) => `${r(num(d, 'perIntentMs'))} ms per intent, ${r(num(d, 'scmShare') * 100, 0)} % of it in git.
The drain runs in merge trains (\`shared/domain/engine/queue-train.ts\`,
\`shared/adapters/git/git-train.ts\`): each intent is simulated on top of the previous
merge, merges that are provably what \`git merge-tree\` would give run in process, the
commits go to git as one pack per train and the branch moves with one compare-and-swap
per train (a refused swap falls back to one-by-one). What is left is mostly node CPU in
the store and provenance per intent (\`cpuMsPerIntent\` in the result file); a miss
here on a loaded box is noise first: rerun \`npx tsx load/queue-drain-bench.ts\`.`,
  bundle: `Module init is what a cold start pays before the first request. Each function
names the cloud ports it uses (\`useCloudPorts\` in its entry file) and builds them on the
first invocation: the DynamoDB, SQS and Secrets Manager clients and Octokit are imported
on first use (esbuild hoists a static import of an external package to the top of the
bundle even when only a lazy \`import()\` reaches it, so the adapters import the SDK
dynamically), zod is imported without its locales and the logger's correlation id needs
no JMESPath engine. A bundle over budget at init on this box is first the machine's load
(the result file records it and the CPU time of init): rerun
\`npx tsx load/bundle-bench.ts\` on a quiet host; then look at
\`initExternals\` in the result file for a package loaded at init again.`,
  'chaos-dynamodb': `Retries absorb throttling and, at the store, every call beyond the budget
fails as \`TransientError\`; through HTTP, handlers map it to 503 with
\`Retry-After\`. A non-503 5xx here has so far always come from the authorizer:
when the API-key lookup is throttled past the budget, \`authorizeRequest\` throws
\`TransientError\`; the local server used to answer 502 (fixed in
\`shared/http/local-server.ts\`, commit 5128031, after this suite found it). Look at
the \`exhausted\` and \`random share\` status counts: a 502 means an error escaped a
handler or the authorizer unmapped.`,
};

/** How the two HTTP KPIs (a rate and a p99 together) are measured. */
export const HTTP_METHOD_TEXT = `The HTTP read and webhook ingest targets pair a rate with a p99 at a connection
count. They are measured as two things on the same stack: **capacity**, autocannon's
closed loop (every connection sends its next request when the last is answered) for
the rate; and **latency at the target rate**, that rate offered open-loop over the same
connections (\`load/paced-load.ts\`: requests leave on a fixed schedule and each latency is
timed from its scheduled send, so a stall shows in the tail instead of slowing the
load, the coordinated-omission correction of wrk2 and HdrHistogram) for the p99. The
closed loop's own p99 is in the spread column but is not the target: at saturation its
mean latency is connections / throughput (Little's law), a property of the load
generator's setting rather than of the service, and autocannon's \`overallRate\` only
caps requests per connection per second, so it still sends them in saturating bursts.
Both HTTP benches run the local stack with two HTTP processes
(\`CONVERGE_HTTP_PROCESSES=2\`; \`BENCH_HTTP_PROCESSES\` changes it).`;

/** Residual risks that hold whatever the numbers say. */
export const RESIDUAL_RISKS = [
  '**Merge-train crash window.** A train moves the branch with one compare-and-swap and then records MERGED for its intents (all rows first, to keep the window short). A crash between the two leaves up to 100 intents QUEUED whose changes are already on the target; the next pass revalidates them, finds each tested commit already in the target (it is the merge base) and marks it MERGED without a new commit (`alreadyInTarget`, shared/domain/engine/queue-merge.ts). Until that pass they show QUEUED. Trains run on the local git adapter only; the GitHub path merges one by one.',
  '**Queue lock lease.** `processQueue` renews the branch lock during a pass (a third of `CONVERGE_QUEUE_LOCK_TTL` at a time) and stops taking intents once another worker took an expired lease. A single step longer than the TTL (a merge or checks run stalled past it) can still let a second worker in for that step; the compare-and-swap merge keeps the target branch safe, but the validation and events of that step can be duplicated. Keep the TTL above the longest single step; alarm on pass duration.',
  '**Several processes on one SQLite file locally.** The worker process (and, with `CONVERGE_HTTP_PROCESSES` > 1, several HTTP processes) take work off one event loop, but all write to one file: a busy writer makes the others retry (they yield instead of stalling). Each HTTP process keeps its own rate-limit window counter (up to N x the limit between them) and its own 2 s API-key cache (a revocation reaches the other processes within 2 s). Under a sustained write flood the short reads of the other processes keep SQLite from restarting the WAL by itself (it reached 2.5 GB in a 30 s webhook flood); the worker process now restarts it whenever its checkpoint catches up past 64 MiB, and past 1 GiB regardless, keeping 64 MiB of file (largest WAL per ingest run in Scenario details). Single-node deployments beyond this load need the DynamoDB store.',
  '**Local bus durability is the SQLite file.** A delivery answered 202 is in the durable bus table before the answer (kill -9 safe, chaos-kill); a lost disk loses it, as it loses the store. In AWS SQS holds it. With an in-memory store (tests) the bus is in memory too.',
  '**Authorizer failures in AWS (fixed, keep watching).** A REQUEST authorizer that throws (API-key lookup throttled past its retries) makes API Gateway answer AUTHORIZER_FAILURE; `lib/constructs/api.ts` maps it to 503 with `Retry-After: 1` in our error shape (infra test), and the 300 s authorizer cache keeps most requests off that lookup. What remains is the client side: callers must retry a 503.',
  '**GitHub does not redeliver failed webhooks by itself.** A 503 keeps nothing claimed, but someone must redeliver: add a scheduled reconciler that lists failed deliveries of the App hook and redelivers them.',
  "**Audit write amplification.** Every refused request writes `access.denied` and every admitted non-GET writes `access.granted` before input validation (the fuzz run wrote thousands of them, see Scenario details). An unauthenticated flood turns into store writes at the attacker's rate: rate-limit by source before auditing, aggregate denials, and put AWS WAF in front of API Gateway.",
  '**SQLite is one writer.** Every request writes (rate-limit counter, audit, events); the local store tops out at one writer. DynamoDB is the scale path; throttling beyond its 3 retries surfaces as 503 at roughly share^4 per DynamoDB call (chaos-dynamodb), so sustained throttling needs capacity, not retries.',
  '**Measurements on a shared, loaded 2-core machine** with other builds and test suites running (load averages in the verdict). Throughput and tail latency here are lower bounds; rerun on a dedicated host before sign-off.',
];

/** What an HA and a multi-region deployment add to the current single-region stack. */
export const HA_TEXT = `**Today (one region).** API Gateway + Lambda are stateless and scale out; DynamoDB,
SQS FIFO and Secrets Manager are multi-AZ managed services; the table has PITR. The
failure domains we tested map onto that: a crashed queue pass costs at most the lock
TTL (chaos-lock), a GitHub outage is absorbed by the outbox (chaos-github), DynamoDB
throttling by bounded retries and 503s (chaos-dynamodb), duplicate webhooks by the
delivery claim (webhook-burst).

**HA inside the region adds:** provisioned concurrency on the webhook and authorizer
functions (cold starts are the first tail-latency cost); reserved concurrency on the
queue processor so a burst cannot starve DynamoDB capacity; lease renewal on the queue
lock so the TTL can be short (failover time = TTL) without double passes; a DLQ
redrive runbook and an alarm on DLQ depth; the outbox publisher on a schedule with the
same backoff as in chaos-github (done: the queue processor publishes right after each
decision and the one-minute tick retries); on-demand capacity or auto scaling plus an alarm on
\`ThrottledRequests\`; the 503 gateway response with \`Retry-After\` for authorizer
failures (AUTHORIZER_FAILURE, done), so a throttled key lookup is retried by clients.

**Multi-region adds:** DynamoDB global tables replicate asynchronously (RPO of about a
second) with last-writer-wins, and conditional writes are evaluated per region, so the
queue lock, delivery claims and intent versions would race across regions. Either home
each tenant (or repository) in one region and route its writes there, or use the
multi-Region strong consistency mode of global tables where it is offered. SQS is
regional: a queue per region, drained by that region's processor. GitHub sends each
delivery to one URL: put the webhook behind Route 53 failover with health checks on
\`/v1/health/ready\`, and rely on delivery ids (dedup) and the outbox ids / check-run
\`external_id\` (idempotent publishing) to make replays after a failover harmless.
Replicate the two secrets (Secrets Manager replica secrets); the GitHub App is global.
RTO = DNS failover + lock TTL; RPO = replication lag of the global table.`;
