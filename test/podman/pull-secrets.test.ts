/**
 * imagePullSecrets in the podman and docker runtimes, and creds-init in a real image (embedded mode, real controllers
 * and kubelet). A step image lives only in a docker-registry on loopback that demands htpasswd basic auth. The pull
 * succeeds with the ServiceAccount's imagePullSecrets, and with the TaskRun's podTemplate.imagePullSecrets; the
 * registry refuses anonymous pulls. The docker runtime is the docker CLI against podman's Docker-compatible service
 * (as test/kubelet/docker.test.ts).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/api/types.js';
import { engineAnswers } from '../../src/embedded/kubelet/runtimes/cli.js';
import { startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { registryMissing, startRegistry, type Registry } from '../catalog/fixtures/registry.js';
import { ensureHelper, logsOf, NS, succeeded, waitForRun } from '../integration/helpers.js';
import { buildBusyboxImage, removeImages, run } from './images.js';

const USER = 'puller';
const PASSWORD = 'pull-s3cret';
const SOURCE = `localhost/tektite-pull-src:${process.pid}`;

let world: Embedded | undefined;
let dockerWorld: Embedded | undefined;
let service: ChildProcess | undefined;
let registry: Registry | undefined;
let dir = '';
let skipReason: string | undefined;
const pulled: string[] = [];
const savedConf = process.env.CONTAINERS_REGISTRIES_CONF;

async function setUp(): Promise<string | undefined> {
  if (!(await engineAnswers('podman', 15_000))) return 'podman is missing or `podman info` does not answer';
  if (!run(['sh', '-c', 'command -v htpasswd']).ok) return 'htpasswd is not installed (Debian package apache2-utils)';
  const noRegistry = registryMissing();
  if (noRegistry) return noRegistry;
  const noImage = buildBusyboxImage(SOURCE);
  if (noImage) return noImage;
  dir = mkdtempSync(path.join(tmpdir(), 'tkt-pull-secrets-'));
  const htpasswd = path.join(dir, 'htpasswd');
  writeFileSync(htpasswd, execFileSync('htpasswd', ['-Bbn', USER, PASSWORD]));
  registry = await startRegistry(dir, { htpasswd });
  // the registry speaks plain HTTP: podman (in the test and in the kubelet) reads this registries.conf
  const conf = path.join(dir, 'registries.conf');
  writeFileSync(conf, `[[registry]]\nlocation = "${registry.host}"\ninsecure = true\n`);
  process.env.CONTAINERS_REGISTRIES_CONF = conf;
  for (const repo of ['creds/sa', 'creds/template', 'creds/docker']) {
    const target = `${registry.host}/${repo}:v1`;
    const r = run(['podman', 'push', '--tls-verify=false', '--creds', `${USER}:${PASSWORD}`, SOURCE, `docker://${target}`]);
    if (!r.ok) return `podman push to the test registry failed: ${r.out}`;
    pulled.push(target);
  }
  removeImages(...pulled);
  world = await startEmbedded({ runtime: 'podman', memory: true, eventListeners: false });
  return undefined;
}

beforeAll(async () => {
  ensureHelper();
  skipReason = await setUp();
}, 180_000);

afterAll(async () => {
  await world?.stop();
  await dockerWorld?.stop();
  if (service?.pid) service.kill('SIGTERM');
  delete process.env.DOCKER_HOST;
  await registry?.stop();
  removeImages(SOURCE, ...pulled);
  if (savedConf === undefined) delete process.env.CONTAINERS_REGISTRIES_CONF;
  else process.env.CONTAINERS_REGISTRIES_CONF = savedConf;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function objects(host: string): KubeObject[] {
  const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
  return [
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pullcred', namespace: NS }, type: 'kubernetes.io/dockerconfigjson',
      stringData: { '.dockerconfigjson': JSON.stringify({ auths: { [host]: { auth } } }) } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'puller', namespace: NS }, imagePullSecrets: [{ name: 'pullcred' }] },
  ] as KubeObject[];
}

function taskRun(name: string, image: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name, namespace: NS },
    spec: { ...spec, taskSpec: { steps: [{ name: 'hello', image, command: ['sh', '-c', 'echo pulled with credentials'] }] } },
  } as KubeObject;
}

describe('imagePullSecrets (podman runtime)', () => {
  it('pulls a private image with the ServiceAccount\'s and the podTemplate\'s imagePullSecrets', async (ctx) => {
    if (!world || !registry) {
      console.warn(`SKIP imagePullSecrets podman test: ${skipReason}`);
      return ctx.skip();
    }
    const { client } = world;
    const anonymous = await fetch(`http://${registry.host}/v2/creds/sa/manifests/v1`);
    expect(anonymous.status).toBe(401);
    for (const o of objects(registry.host)) await client.create(o);
    await client.create(taskRun('pull-sa', `${registry.host}/creds/sa:v1`, { serviceAccountName: 'puller' }));
    await client.create(taskRun('pull-template', `${registry.host}/creds/template:v1`, { podTemplate: { imagePullSecrets: [{ name: 'pullcred' }] } }));
    for (const name of ['pull-sa', 'pull-template']) {
      const tr = await waitForRun(client, 'TaskRun', NS, name, { timeoutMs: 150_000 });
      expect(succeeded(tr), JSON.stringify(tr.status)).toMatchObject({ status: 'True' });
      expect(await logsOf(client, NS, `${name}-pod`, 'step-hello')).toBe('pulled with credentials\n');
    }
  }, 240_000);
});

describe('creds-init in a real image (podman runtime)', () => {
  it('copies the ServiceAccount\'s git credentials into $HOME of a busybox step', async (ctx) => {
    if (!world) {
      console.warn(`SKIP creds-init podman test: ${skipReason}`);
      return ctx.skip();
    }
    const { client } = world;
    await client.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'git-basic', namespace: NS, annotations: { 'tekton.dev/git-0': 'https://git.example' } },
      type: 'kubernetes.io/basic-auth', stringData: { username: 'u', password: 'p' } } as KubeObject);
    await client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'git-bot', namespace: NS }, secrets: [{ name: 'git-basic' }] } as KubeObject);
    await client.create({
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'creds-podman', namespace: NS },
      spec: { serviceAccountName: 'git-bot', taskSpec: { steps: [{ name: 'show', image: SOURCE, command: ['sh', '-c', 'echo "$HOME"; cat "$HOME/.git-credentials"'] }] } },
    } as KubeObject);
    const tr = await waitForRun(client, 'TaskRun', NS, 'creds-podman', { timeoutMs: 150_000 });
    expect(succeeded(tr), JSON.stringify(tr.status)).toMatchObject({ status: 'True' });
    expect(await logsOf(client, NS, 'creds-podman-pod', 'step-show')).toBe('/root\nhttps://u:p@git.example\n');
  }, 240_000);
});

/** podman's Docker-compatible service on a socket in the test dir, and an embedded world with the docker runtime. */
async function startDocker(): Promise<string | undefined> {
  if (!run(['docker', '--version']).ok) return 'the docker CLI is missing';
  const url = `unix://${path.join(dir, 'podman.sock')}`;
  service = spawn('podman', ['--runtime', 'runc', 'system', 'service', '--time=0', url], { stdio: 'ignore' });
  process.env.DOCKER_HOST = url;
  for (let i = 0; !(await engineAnswers('docker', 2000)); i++) {
    if (i > 50) return 'podman system service did not answer on its socket';
    await new Promise((r) => setTimeout(r, 100));
  }
  dockerWorld = await startEmbedded({ runtime: 'docker', memory: true, eventListeners: false });
  return undefined;
}

describe('imagePullSecrets (docker runtime)', () => {
  it('pulls a private image with the ServiceAccount\'s imagePullSecrets through DOCKER_CONFIG', async (ctx) => {
    const why = world && registry ? await startDocker() : skipReason;
    if (why || !dockerWorld || !registry) {
      console.warn(`SKIP imagePullSecrets docker test: ${why ?? 'no docker world'}`);
      return ctx.skip();
    }
    const { client } = dockerWorld;
    for (const o of objects(registry.host)) await client.create(o);
    await client.create(taskRun('pull-docker', `${registry.host}/creds/docker:v1`, { serviceAccountName: 'puller' }));
    const tr = await waitForRun(client, 'TaskRun', NS, 'pull-docker', { timeoutMs: 150_000 });
    expect(succeeded(tr), JSON.stringify(tr.status)).toMatchObject({ status: 'True' });
    expect(await logsOf(client, NS, 'pull-docker-pod', 'step-hello')).toBe('pulled with credentials\n');
  }, 240_000);
});
