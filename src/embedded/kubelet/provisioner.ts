/**
 * The local volume provisioner: every PersistentVolumeClaim is bound to a directory
 * `<dataDir>/pv/<namespace>/<claim>`. Binding creates a PersistentVolume `pvc-<claim uid>` (hostPath, reclaim
 * policy Delete, claimRef), sets the claim's spec.volumeName and status.phase Bound. Claims are bound as soon as
 * they are seen (watch) or on first use by a pod; a deleted claim's directory and PersistentVolume are removed.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { KubeObject, PersistentVolumeClaim } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import { isAlreadyExists, isNotFound } from '../../kube/errors.js';
import { ConfigError } from './sources.js';
import type { KubeletLogger } from './types.js';

const PVC = { apiVersion: 'v1', kind: 'PersistentVolumeClaim' };
const PV = { apiVersion: 'v1', kind: 'PersistentVolume' };

type Claim = PersistentVolumeClaim & KubeObject;

/** Binds claims to host directories. */
export class LocalProvisioner {
  private readonly binding = new Map<string, Promise<void>>();

  constructor(private readonly client: KubeClient, private readonly dataDir: string, private readonly log: KubeletLogger) {}

  /** The host directory of a claim. */
  dirOf(namespace: string, claim: string): string {
    return path.join(this.dataDir, 'pv', encodeURIComponent(namespace), encodeURIComponent(claim));
  }

  /** Binds the claim if needed and answers its directory; ConfigError when the claim does not exist (yet). */
  async claimDir(namespace: string, claim: string): Promise<string> {
    const pvc = await this.client.tryGet<Claim>(PVC, namespace, claim);
    if (!pvc) throw new ConfigError(`persistentvolumeclaim "${claim}" not found`);
    await this.bind(pvc);
    return this.dirOf(namespace, claim);
  }

  /** Binds a claim (idempotent, one at a time per claim). */
  bind(pvc: Claim): Promise<void> {
    const key = `${pvc.metadata.namespace ?? ''}/${pvc.metadata.name ?? ''}/${pvc.metadata.uid ?? ''}`;
    let p = this.binding.get(key);
    if (!p) {
      p = this.doBind(pvc);
      p.catch(() => this.binding.delete(key));
      this.binding.set(key, p);
    }
    return p;
  }

  private async doBind(pvc: Claim): Promise<void> {
    const ns = pvc.metadata.namespace ?? 'default';
    const name = pvc.metadata.name ?? '';
    const dir = this.dirOf(ns, name);
    await mkdir(dir, { recursive: true, mode: 0o777 });
    if (pvc.status?.phase === 'Bound' && pvc.spec?.volumeName) return;
    const pvName = pvc.spec?.volumeName || `pvc-${pvc.metadata.uid ?? name}`;
    await this.createVolume(pvc, pvName, dir);
    if (!pvc.spec?.volumeName) await this.client.patch(PVC, ns, name, { spec: { volumeName: pvName } });
    const capacity = { storage: pvc.spec?.resources?.requests?.storage ?? '1Gi' };
    await this.client.patch(PVC, ns, name, { status: { phase: 'Bound', accessModes: pvc.spec?.accessModes ?? ['ReadWriteOnce'], capacity } }, { status: true });
  }

  private async createVolume(pvc: Claim, pvName: string, dir: string): Promise<void> {
    const pv: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: pvName, annotations: { 'pv.kubernetes.io/provisioned-by': 'tektite.dev/local' } },
      spec: {
        capacity: { storage: pvc.spec?.resources?.requests?.storage ?? '1Gi' },
        accessModes: pvc.spec?.accessModes ?? ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Delete',
        ...(pvc.spec?.storageClassName ? { storageClassName: pvc.spec.storageClassName } : {}),
        hostPath: { path: dir, type: 'DirectoryOrCreate' },
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid },
      },
    };
    try {
      await this.client.create(pv);
      await this.client.patch(PV, undefined, pvName, { status: { phase: 'Bound' } }, { status: true }).catch(() => undefined);
    } catch (err) {
      if (!isAlreadyExists(err)) this.log.warn(`kubelet: provisioner: PersistentVolume ${pvName}: ${(err as Error).message}`);
    }
  }

  /** A claim was deleted: its directory and PersistentVolume go. */
  async release(pvc: Claim): Promise<void> {
    const ns = pvc.metadata.namespace ?? 'default';
    const name = pvc.metadata.name ?? '';
    for (const key of this.binding.keys()) if (key.startsWith(`${ns}/${name}/`)) this.binding.delete(key);
    await rm(this.dirOf(ns, name), { recursive: true, force: true });
    const pvName = pvc.spec?.volumeName || `pvc-${pvc.metadata.uid ?? name}`;
    await this.client.delete(PV, undefined, pvName).catch((err: unknown) => {
      if (!isNotFound(err)) this.log.warn(`kubelet: provisioner: delete PersistentVolume ${pvName}: ${(err as Error).message}`);
    });
  }

  /** After a (re)list: binds every unbound claim and removes directories of claims that no longer exist. */
  async sync(items: Claim[]): Promise<void> {
    const live = new Set(items.map((p) => `${encodeURIComponent(p.metadata.namespace ?? 'default')}/${encodeURIComponent(p.metadata.name ?? '')}`));
    const root = path.join(this.dataDir, 'pv');
    for (const ns of await readdir(root).catch(() => [] as string[])) {
      for (const claim of await readdir(path.join(root, ns)).catch(() => [] as string[])) {
        if (!live.has(`${ns}/${claim}`)) await rm(path.join(root, ns, claim), { recursive: true, force: true });
      }
    }
    for (const p of items) if (!p.metadata.deletionTimestamp) this.bindQuietly(p);
  }

  /** Binds in the background, logging failures. */
  bindQuietly(pvc: Claim): void {
    this.bind(pvc).catch((err: unknown) => this.log.warn(`kubelet: provisioner: bind ${pvc.metadata.namespace ?? ''}/${pvc.metadata.name ?? ''}: ${(err as Error).message}`));
  }
}
