/**
 * Static checks of the Dockerfile (no container engine can build it here: the base images cannot be pulled):
 * every file it copies exists and survives .dockerignore, the runtime stage runs non-root, the entry point is
 * the compiled CLI and the helper lands where the pod builder's `prepare` container runs it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELPER_SOURCE } from '../../src/pod/layout.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const ignore = fs.readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const stages = dockerfile.split(/^FROM /m).slice(1);
const runtime = stages.at(-1) ?? '';

/** Whether .dockerignore lets `file` into the build context (its `*` + `!path` allow-list form). */
function inContext(file: string): boolean {
  let included = true;
  for (const rule of ignore) {
    const neg = rule.startsWith('!');
    const pat = (neg ? rule.slice(1) : rule).replace(/\/$/, '');
    const re = new RegExp(`^${pat.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\//g, '(.*/)?').replace(/\*/g, '[^/]*')}(/.*)?$`);
    if (pat === '*' || re.test(file)) included = neg;
  }
  return included;
}

describe('Dockerfile', () => {
  it('builds in a node stage with musl and runs in a slim, non-root node stage', () => {
    expect(stages).toHaveLength(2);
    expect(stages[0]).toMatch(/^node:\$\{NODE_VERSION\}-bookworm AS build/);
    expect(stages[0]).toContain('musl-tools');
    expect(stages[0]).toContain('npx tsc -p tsconfig.build.json');
    expect(stages[0]).toContain('node scripts/build-entrypoint.mjs');
    expect(runtime).toMatch(/^node:\$\{NODE_VERSION\}-bookworm-slim/);
    expect(runtime).toMatch(/^USER 65532:65532$/m);
  });

  it('starts the compiled CLI with `controller` by default and ships the helper where prepare runs it', () => {
    const build = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as { compilerOptions: { rootDir: string; outDir: string } };
    expect(build.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    expect(fs.existsSync(path.join(root, 'src', 'cli', 'main.ts'))).toBe(true);
    expect(runtime).toContain('ENTRYPOINT ["node", "/app/dist/cli/main.js"]');
    expect(runtime).toContain('CMD ["controller"]');
    expect(runtime).toContain(`/src/dist/entrypoint/entrypoint ${HELPER_SOURCE}`);
  });

  it('copies only files that exist and are in the build context', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    expect(sources.length).toBeGreaterThan(3);
    for (const src of sources) {
      expect(fs.existsSync(path.join(root, src)), src).toBe(true);
      expect(inContext(src), `${src} is excluded by .dockerignore`).toBe(true);
    }
    expect(inContext('src/cli/main.ts')).toBe(true);
    expect(inContext('src/pod/build.test.ts')).toBe(false);
    expect(inContext('node_modules/yaml/package.json')).toBe(false);
    expect(inContext('.git/config')).toBe(false);
  });
});
