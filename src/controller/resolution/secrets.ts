/**
 * Secret values named by resolver params (git token, http basic-auth password, registry credentials), read
 * from the run's namespace through the API. A missing Secret or key is a resolution failure; values never
 * appear in messages.
 */
import type { KubeObject } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import { isNotFound } from '../../kube/errors.js';
import { ResolutionError } from './types.js';

const SECRET = { apiVersion: 'v1', kind: 'Secret' };

interface SecretObject extends KubeObject {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** The decoded value of `key` in Secret `name` of `namespace`. */
export async function secretValue(client: KubeClient, namespace: string, name: string, key: string): Promise<string> {
  let secret: SecretObject;
  try {
    secret = await client.get<SecretObject>(SECRET, namespace, name);
  } catch (err) {
    if (isNotFound(err)) throw new ResolutionError(`secret "${name}" not found in namespace "${namespace}"`);
    throw err;
  }
  const encoded = secret.data?.[key];
  if (encoded !== undefined) return Buffer.from(encoded, 'base64').toString('utf8');
  const plain = secret.stringData?.[key];
  if (plain !== undefined) return plain;
  throw new ResolutionError(`secret "${name}" in namespace "${namespace}" has no key "${key}"`);
}
