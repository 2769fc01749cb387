/** Leader election on a coordination.k8s.io/v1 Lease (only the holder runs the controllers). */
export { LeaderElector, LEADER_DEFAULTS, type LeaderElectorOptions, type LeaderWork } from './elector.js';
export { acquireOrRenew, releaseLease, microTime, LeaseObserver, LEASE, type Lease, type LeaseSpec, type RoundOutcome } from './lease.js';
