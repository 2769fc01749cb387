/**
 * Artifacts (alpha) in a TaskRun's status: the provenance JSON a step wrote to `$(step.artifacts.path)`
 * (termination entry type 5) becomes the step's `inputs`/`outputs`; the Task's `$(artifacts.path)` (type 6)
 * and every step's artifacts merge into `status.artifacts` with Tekton's Artifacts.Merge rules (values
 * de-duplicated per name; an output's buildOutput sticks once set).
 */
import type { Artifact, ArtifactValue, Artifacts } from '../../api/types.js';

/** Parses a provenance file's JSON; undefined when it is not an artifacts object. */
export function parseArtifacts(text: string): Artifacts | undefined {
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
    const o = v as Record<string, unknown>;
    const list = (x: unknown): Artifact[] | undefined => (Array.isArray(x) ? (x.filter((a) => a && typeof a === 'object') as Artifact[]) : undefined);
    const out: Artifacts = {};
    const inputs = list(o.inputs);
    const outputs = list(o.outputs);
    if (inputs) out.inputs = inputs;
    if (outputs) out.outputs = outputs;
    return out;
  } catch {
    return undefined;
  }
}

const same = (a: ArtifactValue, b: ArtifactValue): boolean => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));

function sortKeys(v: ArtifactValue): unknown {
  const digest = v.digest ? Object.fromEntries(Object.entries(v.digest).sort(([a], [b]) => a.localeCompare(b))) : undefined;
  return { digest, uri: v.uri };
}

function mergeList(into: Artifact[], more: readonly Artifact[] | undefined, outputs: boolean): Artifact[] {
  const byName = new Map<string, Artifact>(into.map((a) => [a.name ?? '', { ...a, values: [...(a.values ?? [])] }]));
  for (const a of more ?? []) {
    const name = a.name ?? '';
    const cur = byName.get(name) ?? { name, values: [] };
    if (outputs && a.buildOutput) cur.buildOutput = true;
    for (const v of a.values ?? []) if (!(cur.values ?? []).some((x) => same(x, v))) cur.values = [...(cur.values ?? []), v];
    byName.set(name, cur);
  }
  return [...byName.values()];
}

/** Tekton's Artifacts.Merge: `more` folded into `base` (a new object). */
export function mergeArtifacts(base: Artifacts | undefined, more: Artifacts | undefined): Artifacts {
  const inputs = mergeList(base?.inputs ?? [], more?.inputs, false);
  const outputs = mergeList(base?.outputs ?? [], more?.outputs, true);
  const out: Artifacts = {};
  if (inputs.length > 0) out.inputs = inputs;
  if (outputs.length > 0) out.outputs = outputs;
  return out;
}
