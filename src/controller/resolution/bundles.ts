/**
 * The `bundles` resolver: a Task, Pipeline or StepAction from a Tekton bundle, an OCI image whose layers each
 * hold one object in a tar archive and carry the annotations `dev.tekton.image.apiVersion`, `.kind` and `.name`.
 * Params: `bundle` (image reference, required), `name` (required), `kind` (default: what the reference expects),
 * `secret` (optional docker config Secret — `.dockerconfigjson` or `.dockercfg` — in the run's namespace), `cache`.
 */
import { kindParam, paramOf, requiredParam } from './params.js';
import type { Credentials, ImageRef } from './oci.js';
import { RegistryClient, parseImageRef } from './oci.js';
import { secretValue } from './secrets.js';
import { maybeGunzip, readTar } from './tar.js';
import type { ResolvedData, Resolver, ResolveRequest, ResolverContext } from './types.js';
import { ResolutionError } from './types.js';

export const KIND_ANNOTATION = 'dev.tekton.image.kind';
export const NAME_ANNOTATION = 'dev.tekton.image.name';
export const API_VERSION_ANNOTATION = 'dev.tekton.image.apiVersion';

interface Layer {
  digest: string;
  mediaType?: string;
  annotations?: Record<string, string>;
}

type AuthEntry = { auth?: string; username?: string; password?: string };

function credentialsFor(config: string, registry: string): Credentials | undefined {
  let parsed: { auths?: Record<string, AuthEntry> } & Record<string, AuthEntry>;
  try {
    parsed = JSON.parse(config) as typeof parsed;
  } catch {
    throw new ResolutionError('the registry secret does not hold valid JSON');
  }
  const auths = (parsed.auths ?? parsed) as Record<string, AuthEntry>;
  const hosts = registry === 'docker.io' ? ['docker.io', 'index.docker.io', 'registry-1.docker.io'] : [registry];
  for (const [key, entry] of Object.entries(auths)) {
    const host = key.replace(/^https?:\/\//, '').split('/')[0];
    if (!host || !hosts.includes(host)) continue;
    if (entry.username !== undefined && entry.password !== undefined) return { username: entry.username, password: entry.password };
    if (entry.auth) {
      const plain = Buffer.from(entry.auth, 'base64').toString('utf8');
      const i = plain.indexOf(':');
      if (i > 0) return { username: plain.slice(0, i), password: plain.slice(i + 1) };
    }
  }
  return undefined;
}

async function credentials(req: ResolveRequest, ctx: ResolverContext, ref: ImageRef): Promise<Credentials | undefined> {
  const secret = paramOf(req, 'secret');
  if (!secret) return undefined;
  const config = await secretValue(ctx.client, req.namespace, secret, '.dockerconfigjson')
    .catch(() => secretValue(ctx.client, req.namespace, secret, '.dockercfg'));
  return credentialsFor(config, ref.registry);
}

const normKind = (k: string | undefined): string => (k ?? '').toLowerCase().replace(/s$/, '');

function pickLayer(layers: Layer[], kind: string, name: string, bundle: string): Layer {
  const match = layers.find((l) => normKind(l.annotations?.[KIND_ANNOTATION]) === kind && l.annotations?.[NAME_ANNOTATION] === name);
  if (match) return match;
  const held = layers.map((l) => `${normKind(l.annotations?.[KIND_ANNOTATION]) || '?'}/${l.annotations?.[NAME_ANNOTATION] ?? '?'}`);
  throw new ResolutionError(`no ${kind} "${name}" in bundle ${bundle} (it holds: ${held.join(', ') || 'nothing'})`);
}

function parseManifest(body: Buffer, mediaType: string, bundle: string): Layer[] {
  let m: { mediaType?: string; layers?: Layer[]; manifests?: unknown };
  try {
    m = JSON.parse(body.toString('utf8')) as typeof m;
  } catch {
    throw new ResolutionError(`the manifest of ${bundle} is not JSON`);
  }
  if (m.manifests !== undefined || /index|list/.test(m.mediaType ?? mediaType)) throw new ResolutionError(`${bundle} is an image index; a Tekton bundle is a single image manifest`);
  return m.layers ?? [];
}

/** Fetches the object from the bundle. */
async function resolveBundle(req: ResolveRequest, ctx: ResolverContext): Promise<ResolvedData> {
  const bundle = requiredParam(req, 'bundle');
  const name = requiredParam(req, 'name');
  const kind = kindParam(req);
  const ref = parseImageRef(bundle);
  const client = new RegistryClient(ref, await credentials(req, ctx, ref), ctx.config.timeoutMs);
  const manifest = await client.manifest();
  if (ref.digest && manifest.digest !== ref.digest) throw new ResolutionError(`digest mismatch: ${bundle} has manifest digest ${manifest.digest}`);
  const layer = pickLayer(parseManifest(manifest.body, manifest.mediaType, bundle), kind, name, bundle);
  let files;
  try {
    files = readTar(maybeGunzip(await client.blob(layer.digest)));
  } catch (err) {
    if (err instanceof ResolutionError) throw err;
    throw new ResolutionError(`layer ${layer.digest} of ${bundle} is not a (gzipped) tar archive: ${err instanceof Error ? err.message : String(err)}`);
  }
  const file = files.find((f) => f.name === name) ?? (files.length === 1 ? files[0] : undefined);
  if (!file) throw new ResolutionError(`layer ${layer.digest} of ${bundle} holds ${files.length} files; expected one named "${name}"`);
  return {
    data: file.data.toString('utf8'),
    source: { uri: bundle, digest: { sha256: manifest.digest.slice('sha256:'.length) }, entryPoint: name },
    immutable: ref.digest !== undefined,
  };
}

/** The bundles resolver. */
export const bundlesResolver: Resolver = { name: 'bundles', resolve: resolveBundle };
