/** JetStream key-value buckets, by the context that keeps them (its NATS identity alone may). */
export const KeyValueBucket = {
  /** The gateway replicas' shared rate-limit counters. */
  GatewayRateLimits: 'gateway_rate_limits',
} as const;
