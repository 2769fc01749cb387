/**
 * The Triggers conformance walk (../shared/conformance/triggers-examples, see its README): for every example
 * folder, a fresh in-process API server, `kubectl apply` of its YAML (fresh --cache-dir), the EventListener
 * manager, then every EventListener must get a status URL and become Ready. Folders with a request.json in
 * scope get that request posted, and the objects labelled with the answered eventID must exist with the right
 * values. Nothing runs the created runs here: creation with the right params and labels is the point.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventListener, KubeObject } from '../../src/api/types.js';
import { startEventListenerManager } from '../../src/triggers/index.js';
import { conformanceDir } from '../helpers/conformance.js';
import { postEvent, startTestCluster, waitFor } from './harness.js';

const root = join(conformanceDir() ?? '/nonexistent', 'triggers-examples');
/** Folders the README puts out of scope for posting (Knative, GitHub API calls, Slack). */
const NOT_POSTED = ['custom-resource', 'github-owners', 'github-add-changed-files-pr', 'github-add-changed-files-push-cel', 'slack'];
/** Folders whose YAML needs what embedded mode does not have (Knative Serving's kind). */
const NOT_APPLIED = ['custom-resource'];

/** What each posted request must have created: kind, count, namespace and text the objects must contain. */
const EXPECT: Record<string, { kind: string; count: number; namespace?: string; contains: string[] }> = {
  'bitbucket-cloud': { kind: 'TaskRun', count: 1, contains: ['Revision is : bb-cloud-test-1', 'RepoURL is : https://bitbucket.org/savitaredhat/bitbuckettest-customer', 'PusherName is : savita'] },
  'bitbucket-server': { kind: 'TaskRun', count: 1, contains: ['Revision is : main. RepoURL is ssh://git@localhost:7999/~test/helloworld.git'] },
  'create-configmap': { kind: 'ConfigMap', count: 1, contains: ['"field":"Action is : opened"'] },
  'embedded-trigger': { kind: 'PipelineRun', count: 1, contains: ['{"name":"message","value":"Hello from the Triggers EventListener!"}', '{"name":"contenttype","value":"application/json"}', '{"name":"git-revision","value":"main"}', '{"name":"git-url","value":"https://github.com/tektoncd/triggers.git"}'] },
  github: { kind: 'TaskRun', count: 1, contains: ['Revision is : 28911bbb5a3e2ea034daf1f6be0a822d50e31e73. RepoURL is https://github.com/tektoncd/triggers.git'] },
  gitlab: { kind: 'TaskRun', count: 1, contains: ['Revision is : '] },
  'label-selector': { kind: 'PipelineRun', count: 1, contains: ['"triggers.tekton.dev/trigger":"matching-label-trigger"', '{"name":"git-revision","value":"28911bbb5a3e2ea034daf1f6be0a822d50e31e73"}'] },
  'namespace-selector': { kind: 'PipelineRun', count: 1, namespace: 'foo', contains: ['"triggers.tekton.dev/trigger":"trigger"', '{"name":"git-url","value":"https://github.com/tektoncd/triggers.git"}'] },
};
/**
 * Folders without a request.json that upstream does not curl-test: posted here with the label-selector
 * request (a signed pull_request), as extra checks of trigger groups and triggerRef.
 */
const DERIVED: Record<string, (typeof EXPECT)[string]> = {
  triggergroups: { kind: 'PipelineRun', count: 1, contains: ['{"name":"git-revision","value":"28911bb"}', '"triggers.tekton.dev/trigger":"trigger"'] },
  'trigger-ref': { kind: 'PipelineRun', count: 1, contains: ['{"name":"git-revision","value":"28911bbb5a3e2ea034daf1f6be0a822d50e31e73"}'] },
};
const KINDS: Record<string, { apiVersion: string; kind: string }> = {
  TaskRun: { apiVersion: 'tekton.dev/v1', kind: 'TaskRun' },
  PipelineRun: { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' },
  ConfigMap: { apiVersion: 'v1', kind: 'ConfigMap' },
};

/** Directories holding YAML files, relative to the corpus root. */
function exampleFolders(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    const entries = readdirSync(dir).sort();
    if (entries.some((e) => e.endsWith('.yaml'))) out.push(relative(root, dir));
    for (const e of entries) if (statSync(join(dir, e)).isDirectory()) walk(join(dir, e));
  };
  walk(root);
  return out;
}

/**
 * The folder's YAML files in sorted order. Git symlinks are stored as placeholder files holding their target
 * (`../triggertemplates/triggertemplate.yaml`): the target is applied when the corpus has it, else the file is
 * left out (the shared `../../rbac.yaml` of upstream is not part of the corpus).
 */
function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort()) {
    const text = readFileSync(join(dir, f), 'utf8').trim();
    if (!/^(\.\.\/)+[\w./-]+\.yaml$/.test(text)) out.push(join(dir, f));
    else if (existsSync(join(dir, text)) && join(dir, text).startsWith(root)) out.push(join(dir, text));
  }
  return out;
}

function eventListenersIn(files: string[]): Array<{ name: string; namespace: string }> {
  return files.flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS() as KubeObject | null))
    .filter((o): o is KubeObject => o?.kind === 'EventListener')
    .map((o) => ({ name: o.metadata.name ?? '', namespace: o.metadata.namespace ?? 'default' }));
}

/**
 * The ServiceAccounts the triggers of these files name (upstream's shared rbac.yaml creates
 * `tekton-triggers-example-sa`; embedded mode checks that a trigger's account exists before creating as it).
 */
function triggerAccountsIn(files: string[]): Array<{ name: string; namespace: string }> {
  const out = new Map<string, { name: string; namespace: string }>();
  for (const o of files.flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS() as (KubeObject & { spec?: Record<string, unknown> }) | null))) {
    if (!o) continue;
    const ns = o.metadata?.namespace ?? 'default';
    const specs = o.kind === 'Trigger' ? [o.spec] : o.kind === 'EventListener' ? ((o.spec?.triggers as unknown[]) ?? []) : [];
    for (const t of specs as Array<{ serviceAccountName?: unknown } | undefined>) {
      if (typeof t?.serviceAccountName === 'string') out.set(`${ns}/${t.serviceAccountName}`, { name: t.serviceAccountName, namespace: ns });
    }
  }
  return [...out.values()];
}

const results: Array<{ folder: string; ok: boolean; why?: string }> = [];

describe.skipIf(!existsSync(root))('Triggers conformance walk', () => {
  afterAll(() => {
    const failed = results.filter((r) => !r.ok);
    console.log(`triggers conformance: ${results.length - failed.length} passed, ${failed.length} failed${failed.map((f) => `\n  FAILED ${f.folder}: ${f.why ?? ''}`).join('')}`);
  });

  const folders = existsSync(root) ? exampleFolders().filter((f) => !NOT_APPLIED.includes(f)) : [];
  it('covers every in-scope folder with a request.json', () => {
    const posted = folders.filter((f) => existsSync(join(root, f, 'request.json')) && !NOT_POSTED.includes(f));
    expect(posted.sort()).toEqual(Object.keys(EXPECT).sort());
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const f of NOT_POSTED) expect(readme, `README names ${f} as out of scope`).toContain(f.replace(/-(pr|push-cel)$/, ''));
  });

  it.each(folders)('%s', async (folder) => {
    const r = { folder, ok: false, why: '' as string | undefined };
    results.push(r);
    const dir = join(root, folder);
    const cluster = await startTestCluster();
    const manager = await startEventListenerManager({ client: cluster.client });
    try {
      const files = yamlFiles(dir);
      r.why = 'kubectl apply';
      await cluster.kubectl(['apply', ...files.flatMap((f) => ['-f', f])]);
      for (const sa of triggerAccountsIn(files)) {
        if (!(await cluster.client.tryGet({ apiVersion: 'v1', kind: 'ServiceAccount' }, sa.namespace, sa.name))) {
          await cluster.client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: sa } as KubeObject);
        }
      }
      const urls = new Map<string, string>();
      for (const el of eventListenersIn(files)) {
        r.why = `EventListener ${el.name} ready`;
        const ready = await waitFor(async () => {
          const got = await cluster.client.get<EventListener>({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' }, el.namespace, el.name);
          const isReady = got.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
          return isReady && got.status?.address?.url ? got.status.address.url : undefined;
        }, `${folder}: EventListener ${el.name} Ready`);
        urls.set(el.name, ready);
        await cluster.kubectl(['wait', '--for=condition=Ready', `eventlistener/${el.name}`, '-n', el.namespace, '--timeout=30s']);
      }
      const expected = EXPECT[folder];
      if (existsSync(join(dir, 'request.json')) && !NOT_POSTED.includes(folder) && expected) {
        r.why = 'posting request.json';
        await postAndCheck(cluster, dir, [...urls.values()][0] as string, expected);
      }
      const derived = DERIVED[folder];
      if (derived) {
        r.why = 'posting the derived request';
        await postAndCheck(cluster, join(root, 'label-selector'), [...urls.values()][0] as string, derived);
      }
      r.ok = true;
      r.why = undefined;
    } finally {
      await manager.close();
      await cluster.close();
    }
  });
});

async function postAndCheck(cluster: Awaited<ReturnType<typeof startTestCluster>>, dir: string, url: string, expected: (typeof EXPECT)[string]): Promise<void> {
  const req = JSON.parse(readFileSync(join(dir, 'request.json'), 'utf8')) as { method?: string; headers: Record<string, string>; body?: string; bodyFile?: string };
  const body = req.bodyFile ? readFileSync(join(dir, basename(req.bodyFile))) : Buffer.from(req.body ?? '');
  const res = await postEvent(url, body, req.headers);
  expect(res.status, JSON.stringify(res.json)).toBe(202);
  const eventID = String(res.json.eventID);
  expect(eventID).toMatch(/^[0-9a-f-]{36}$/);
  const list = await cluster.client.list<KubeObject>(KINDS[expected.kind]!, expected.namespace ?? 'default', { labelSelector: `triggers.tekton.dev/triggers-eventid=${eventID}` });
  expect(list.items, JSON.stringify(res.json)).toHaveLength(expected.count);
  for (const obj of list.items) {
    const text = JSON.stringify(obj);
    for (const want of expected.contains) expect(text).toContain(want);
    expect(text).not.toContain('$(tt.params');
  }
}
