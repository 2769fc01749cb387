/**
 * pods/exec and pods/attach refusals of the embedded API server, before any upgrade (so that kubectl prints them):
 * authentication, a plain request, unknown sub-protocols, missing or finished pods, unknown containers, and a
 * server that runs no pods. The streaming itself is tested against a real kubelet in test/e2e/kubectl-exec.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestServer, type TestServer } from './helpers.js';

let srv: TestServer;

beforeAll(async () => {
  srv = await startTestServer();
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'busybox' }] } };
  await srv.request('POST', '/api/v1/namespaces/default/pods', pod);
  await srv.request('POST', '/api/v1/namespaces/default/pods', { ...pod, metadata: { name: 'done' } });
  await srv.request('PATCH', '/api/v1/namespaces/default/pods/done/status', { status: { phase: 'Succeeded' } }, { 'Content-Type': 'application/merge-patch+json' });
});
afterAll(async () => srv?.close());

/** Tries a WebSocket exec; answers the HTTP status and Status message of the refusal. */
function refusal(path: string, opts: { token?: string; protocols?: string[] } = {}): Promise<{ status: number; message: string }> {
  const url = `${srv.api.url.replace('https:', 'wss:')}${path}`;
  const token = opts.token ?? srv.api.token;
  const ws = new WebSocket(url, opts.protocols ?? ['v5.channel.k8s.io'], { headers: { Authorization: `Bearer ${token}` }, ca: srv.api.ca });
  return new Promise((resolve, reject) => {
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (b: Buffer) => { body += b.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, message: (JSON.parse(body) as { message: string }).message }));
    });
  });
}

const exec = (pod: string, q: string): string => `/api/v1/namespaces/default/pods/${pod}/exec?${q}`;

describe('pods/exec and pods/attach refusals', () => {
  it('needs the token and an upgrade', async () => {
    expect((await refusal(exec('p', 'command=true&container=a&stdout=true'), { token: 'wrong' })).status).toBe(401);
    const plain = await srv.request('POST', exec('p', 'command=true&container=a&stdout=true'));
    expect(plain.status).toBe(400);
    expect(plain.json().message).toBe('Upgrade request required');
  });

  it('checks the request against the pod as kube-apiserver does', async () => {
    expect(await refusal(exec('nope', 'command=true&stdout=true'))).toEqual({ status: 404, message: 'pods "nope" not found' });
    expect(await refusal(exec('p', 'command=true&stdout=true'))).toEqual({ status: 400, message: 'a container name must be specified for pod p, choose one of: [a b]' });
    expect(await refusal(exec('p', 'command=true&container=z&stdout=true'))).toEqual({ status: 400, message: 'container z is not valid for pod p' });
    expect(await refusal(exec('p', 'container=a&stdout=true'))).toEqual({ status: 400, message: 'you must specify at least one command for the container' });
    expect(await refusal(exec('p', 'command=true&container=a'))).toEqual({ status: 400, message: 'you must specify at least 1 of stdin, stdout, stderr' });
    expect(await refusal(exec('done', 'command=true&container=a&stdout=true'))).toEqual({ status: 400, message: 'cannot exec into a container in a completed pod; current phase is Succeeded' });
    expect(await refusal('/api/v1/namespaces/default/pods/done/attach?container=a&stdout=true')).toEqual({ status: 400, message: 'cannot attach a container in a completed pod; current phase is Succeeded' });
  });

  it('refuses sub-protocols it does not speak, and says when no node runs the pods', async () => {
    const old = await refusal(exec('p', 'command=true&container=a&stdout=true'), { protocols: ['v3.channel.k8s.io'] });
    expect(old).toEqual({ status: 400, message: 'none of the offered sub-protocols is served: this server speaks v5.channel.k8s.io, v4.channel.k8s.io' });
    const noNode = await refusal(exec('p', 'command=true&container=a&stdout=true'));
    expect(noNode).toEqual({ status: 400, message: 'this API server runs no pods: exec needs the embedded kubelet (tkt up)' });
    const viaKubectl = await srv.kubectl(['exec', 'p', '-c', 'a', '--', 'true']);
    expect(viaKubectl.code).not.toBe(0);
    expect(viaKubectl.stderr).toContain('this API server runs no pods');
  });

  it('lists pods/exec and pods/attach in discovery', async () => {
    const list = (await srv.request('GET', '/api/v1')).json() as { resources: { name: string; kind: string; verbs: string[] }[] };
    expect(list.resources.find((r) => r.name === 'pods/exec')).toMatchObject({ kind: 'PodExecOptions', verbs: ['create', 'get'] });
    expect(list.resources.find((r) => r.name === 'pods/attach')).toMatchObject({ kind: 'PodAttachOptions', verbs: ['create', 'get'] });
  });
});
