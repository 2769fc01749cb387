/** The EventListener controller for clusters (Deployment + Service `el-<name>` per EventListener). */
export { runEventListenerController, eventListenerReconciler, type EventListenerControllerOptions } from './reconciler.js';
export {
  buildDeployment, buildService, podSpec, generatedName, selectorLabels, objectLabels, ownerReference, addressUrl, isSubset,
  LISTENER_PORT, METRICS_PORT, CONTAINER_NAME, type Deployment, type Service,
} from './resources.js';
export { eventListenerStatus, eventListenerConditions } from './status.js';
