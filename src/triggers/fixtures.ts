/**
 * Test support for the sink's tests over real HTTP: an EventListener whose one trigger binds `body.v` into a
 * ConfigMap, and a request handler served on 127.0.0.1 (a free port) until closed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import type { KubeObject } from '../api/types.js';

/** EventListener `default/el`: trigger `t` binds `$(body.v)` and creates a ConfigMap `cm-…` carrying it. */
export const VALUE_EL: KubeObject = {
  apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name: 'el', namespace: 'default', uid: 'u' },
  spec: { triggers: [{ name: 't', bindings: [{ name: 'v', value: '$(body.v)' }], template: { spec: { params: [{ name: 'v' }], resourcetemplates: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cm-' }, data: { v: '$(tt.params.v)' } }] } } }] },
};

/** A local server of `handler`; `close` drops open connections and waits for the server to end. */
export async function serveLocal(handler: http.RequestListener): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Serves `handler` for the whole test file (started before its tests, closed after them; `beforeClose` runs first,
 * e.g. to release answers still waiting). `port` is readable once the tests run.
 */
export function serveDuringFile(handler: http.RequestListener, beforeClose?: () => void): { readonly port: number } {
  let local: Awaited<ReturnType<typeof serveLocal>> | undefined;
  beforeAll(async () => {
    local = await serveLocal(handler);
  });
  afterAll(async () => {
    beforeClose?.();
    await local?.close();
  });
  return { get port() { return local?.port ?? 0; } };
}
