/**
 * Shapes shared by the remote resolvers: what a reference asks for, what a resolver answers, and the error that
 * turns into a failed run (as opposed to transient errors, which are thrown on and retried with backoff).
 */
import type { Param } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import type { ResolutionConfig } from './config.js';

/** The kind of object a reference expects. */
export type ExpectedKind = 'task' | 'pipeline' | 'stepaction';

/** One remote reference to resolve (`taskRef`, `pipelineRef` or a step `ref` with `resolver:`). */
export interface ResolveRequest {
  resolver: string;
  params: readonly Param[];
  /** Namespace of the run: where Secrets named by params are read, and the cluster resolver's default. */
  namespace: string;
  kind: ExpectedKind;
}

/** Where resolved bytes came from (Tekton's `refSource`: uri, digest, entryPoint). */
export interface RefSource {
  uri: string;
  digest?: Record<string, string>;
  entryPoint?: string;
}

/** A resolver's answer: the YAML (or JSON) text of exactly one object, and where it came from. */
export interface ResolvedData {
  data: string;
  source: RefSource;
  /** True when the reference names immutable content (a commit SHA, a digest): cached longer. */
  immutable?: boolean;
}

/** What every resolver may use. */
export interface ResolverContext {
  client: KubeClient;
  config: ResolutionConfig;
}

/** A resolver: one value of `resolver:`. */
export interface Resolver {
  readonly name: string;
  resolve(req: ResolveRequest, ctx: ResolverContext): Promise<ResolvedData>;
}

/** A resolution failure the run cannot recover from (unknown ref, bad revision, unreachable URL, digest mismatch…). */
export class ResolutionError extends Error {
  override readonly name = 'ResolutionError';
}
