/**
 * typesHold must never say yes where zod finds a type issue (unknown keys aside): checked on the kinds' schemas,
 * their parts, and thousands of mutations of real objects (the examples, the catalog, Tekton's docs and examples,
 * a Pod as the controllers build it, runs with their status). It should also say yes to the objects as they are,
 * or it saves nothing. A deeper run: FUZZ_SEED=<n> FUZZ_ROUNDS=800 npx vitest run src/api/schemas/fast-types.test.ts
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { coreShape } from '../../embedded/apiserver/core-shapes.js';
import { packageRoot } from '../../paths.js';
import { jsonEqual } from '../json-equal.js';
import { outputIsInput, typesHold } from './fast-types.js';
import { schemaForKind } from './index.js';

const POD = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: {
    name: 'r-t1-pod', namespace: 'default', labels: { 'tekton.dev/taskRun': 'r-t1', 'app.kubernetes.io/managed-by': 'tekton-pipelines' }, annotations: { 'tekton.dev/ready': 'READY' },
    ownerReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: 'r-t1', uid: 'fd600de1', controller: true, blockOwnerDeletion: true }],
  },
  spec: {
    restartPolicy: 'Never', activeDeadlineSeconds: 5400, serviceAccountName: 'default',
    initContainers: [{ name: 'prepare', image: 'ghcr.io/tektite/tektite:latest', command: ['/tektite/entrypoint', 'init'], volumeMounts: [{ name: 'tekton-internal-bin', mountPath: '/tekton/bin' }] }],
    containers: [{
      name: 'step-s1', image: 'docker.io/library/bash:5.2', command: ['/tekton/bin/entrypoint'], args: ['-post_file', '/tekton/run/0/out', '--'],
      terminationMessagePath: '/tekton/termination', env: [{ name: 'HOME', value: '/tekton/home' }, { name: 'K', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
      resources: { limits: { cpu: '500m', memory: 1024 } }, securityContext: { runAsUser: 1000, capabilities: { drop: ['ALL'] } },
      volumeMounts: [{ name: 'tekton-internal-bin', mountPath: '/tekton/bin', readOnly: true }],
    }],
    volumes: [{ name: 'tekton-internal-bin', emptyDir: {} }, { name: 'creds', emptyDir: { medium: 'Memory' } }, { name: 'ws', persistentVolumeClaim: { claimName: 'pvc' } }],
  },
  status: {
    phase: 'Succeeded', startTime: '2026-12-04T17:49:53Z', conditions: [{ type: 'Ready', status: 'False', reason: 'PodCompleted' }],
    containerStatuses: [{ name: 'step-s1', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2026-12-04T17:49:53Z', finishedAt: null } } }],
  },
};

const CONDITIONS = [{ type: 'Succeeded', status: 'True', reason: 'Succeeded', message: 'All Steps have completed executing', lastTransitionTime: '2026-12-04T17:49:54Z' }];
const TASK_RUN = {
  apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'r-t1', namespace: 'default', labels: { a: 'b' } },
  spec: { taskRef: { name: 't', kind: 'Task' }, params: [{ name: 'p', value: 'v' }, { name: 'a', value: ['x', 'y'] }, { name: 'o', value: { k: 'v' } }], timeout: '1h0m0s', serviceAccountName: 'default' },
  status: {
    podName: 'r-t1-pod', startTime: '2026-12-04T17:49:53Z', completionTime: '2026-12-04T17:49:54Z', conditions: CONDITIONS,
    steps: [{ name: 's1', container: 'step-s1', imageID: 'docker.io/library/bash@sha256:1', terminated: { exitCode: 0, reason: 'Completed', startedAt: '2026-12-04T17:49:53Z', finishedAt: '2026-12-04T17:49:54Z' } }],
    results: [{ name: 'r', type: 'string', value: 'v' }],
    taskSpec: { params: [{ name: 'p', type: 'string', default: 'd' }], steps: [{ name: 's1', image: 'bash', script: 'true', onError: 'continue' }], results: [{ name: 'r', type: 'string' }] },
  },
};
const PIPELINE_RUN = {
  apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'r', namespace: 'default' },
  spec: { pipelineRef: { name: 'p' }, params: [{ name: 'p', value: 'v' }], timeouts: { pipeline: '1h0m0s' }, taskRunTemplate: { serviceAccountName: 'default' } },
  status: {
    startTime: '2026-12-04T17:49:53Z', conditions: CONDITIONS,
    childReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: 'r-t1', pipelineTaskName: 't1', whenExpressions: [{ input: 'a', operator: 'in', values: ['a'] }] }],
    pipelineSpec: { tasks: [{ name: 't1', taskRef: { name: 't' }, params: [{ name: 'p', value: '$(params.p)' }] }] },
    results: [{ name: 'r', value: 'v' }],
  },
};

/** Every YAML document of the examples, the catalog and the test fixtures. */
function documents(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (dir: string): void => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(f)) {
        for (const d of YAML.parseAllDocuments(readFileSync(p, 'utf8'))) {
          const v: unknown = d.errors.length === 0 ? d.toJS() : undefined;
          if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { kind?: unknown }).kind === 'string') out.push(v as Record<string, unknown>);
        }
      }
    }
  };
  for (const d of ['examples', 'catalog', 'test/fixtures']) walk(join(packageRoot(), d));
  return out;
}

type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; element?: z.ZodType };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
const unwrap = (s: z.ZodType): z.ZodType => {
  let x = s;
  while (['optional', 'nullable', 'default'].includes(defOf(x).type) && defOf(x).innerType) x = defOf(x).innerType as z.ZodType;
  return x;
};

/** (schema, value) pairs: the object under its kind's schema, and its parts under theirs (fields, array elements). */
function pairs(schema: z.ZodType, value: unknown, depth: number, out: [z.ZodType, unknown][]): void {
  out.push([schema, value]);
  if (depth === 0 || value === null || typeof value !== 'object') return;
  const s = unwrap(schema);
  const d = defOf(s);
  if (d.type === 'object' && d.shape && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) if (d.shape[k]) pairs(d.shape[k], v, depth - 1, out);
  } else if (d.type === 'array' && d.element && Array.isArray(value)) {
    for (const v of value.slice(0, 3)) pairs(d.element, v, depth - 1, out);
  }
}

/** Issues zod raises, unknown keys left out (as the API server's type check counts them). */
const zodIssues = (schema: z.ZodType, v: unknown): string[] => {
  const r = schema.safeParse(v);
  return r.success ? [] : r.error.issues.filter((i) => i.code !== 'unrecognized_keys').map((i) => `${i.path.join('.')}: ${i.message}`);
};

/** A small seeded PRNG, so that a failure repeats. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REPLACEMENTS: unknown[] = ['', 'x', '$(params.p)', 'continue', 'Never', 0, 1, -1, 1.5, 2 ** 53, true, false, null, undefined, [], ['x'], [1], {}, { name: 'x' }, { x: 1 }];

/** `v` with one change at a random place: a value replaced, a key removed or added, an array element added. */
function mutate(v: unknown, random: () => number): unknown {
  const copy = structuredClone(v);
  const holders: (Record<string, unknown> | unknown[])[] = [];
  const collect = (x: unknown): void => {
    if (x === null || typeof x !== 'object') return;
    holders.push(x as Record<string, unknown>);
    for (const c of Object.values(x)) collect(c);
  };
  collect(copy);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  if (holders.length === 0) return pick(REPLACEMENTS);
  const h = pick(holders);
  const keys = Object.keys(h);
  const r = random();
  if (Array.isArray(h)) {
    if (r < 0.3 || h.length === 0) h.push(pick(REPLACEMENTS));
    else h[Math.floor(random() * h.length)] = pick(REPLACEMENTS);
  } else if (r < 0.15 || keys.length === 0) {
    h[pick(['extra', 'name', 'value', 'type', 'items'])] = pick(REPLACEMENTS);
  } else if (r < 0.3) {
    delete h[pick(keys)];
  } else {
    h[pick(keys)] = pick(REPLACEMENTS);
  }
  return copy;
}

/**
 * The fuzz: FUZZ_ROUNDS rounds (default 60) over every seed, each time the whole object and one random part of it,
 * mutated once or twice; `fn` gets each schema and mutated value.
 */
function eachMutation(seeds: ReadonlyArray<[z.ZodType, unknown]>, random: () => number, fn: (s: z.ZodType, m: unknown) => void): void {
  for (let round = 0; round < Number(process.env.FUZZ_ROUNDS ?? 60); round++) {
    for (const [schema, doc] of seeds) {
      const all: [z.ZodType, unknown][] = [];
      pairs(schema, doc, 3, all);
      for (const [s, v] of [[schema, doc] as [z.ZodType, unknown], all[Math.floor(random() * all.length)] as [z.ZodType, unknown]]) {
        let m = mutate(v, random);
        if (random() < 0.4) m = mutate(m, random);
        fn(s, m);
      }
    }
  }
}

describe('typesHold', () => {
  const seeds: [z.ZodType, Record<string, unknown>][] = [];
  for (const doc of [...documents(), POD, TASK_RUN, PIPELINE_RUN]) {
    const schema = schemaForKind(String(doc.apiVersion ?? ''), String(doc.kind)) ?? coreShape(String(doc.kind));
    if (schema) seeds.push([schema, doc]);
  }

  it('says yes to the objects zod accepts as they are (else it saves nothing)', () => {
    expect(seeds.length).toBeGreaterThan(30);
    let accepted = 0;
    for (const [schema, doc] of seeds) {
      const all: [z.ZodType, unknown][] = [];
      pairs(schema, doc, 4, all);
      for (const [s, v] of all) {
        if (s.safeParse(v).success) {
          accepted += 1;
          expect(typesHold(s, v), JSON.stringify(v).slice(0, 200)).toBe(true);
        }
      }
    }
    expect(accepted).toBeGreaterThan(500);
  });

  it('never says yes where zod finds a type issue, over thousands of mutated objects and their parts', () => {
    const random = rng(Number(process.env.FUZZ_SEED ?? 19));
    let refused = 0;
    let checked = 0;
    eachMutation(seeds, random, (s, m) => {
      const issues = zodIssues(s, m);
      checked += 1;
      if (issues.length > 0) {
        refused += 1;
        expect(typesHold(s, m), `${issues.join('; ')} in ${String(JSON.stringify(m)).slice(0, 300)}`).toBe(false);
      }
    });
    expect(checked).toBeGreaterThan(4000);
    expect(refused).toBeGreaterThan(1500); // the mutations do break types
  });

  it('mirrors zod on unions, regexes, integers and transforms; an unknown key in a union\'s option makes it ask zod', () => {
    const U = z.union([z.strictObject({ a: z.string() }), z.strictObject({ b: z.number().int() })]);
    // zod lets this pass (with only an unknown-key issue, as the one option not aborted); the fast check asks zod
    expect(zodIssues(U, { a: 'x', c: 1 })).toEqual([]);
    expect(typesHold(U, { a: 'x', c: 1 })).toBe(false);
    const cases: [z.ZodType, unknown][] = [
      [U, { a: 'x' }], [U, { b: 1.5 }], [U, { b: 2 }], [U, { a: 1 }], [U, { c: 1 }],
      [z.strictObject({ a: z.string() }), { a: 'x', c: 1 }], // unknown keys alone are no type issue
      [z.string().regex(/^v[0-9]+$/), 'v12'], [z.string().regex(/^v[0-9]+$/), 'v1x'],
      [z.number().int().min(0), -1], [z.number().int().min(0), 3], [z.number(), Number.POSITIVE_INFINITY],
      [z.union([z.string(), z.number().transform(String)]), 3], [z.union([z.string(), z.number().transform(String)]), true],
      [z.record(z.string(), z.string()), { a: 'b' }], [z.record(z.string(), z.string()), { a: 1 }], [z.record(z.string(), z.string()), ['a']],
      [z.looseObject({ a: z.string().optional() }), { b: 1 }], [z.object({ a: z.string() }), {}], [z.enum(['x', 'y']), 'z'],
      [z.string().nullish(), null], [z.string().default('d'), undefined], [z.array(z.string()).max(1), ['a', 'b']],
    ];
    for (const [s, v] of cases) expect(typesHold(s, v), JSON.stringify(v)).toBe(zodIssues(s, v).length === 0);
    // one strict schema outside a union (its unknown keys pass) and inside one (they fail the option): two options
    // left with only unknown keys make zod refuse the union, whatever was checked first
    const S1 = z.strictObject({ a: z.string() });
    const S2 = z.strictObject({ a: z.string(), z: z.string().optional() });
    const X = z.looseObject({ top: S1.optional(), u: z.union([S1, S2]) });
    const v = { top: { a: 'x', extra: 1 }, u: { a: 'x', b: 1 } };
    expect(zodIssues(X, v).length).toBeGreaterThan(0);
    expect(typesHold(X, v)).toBe(false);
    expect(typesHold(X, { top: { a: 'x', extra: 1 }, u: { a: 'x' } })).toBe(true);
  });

  it('answers no (ask zod) for schema parts it does not mirror', () => {
    expect(typesHold(z.string().refine((s) => s.length > 1), 'a')).toBe(false);
    expect(typesHold(z.string().refine((s) => s.length > 1), 'ab')).toBe(false);
    expect(typesHold(z.email(), 'a@b.c')).toBe(false);
    expect(typesHold(z.coerce.number(), 1)).toBe(false);
    expect(typesHold(z.string().trim().min(1), '  ')).toBe(false);
    expect(typesHold(z.string().transform((s, ctx) => { ctx.addIssue({ code: 'custom', message: 'no' }); return s; }), 'a')).toBe(false);
    expect(typesHold(z.object({ a: z.string() }).refine(() => true), { a: 'x' })).toBe(false);
  });

  it('outputIsInput: yes only where zod accepts the value and answers it unchanged, over the seeds and thousands of mutations', () => {
    const random = rng(Number(process.env.FUZZ_SEED ?? 23));
    let yes = 0;
    let checked = 0;
    const check = (s: z.ZodType, v: unknown): void => {
      checked += 1;
      if (!outputIsInput(s, v)) return;
      yes += 1;
      const r = s.safeParse(v);
      expect(r.success && jsonEqual(r.data, v), String(JSON.stringify(v)).slice(0, 300)).toBe(true);
      expect(typesHold(s, v)).toBe(true);
    };
    for (const [schema, doc] of seeds) {
      const all: [z.ZodType, unknown][] = [];
      pairs(schema, doc, 4, all);
      for (const [s, v] of all) check(s, v);
    }
    eachMutation(seeds, random, check);
    expect(checked).toBeGreaterThan(4000);
    expect(yes).toBeGreaterThan(500); // it does say yes (else it saves nothing)
    // a run as the EventListener creates it: the copy stands for zod's output
    const pr = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { generateName: 'pr-', namespace: 'default' }, spec: { pipelineRef: { name: 'ci' }, params: [{ name: 'revision', value: 'abc' }] } };
    expect(outputIsInput(schemaForKind('tekton.dev/v1', 'PipelineRun') as z.ZodType, pr)).toBe(true);
  });

  it('outputIsInput: no where zod fills a default, drops a key, transforms or catches', () => {
    expect(outputIsInput(z.object({ a: z.string().default('x') }), {})).toBe(false);
    expect(outputIsInput(z.object({ a: z.string().default('x') }), { a: 'y' })).toBe(true);
    expect(outputIsInput(z.object({ a: z.string() }), { a: 'y', b: 1 })).toBe(false); // stripped
    expect(outputIsInput(z.looseObject({ a: z.string() }), { a: 'y', b: 1 })).toBe(true);
    expect(outputIsInput(z.strictObject({ a: z.string() }), { a: 'y', b: 1 })).toBe(false);
    expect(outputIsInput(z.string().transform((s) => s.toUpperCase()), 'a')).toBe(false);
    expect(outputIsInput(z.number().catch(0), 'a')).toBe(false);
    expect(outputIsInput(z.number().catch(0), 1)).toBe(true);
    expect(outputIsInput(z.object({ a: z.string().optional() }), {})).toBe(true);
    // a union answers its first option without issues: that option must keep the value as it is
    const U = z.union([z.object({ a: z.string() }), z.looseObject({ a: z.string(), b: z.number() })]);
    expect(U.safeParse({ a: 'x', b: 1 }).data).toEqual({ a: 'x' });
    expect(outputIsInput(U, { a: 'x', b: 1 })).toBe(false);
    expect(outputIsInput(U, { a: 'x' })).toBe(true);
  });
});
