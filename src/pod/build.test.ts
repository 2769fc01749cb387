import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Container, Pod, TaskRun, TaskSpec, Volume } from '../api/types.js';
import type { BuildPodConfig } from './build.js';
import { buildPod } from './build.js';
import type { ImageEntrypoint } from './image-entrypoints.js';
import { builtinImageEntrypoints } from './image-entrypoints.js';

/** One table case of fixtures/build.yaml. */
interface Case {
  name: string;
  taskRun?: { metadata?: TaskRun['metadata']; spec?: TaskRun['spec'] };
  spec: TaskSpec;
  podName?: string;
  config?: Partial<Omit<BuildPodConfig, 'imageEntrypoint'>> & { images?: Record<string, ImageEntrypoint> };
  /** Partial pod (arrays compared element by element). */
  want?: Record<string, unknown>;
  /** Partial containers (init containers included) by name. */
  containers?: Record<string, Partial<Container>>;
  /** Every mount of a container as "volume:path" (":ro" when read-only), in order. */
  mounts?: Record<string, string[]>;
  /** Volumes that must be present (exactly these objects). */
  volumes?: Volume[];
  /** Volume names, in order (the whole list). */
  volumeNames?: string[];
  /** Scripts written by `prepare`: path → decoded content. */
  scripts?: Record<string, string>;
  /** Paths (key lists) that must be absent from the pod. */
  absent?: Array<Array<string | number>>;
  fail?: { reason: string; message: string };
}

const cases = parse(readFileSync(new URL('./fixtures/build.yaml', import.meta.url), 'utf8')) as Case[];

function inputOf(c: Case): Parameters<typeof buildPod>[0] {
  const taskRun: TaskRun = {
    apiVersion: 'tekton.dev/v1', kind: 'TaskRun',
    metadata: { name: 'tr', namespace: 'ns', uid: 'uid-1', ...c.taskRun?.metadata },
    spec: c.taskRun?.spec ?? {},
  };
  const { images, ...rest } = c.config ?? {};
  const config: BuildPodConfig = {
    entrypointImage: 'ghcr.io/tektite/tektite:test', awaitSidecarReadiness: true, managedBy: 'tekton-pipelines',
    imageEntrypoint: (image) => images?.[image] ?? builtinImageEntrypoints(image), ...rest,
  };
  return { taskRun, spec: c.spec, podName: c.podName ?? 'tr-pod', config };
}

function allContainers(pod: Pod): Container[] {
  return [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
}

function placedScripts(pod: Pod): Record<string, string> {
  const cmd = pod.spec.initContainers?.[0]?.command ?? [];
  const out: Record<string, string> = {};
  cmd.forEach((arg, i) => {
    if (arg === '-script') out[cmd[i + 1] ?? ''] = Buffer.from(cmd[i + 2] ?? '', 'base64').toString('utf8');
  });
  return out;
}

function checkPod(c: Case, pod: Pod): void {
  expect(pod).toMatchObject(c.want ?? {});
  const byName = new Map(allContainers(pod).map((x) => [x.name, x]));
  for (const [name, want] of Object.entries(c.containers ?? {})) {
    expect(byName.get(name), `container ${name}`).toMatchObject(want);
  }
  for (const [name, want] of Object.entries(c.mounts ?? {})) {
    const got = (byName.get(name)?.volumeMounts ?? []).map((m) => `${m.name}:${m.mountPath}${m.subPath ? `:sub=${m.subPath}` : ''}${m.readOnly ? ':ro' : ''}`);
    expect(got, `mounts of ${name}`).toEqual(want);
  }
  for (const v of c.volumes ?? []) expect(pod.spec.volumes).toContainEqual(v);
  if (c.volumeNames) expect(pod.spec.volumes?.map((v) => v.name)).toEqual(c.volumeNames);
  if (c.scripts) expect(placedScripts(pod)).toEqual(c.scripts);
  for (const path of c.absent ?? []) {
    const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown> | undefined)?.[k], pod);
    expect(parent, `parent of ${path.join('.')}`).toBeDefined();
    expect(Object.hasOwn(parent as object, String(path.at(-1))), `${path.join('.')} is absent`).toBe(false);
  }
}

describe('buildPod', () => {
  it.each(cases)('$name', (c) => {
    const input = inputOf(c);
    const before = JSON.stringify(input);
    const got = buildPod(input);
    expect(JSON.stringify(input)).toBe(before);
    if (c.fail) {
      expect(got.ok).toBe(false);
      if (got.ok) return;
      expect(got.reason).toBe(c.fail.reason);
      expect(got.message).toContain(c.fail.message);
      return;
    }
    if (!got.ok) expect.fail(`${got.reason}: ${got.message}`);
    checkPod(c, got.pod);
  });

  it('is deterministic and shares no objects with its input', () => {
    for (const c of cases.filter((x) => !x.fail)) {
      const input = inputOf(c);
      const a = buildPod(input);
      expect(a).toEqual(buildPod(input));
      if (!a.ok) continue;
      const step = a.pod.spec.containers[0];
      if (step?.env) expect(step.env).not.toBe(input.spec.steps[0]?.env);
    }
  });
});
