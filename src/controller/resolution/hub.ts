/**
 * The `hub` resolver, answered from this repository's catalog (`<catalogDir>/<kind>/<name>/<version>/<name>.yaml`)
 * instead of a remote hub. Params: `name` (required), `version` (optional: `0.9`, `0.9.0` or a constraint such as
 * `>= 0.5.0`; absent = the latest by semantic version), `kind` (task|pipeline), `catalog` and `type` (ignored).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { kindParam, paramOf, requiredParam } from './params.js';
import { parseConstraint, pickVersion } from './semver.js';
import type { ResolvedData, Resolver, ResolveRequest, ResolverContext } from './types.js';
import { ResolutionError } from './types.js';

const SAFE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function versionsIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
}

/** Reads the chosen version of a catalog entry. */
async function resolveHub(req: ResolveRequest, ctx: ResolverContext): Promise<ResolvedData> {
  const name = requiredParam(req, 'name');
  const kind = kindParam(req);
  if (kind === 'stepaction') throw new ResolutionError('the hub resolver serves tasks and pipelines only');
  if (!SAFE_NAME.test(name)) throw new ResolutionError(`"${name}" is not a valid catalog name`);
  const dir = join(ctx.config.catalogDir, kind, name);
  if (!existsSync(dir)) throw new ResolutionError(`no ${kind} "${name}" in the catalog`);
  const available = versionsIn(dir);
  const wanted = paramOf(req, 'version');
  const constraint = wanted === undefined ? undefined : parseConstraint(wanted);
  if (wanted !== undefined && !constraint) throw new ResolutionError(`version "${wanted}" is neither a version nor a constraint`);
  const version = pickVersion(available, constraint);
  if (!version) {
    throw new ResolutionError(`${kind} "${name}" has no version ${wanted === undefined ? '' : `matching "${wanted}" `}in the catalog (available: ${available.join(', ') || 'none'})`);
  }
  const file = join(dir, version, `${name}.yaml`);
  if (!existsSync(file)) throw new ResolutionError(`catalog entry ${kind}/${name}/${version} has no ${name}.yaml`);
  const data = readFileSync(file, 'utf8');
  return {
    data,
    source: { uri: `catalog://${kind}/${name}/${version}`, digest: { sha256: createHash('sha256').update(data).digest('hex') }, entryPoint: `${kind}/${name}/${version}/${name}.yaml` },
  };
}

/** The hub resolver (local catalog). */
export const hubResolver: Resolver = { name: 'hub', resolve: resolveHub };
