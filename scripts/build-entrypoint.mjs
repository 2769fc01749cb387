// Builds the static step helper (src/entrypoint/*.c) into dist/entrypoint/entrypoint.
// Uses musl-gcc when present (34 kB binary), else cc -static (glibc, ~700 kB). Both run in shell-less images.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'src', 'entrypoint');
const out = join(root, 'dist', 'entrypoint', 'entrypoint');
if (!existsSync(srcDir)) { console.log('no src/entrypoint: nothing to build'); process.exit(0); }
const sources = readdirSync(srcDir).filter((f) => f.endsWith('.c')).map((f) => join(srcDir, f));

function has(cmd) {
  try { execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }); return true; } catch { return false; }
}

const newest = Math.max(...sources.map((s) => statSync(s).mtimeMs), ...readdirSync(srcDir).filter((f) => f.endsWith('.h')).map((f) => statSync(join(srcDir, f)).mtimeMs));
if (existsSync(out) && statSync(out).mtimeMs >= newest && !process.argv.includes('--force')) process.exit(0);
mkdirSync(dirname(out), { recursive: true });
const cc = process.env.CC ?? (has('musl-gcc') ? 'musl-gcc' : 'cc');
const NEEDS = `tektite needs a C compiler to build its step helper (a static binary, src/entrypoint), and bubblewrap
to run steps on this machine (podman is optional, for real container images). On Debian or Ubuntu:
    sudo apt-get install -y musl-tools bubblewrap        # or: gcc libc6-dev instead of musl-tools
then run npm ci again (or CC=/path/to/cc npm ci).`;
if (!has(cc)) {
  console.error(`\nCannot build the step helper: no C compiler "${cc}" found.\n${NEEDS}\n`);
  process.exit(1);
}
try {
  execFileSync(cc, ['-static', '-Os', '-s', '-Wall', '-Wextra', '-o', out, ...sources], { stdio: 'inherit' });
} catch {
  console.error(`\nCannot build the step helper with "${cc} -static" (see the compiler's message above; a static libc is needed).\n${NEEDS}\n`);
  process.exit(1);
}
console.log(`built ${out} with ${cc}`);
