/**
 * The real parts of the GitOps CI example: the app and GitOps repositories of examples/gitops-ci/repos as bare
 * repositories served over git smart HTTP on loopback, Debian's docker-registry on loopback with a busybox base
 * image made on this machine, and the checks of the outcome (image in the registry under the commit SHA tag,
 * a new GitOps commit naming the source commit whose kustomization points at that tag).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { baseImageMissing, pushBusyboxBase } from '../catalog/fixtures/base-image.js';
import { git, head, makeBareRepo, show, type BareRepo } from '../catalog/fixtures/git.js';
import { startGitHttp, type GitHttpServer } from '../catalog/fixtures/git-http.js';
import { manifestDigest, registryMissing, startRegistry, tagsOf, type Registry } from '../catalog/fixtures/registry.js';
import { hasCommand, hostRuntimeMissing, repoRoot } from '../catalog/harness.js';

export const IMAGE_NAME = 'registry.example.com/demo-app';
export const KUSTOMIZATION = 'apps/demo/kustomization.yaml';

/** Why the GitOps example cannot run here, or undefined. */
export function gitopsMissing(): string | undefined {
  for (const cmd of ['buildah', 'npm', 'kubectl']) if (!hasCommand(cmd)) return `${cmd} is not installed`;
  if (process.getuid?.() !== 0) return 'buildah in the host runtime needs root';
  return hostRuntimeMissing() ?? registryMissing() ?? baseImageMissing();
}

function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** The running parts. */
export class GitopsFixture {
  private constructor(
    readonly dir: string, readonly server: GitHttpServer, readonly registry: Registry, readonly base: string,
    readonly app: BareRepo & { commit: string }, readonly gitops: BareRepo & { commit: string },
  ) {}

  static async start(): Promise<GitopsFixture> {
    const dir = mkdtempSync(join(tmpdir(), 'tkt-gitops-ci-'));
    const examples = join(repoRoot, 'examples', 'gitops-ci', 'repos');
    const app = makeBareRepo(dir, 'demo-app', filesOf(join(examples, 'app')));
    const gitops = makeBareRepo(dir, 'demo-gitops', filesOf(join(examples, 'gitops')));
    const server = await startGitHttp(dir);
    const registry = await startRegistry(dir);
    const base = await pushBusyboxBase(registry.host);
    return new GitopsFixture(dir, server, registry, base, app, gitops);
  }

  get appUrl(): string {
    return `${this.server.url}/demo-app.git`;
  }

  get gitopsUrl(): string {
    return `${this.server.url}/demo-gitops.git`;
  }

  /** The loopback ports the pipeline's steps reach (git server, registry): `--host-port`s of tkt run/up. */
  get hostPorts(): number[] {
    return [Number(new URL(this.server.url).port), Number(this.registry.host.split(':')[1])];
  }

  /** tkt run flags the example needs on the host runtime: its loopback servers, and buildah's privileged step. */
  get runFlags(): string[] {
    return [...this.hostPorts.flatMap((p) => ['--host-port', String(p)]), '--allow-privileged'];
  }

  get imageRepo(): string {
    return `${this.registry.host}/demo-app`;
  }

  /** Params of the gitops-ci Pipeline for these parts. */
  params(): Record<string, string> {
    return { 'app-repo-url': this.appUrl, 'gitops-repo-url': this.gitopsUrl, 'image-repo': this.imageRepo, 'base-image': this.base, 'tls-verify': 'false' };
  }

  /** Asserts the outcome of a run that built `commit` of the app. */
  async expectDeployed(commit: string): Promise<void> {
    expect(await tagsOf(this.registry.host, 'demo-app')).toContain(commit);
    expect(await manifestDigest(this.registry.host, 'demo-app', commit)).toMatch(/^sha256:/);
    const bump = head(this.gitops);
    expect(git(this.gitops.path, 'rev-parse', `${bump}~1`)).toBe(this.gitops.commit);
    expect(git(this.gitops.path, 'log', '-1', '--format=%B', bump)).toContain(commit);
    const k = parse(show(this.gitops, bump, KUSTOMIZATION)) as { images: Array<Record<string, string>> };
    expect(k.images).toEqual([{ name: IMAGE_NAME, newTag: commit, newName: this.imageRepo }]);
  }

  async close(): Promise<void> {
    await this.server.close();
    await this.registry.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
