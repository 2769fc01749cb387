import { describe, expect, it } from 'vitest';
import { claimNameForTemplate } from '../names.js';
import { World, tasksFrom } from './fixtures.js';

const tasks = tasksFrom(`
t:
  workspaces: [{ name: out }, { name: cfg, optional: true }]
  steps: [{ image: busybox, script: "true" }]
`);

const run = `
metadata: { name: build, uid: uid-7 }
spec:
  params: [{ name: dir, value: sub }]
  workspaces:
    - name: shared
      subPath: base
      volumeClaimTemplate:
        metadata: { name: data, labels: { team: a } }
        spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
    - { name: conf, configMap: { name: "cm-$(params.dir)" } }
  pipelineSpec:
    params: [{ name: dir }]
    workspaces: [{ name: shared }, { name: conf }, { name: unused, optional: true }]
    tasks:
      - name: a
        taskRef: { name: t }
        workspaces: [{ name: out, workspace: shared, subPath: "$(params.dir)" }, { name: cfg, workspace: unused }]
      - name: b
        runAfter: [a]
        taskRef: { name: t }
        workspaces: [{ name: out, workspace: shared }, { name: conf }]
`;

describe('workspaces', () => {
  it('creates the volumeClaimTemplate PVC once, before the first TaskRun, and maps bindings', () => {
    const w = new World(run, { tasks });
    const claim = claimNameForTemplate('shared', 'uid-7', 'data');
    const plan = w.reconcile();
    expect(plan.actions.map((a) => a.type)).toEqual(['createPVC', 'createTaskRun']);
    expect(plan.actions[0]).toEqual({
      type: 'createPVC',
      pvc: {
        apiVersion: 'v1', kind: 'PersistentVolumeClaim',
        metadata: {
          labels: { team: 'a' }, name: claim, namespace: 'ns',
          ownerReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: 'build', uid: 'uid-7', controller: true, blockOwnerDeletion: true }],
        },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    });
    expect(w.run('build-a').spec.workspaces).toEqual([{ name: 'out', persistentVolumeClaim: { claimName: claim }, subPath: 'base/sub' }]);
    w.finish('a');
    const second = w.reconcile();
    expect(second.actions.map((a) => a.type)).toEqual(['createTaskRun']);
    expect(w.run('build-b').spec.workspaces).toEqual([
      { name: 'out', persistentVolumeClaim: { claimName: claim }, subPath: 'base' },
      { name: 'conf', configMap: { name: 'cm-sub' } },
    ]);
  });

  it('propagates the run\'s workspaces into inline taskSpecs that use them (Tekton example propagating-workspaces)', () => {
    const w = new World(`
spec:
  workspaces:
    - { name: vault, secret: { secretName: pw } }
    - { name: data, emptyDir: {} }
  pipelineSpec:
    tasks:
      - name: a
        workspaces: [{ name: data }]
        taskSpec:
          steps: [{ image: busybox, script: "cat $(workspaces.vault.path)/p > $(workspaces.data.path)/x; ls $(workspaces.nope.path)" }]
      - { name: b, taskRef: { name: t }, workspaces: [{ name: out, workspace: data }] }
`, { tasks });
    w.reconcile();
    const a = w.run('pr-a');
    expect(a.spec.workspaces).toEqual([{ name: 'data', emptyDir: {} }, { name: 'vault', secret: { secretName: 'pw' } }]);
    expect(a.spec.taskSpec?.workspaces).toEqual([{ name: 'data' }, { name: 'vault' }]);
    expect(w.run('pr-b').spec.workspaces).toEqual([{ name: 'out', emptyDir: {} }]);
  });
});
