/**
 * Writes crds/<group>_<plural>.yaml from the zod schemas (see src/api/crd.ts). Run: `npx tsx scripts/gen-crds.ts`
 * (or `npm run gen:crds`). Files of kinds no longer in the registry are removed.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCrds } from '../src/api/crd.js';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../crds');
mkdirSync(dir, { recursive: true });
const files = generateCrds();
const keep = new Set(files.map((f) => f.name));
for (const old of readdirSync(dir)) {
  if (old.endsWith('.yaml') && !keep.has(old)) rmSync(join(dir, old));
}
for (const f of files) writeFileSync(join(dir, f.name), f.text);
// crds/Kustomization lists the CRDs so config/kustomization.yaml can include them (kustomize reads files outside
// its root only through a kustomization directory); no extension, so `kubectl apply -f crds/` skips it.
const header = [
  '# Lets config/kustomization.yaml include these CRDs (kustomize loads files outside its root only through a',
  '# kustomization directory). Named without an extension so that scripts/gen-crds.ts, which prunes stale *.yaml,',
  '# keeps it and `kubectl apply -f crds/` reads only the CRDs;',
  '# test/cluster/config.test.ts checks it lists every CRD file here.',
];
const list = [...keep].sort().map((n) => `  - ${n}`);
writeFileSync(join(dir, 'Kustomization'), [...header, 'apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'resources:', ...list, ''].join('\n'));
console.log(`wrote ${files.length} CRDs to ${dir}`);
