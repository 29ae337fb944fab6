// API Gateway stage throttling: a token bucket per stage, refilled at the rate limit up to the burst limit.

/** A stage's `defaultRouteSettings` as infra sets them (throttlingBurstLimit, throttlingRateLimit). */
export interface StageThrottle {
  burst: number;
  rate: number;
}

/** The throttle a component's recorded stage transform sets, if any. */
export function stageThrottle(transformed: unknown): StageThrottle | undefined {
  const settings = (transformed as { stage?: { defaultRouteSettings?: Record<string, unknown> } } | undefined)
    ?.stage?.defaultRouteSettings;
  const burst = Number(settings?.throttlingBurstLimit);
  const rate = Number(settings?.throttlingRateLimit);
  return burst > 0 && rate > 0 ? { burst, rate } : undefined;
}

/**
 * "Throttle requests to your HTTP APIs for better throughput in API Gateway" (token bucket: burst is the
 * bucket, rate the refill per second), https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
 */
export class TokenBucket {
  private tokens: number;
  private at: number;
  constructor(
    private readonly limits: StageThrottle,
    now = performance.now(),
  ) {
    this.tokens = limits.burst;
    this.at = now;
  }

  /** Takes one token if there is one; false means answer 429. */
  take(now = performance.now()): boolean {
    this.tokens = Math.min(this.limits.burst, this.tokens + ((now - this.at) / 1000) * this.limits.rate);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
