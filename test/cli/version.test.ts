/** `tkt version`, as `tkn version`: client, then the cluster's Pipelines and Triggers versions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TKT_VERSION } from '../../src/cli/version.js';
import { tkt } from './helpers/io.js';
import { startCliServer, type CliTestServer } from './helpers/server.js';

let srv: CliTestServer;
beforeAll(async () => {
  srv = await startCliServer();
});
afterAll(async () => srv?.close());

describe('tkt version', () => {
  it('names the client, the server, and the Tekton API versions a tektite server serves', async () => {
    const r = await tkt(['version', '--kubeconfig', srv.kubeconfig]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([
      `Client version: ${TKT_VERSION}`,
      'Kubernetes version: v1.32.0-tektite',
      'Pipeline version: tektite (serves tekton.dev/v1, tekton.dev/v1beta1, tekton.dev/v1alpha1)',
      'Triggers version: tektite (serves triggers.tekton.dev/v1beta1, triggers.tekton.dev/v1alpha1)',
      '',
    ].join('\n'));
  });

  it('reads pipelines-info / triggers-info of the namespace like tkn (-n to look elsewhere)', async () => {
    await srv.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pipes' } });
    await srv.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pipelines-info', namespace: 'pipes' }, data: { version: 'v0.68.0' } } as never);
    const r = await tkt(['version', '-n', 'pipes', '--component', 'pipeline', '--kubeconfig', srv.kubeconfig]);
    expect(r.stdout).toBe('v0.68.0\n');
    const t = await tkt(['version', '-n', 'pipes', '--component', 'triggers', '--kubeconfig', srv.kubeconfig]);
    expect(t.stdout).toMatch(/^tektite \(serves triggers/);
  });

  it('--client needs no cluster; an unknown component is a usage error', async () => {
    expect((await tkt(['version', '--client'], { env: {} })).stdout).toBe(`${TKT_VERSION}\n`);
    const bad = await tkt(['version', '--component', 'dashboardx', '--kubeconfig', srv.kubeconfig]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown component "dashboardx"');
  });

  it('still prints the client version when the cluster cannot be reached', async () => {
    const r = await tkt(['version', '--kubeconfig', '/nonexistent/kubeconfig']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Client version: ${TKT_VERSION.replace(/\./g, '\\.')}\nPipeline version: unknown \\(cannot load kubeconfig`));
  });
});
