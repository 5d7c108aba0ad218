// The part of autocannon's API the endpoint benchmark uses (autocannon ships no types).
declare module 'autocannon' {
  namespace autocannon {
    interface Request { method?: string; path?: string; headers?: Record<string, string>; body?: string }
    interface Options {
      url: string;
      connections?: number;
      duration?: number;
      /** A fixed number of requests instead of a duration. */
      amount?: number;
      requests?: Array<Request & { setupRequest?: (request: Request) => Request }>;
    }
    interface Result {
      requests: { average: number; total: number };
      latency: { p50: number; p99: number; average: number };
      errors: number;
      timeouts: number;
      non2xx: number;
    }
  }
  function autocannon(options: autocannon.Options): Promise<autocannon.Result>;
  export default autocannon;
}
