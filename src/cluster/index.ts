/**
 * Cluster mode: what tektite adds to run on a real Kubernetes cluster. `tkt controller` calls
 * {@link runClusterController} (leader election, health and metrics endpoints, JSON logs, the controllers and
 * the EventListener controller while leading).
 */
export { runClusterController, stopOnSignals, DEFAULT_IMAGE, LEASE_NAME, type ClusterControllerOptions, type ClusterController } from './controller-main.js';
export { createLogger, REDACT_PATHS, type LoggerOptions } from './logger.js';
export { listenHealth, listenMetrics, type Endpoint, type HealthState } from './http.js';
export { configFromConfigMaps, readConfigMaps } from './config-maps.js';
export { CONTROLLER_PERMISSIONS, EVENTLISTENER_PERMISSIONS, EVENTLISTENER_CLUSTER_PERMISSIONS, permissionSet, type Permission } from './permissions.js';
export { startWebhook, webhookCert, webhookHosts, type WebhookServer } from './webhook/server.js';
export { syncWebhookCerts } from './webhook/certs.js';
