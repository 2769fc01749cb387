// Writes release.yaml: everything `kubectl apply -k config/` installs, as one file for `kubectl apply -f`, like
// Tekton's release.yaml. The documents come in config/kustomization.yaml's order (the CRDs where it names ../crds,
// in crds/Kustomization's order); config/ has no kustomize transformers, so the content is the same.
// Run: npm run gen:release (`--print` writes it to stdout; test/cluster/release.test.ts checks the file is current).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The resource files of a kustomization directory, expanded through nested kustomization directories. */
function files(dir, kustomization) {
  const k = parse(readFileSync(join(dir, kustomization), 'utf8'));
  const out = [];
  for (const r of k.resources ?? []) {
    if (r.endsWith('.yaml')) out.push(join(dir, r));
    else out.push(...files(join(dir, r), 'Kustomization'));
  }
  return out;
}

export function releaseText() {
  const docs = files(join(root, 'config'), 'kustomization.yaml').map((f) => {
    const text = readFileSync(f, 'utf8').replace(/^---\n/, '').trimEnd();
    return `# Source: ${f.slice(root.length + 1)}\n${text}`;
  });
  const header = '# tektite release: `kubectl apply -f release.yaml` installs what `kubectl apply -k config/` does.\n' +
    '# Generated from config/ by `npm run gen:release`; do not edit.\n';
  return `${header}---\n${docs.join('\n---\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--print')) process.stdout.write(releaseText());
  else {
    writeFileSync(join(root, 'release.yaml'), releaseText());
    console.log('wrote release.yaml');
  }
}
