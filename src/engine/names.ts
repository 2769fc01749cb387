/**
 * Deterministic names of children (TaskRuns, Pods, volumes, PVCs), identical to Tekton's, so that a reconcile
 * that runs twice finds the child it created the first time and tools that predict Tekton's names keep working.
 */
import { createHash } from 'node:crypto';

const LONGEST = 63;
const MD5_LEN = 32;
const HEAD = LONGEST - MD5_LEN;

function md5(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

/** Drops trailing characters a DNS-1123 label may not end with. */
function trimToValidEnd(n: string): string {
  return n.replace(/[^a-zA-Z0-9]+$/, '');
}

/**
 * knative `kmeta.ChildName`: `parent + suffix` when it fits in 63 characters; otherwise the parent is cut to
 * `31 - len(suffix)` characters and followed by md5(parent) in hex, then the suffix. A suffix of 31 characters or
 * more hashes `parent + suffix` instead (parent cut to 31, padded with the start of the suffix up to 63).
 */
export function childName(parent: string, suffix: string): string {
  if (parent.length + suffix.length <= LONGEST) return parent + suffix;
  if (HEAD - suffix.length <= 0) {
    let ret = parent.slice(0, HEAD) + md5(parent + suffix);
    const room = LONGEST - ret.length;
    if (room > 0) ret += suffix.slice(0, room);
    return trimToValidEnd(ret);
  }
  return parent.slice(0, HEAD - suffix.length) + md5(parent) + suffix;
}

/**
 * The pod name of a TaskRun attempt: `<tr>-pod` for the first attempt, `<tr>-pod-retry<N>` for retry N
 * (N = number of archived attempts in `status.retriesStatus`), each through {@link childName}.
 */
export function podName(taskRun: string | { metadata: { name?: string } }, retry = 0): string {
  const name = typeof taskRun === 'string' ? taskRun : (taskRun.metadata.name ?? '');
  return childName(name, retry > 0 ? `-pod-retry${retry}` : '-pod');
}

/**
 * Pod volume name of a bound workspace. Tekton uses random `ws-xxxxx`; we derive the five characters from the
 * workspace name so a rebuilt pod (and `$(workspaces.w.volume)`) is the same every time.
 */
export function workspaceVolumeName(workspaceName: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const digest = createHash('sha256').update(workspaceName).digest();
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += alphabet[(digest[i] ?? 0) % alphabet.length];
  return `ws-${suffix}`;
}

/**
 * Name of the PVC created from a `volumeClaimTemplate` (Tekton's `GeneratePVCNameFromWorkspaceBinding`):
 * `<template.metadata.name | "pvc">-<sha256(workspaceName + ownerUid) hex, first 10>`.
 */
export function claimNameForTemplate(workspaceName: string, ownerUid: string, templateName?: string): string {
  const hash = createHash('sha256').update(workspaceName + ownerUid).digest('hex').slice(0, 10);
  return `${templateName || 'pvc'}-${hash}`;
}

/**
 * Container name of step `index` (Tekton's `StepName`): `step-<name>`, or `step-unnamed-<index>` for a step with
 * no name. Status entries, exit-code paths and step-result paths all key on it.
 */
export function stepContainerName(name: string | undefined, index: number): string {
  return name ? `step-${name}` : `step-unnamed-${index}`;
}

/** Container name of sidecar `index`: `sidecar-<name>`, or `sidecar-unnamed-<index>`. */
export function sidecarContainerName(name: string | undefined, index: number): string {
  return name ? `sidecar-${name}` : `sidecar-unnamed-${index}`;
}
