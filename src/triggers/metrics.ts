/**
 * An EventListener pod's metrics (the `http-metrics` port, 9000, its Deployment and Service advertise): Prometheus
 * text at `/metrics`, counting events by outcome from the sink's log lines, plus the process' default metrics.
 * tektite's names (Triggers' own metric names and labels are not reproduced; docs/differences.md).
 */
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { listen, type Endpoint } from '../cluster/http.js';
import type { SinkLogger } from './sink.js';

/** The metrics of one sink and a logger that feeds them (passing every line on to `next`). */
export function sinkMetrics(next?: SinkLogger): { logger: SinkLogger; registry: Registry } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const outcomes = new Counter({
    name: 'tektite_eventlistener_trigger_outcomes_total',
    help: 'Triggers evaluated for incoming events, by outcome (created, skipped, failed, error)',
    labelNames: ['eventlistener', 'namespace', 'trigger', 'status'],
    registers: [registry],
  });
  const count = (obj: object): void => {
    const o = obj as { eventlistener?: string; namespace?: string; '/trigger'?: string; status?: string };
    if (o['/trigger'] !== undefined && o.status) outcomes.inc({ eventlistener: o.eventlistener ?? '', namespace: o.namespace ?? '', trigger: o['/trigger'], status: o.status });
  };
  return {
    registry,
    logger: {
      info: (obj, msg) => { count(obj); next?.info(obj, msg); },
      warn: (obj, msg) => { count(obj); next?.warn(obj, msg); },
    },
  };
}

/** Serves `/metrics` of the registry. */
export function listenMetrics(host: string, port: number, registry: Registry): Promise<Endpoint> {
  return listen(host, port, {
    '/metrics': async (_req, res) => {
      const text = await registry.metrics();
      res.writeHead(200, { 'Content-Type': registry.contentType }).end(text);
    },
  });
}
