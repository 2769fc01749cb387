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
console.log(`wrote ${files.length} CRDs to ${dir}`);
