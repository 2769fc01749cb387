/** Prometheus metrics of the controller under Tekton's names. */
export { RunMetrics, createRunMetricSet, runStatusLabel, runDurationSeconds, METRIC_PREFIX, DURATION_BUCKETS, type RunMetricSet, type WatchRunsOptions } from './run-metrics.js';
