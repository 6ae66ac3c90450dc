/** The part of autocannon's API the load scripts use. */
declare module 'autocannon' {
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Replaces `[<id>]` in the body with a unique id per request. */
    idReplacement?: boolean;
    requests?: Array<{
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
      /**
       * Mutates each request before it is sent (e.g. a unique header);
       * `context` is the connection's, shared with `onResponse`.
       */
      setupRequest?: (
        request: RequestParams,
        context: Record<string, unknown>,
      ) => RequestParams;
      /** Sees each response of this request, with the connection's context. */
      onResponse?: (
        status: number,
        body: string,
        context: Record<string, unknown>,
      ) => void;
    }>;
  }
  export interface RequestParams {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  }
  interface Result {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number; average: number };
    non2xx: number;
    errors: number;
    timeouts: number;
    statusCodeStats?: Record<string, { count: number }>;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
