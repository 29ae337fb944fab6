// Business metrics as CloudWatch Embedded Metric Format lines on stdout (Powertools): Lambda's log agent turns them
// into metrics of namespace asyncsns; the local cloud prints the same lines. infra/alarms.ts charts them.
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { type BusinessMetric, METRICS_NAMESPACE, METRICS_SERVICE } from "./metric-names";

// One `service` dimension for every function, so a chart needs no list of which function emits what.
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });

export function count(name: BusinessMetric, value = 1) {
  if (value > 0) metrics.addMetric(name, MetricUnit.Count, value);
}

/** Writes what this invocation counted; nothing when it counted nothing (no empty EMF line, no warning). */
export function flushMetrics() {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
