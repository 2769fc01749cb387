/** Sidecar containers `sidecar-<name>`, appended after the steps; not wrapped by the step helper. */
import type { Container, ResourceRequirements, Sidecar, VolumeMount } from '../api/types.js';
import { sidecarContainerName } from '../engine/names.js';
import { SCRIPTS_DIR, VOL, addMounts, implicitMounts } from './layout.js';
import type { PlacedScript } from './scripts.js';

/** What a sidecar container needs besides its own spec. */
export interface SidecarInput {
  index: number;
  script?: PlacedScript;
  resources?: ResourceRequirements;
  workspaceMounts: VolumeMount[];
}

/** Sidecar fields that are not container fields (restartPolicy: sidecars are regular containers here). */
const SIDECAR_ONLY = ['name', 'script', 'workspaces', 'computeResources', 'restartPolicy'];

/** Builds one sidecar container (Tekton fields minus script/workspaces; computeResources → resources). */
export function sidecarContainer(sidecar: Sidecar, s: SidecarInput): Container {
  const rest = structuredClone(sidecar) as Record<string, unknown>;
  for (const key of SIDECAR_ONLY) delete rest[key];
  let c: Container = { name: sidecarContainerName(sidecar.name, s.index), ...rest };
  if (s.script) c.command = [s.script.path];
  if (s.resources) c.resources = s.resources;
  c = addMounts(c, s.workspaceMounts);
  c = addMounts(c, implicitMounts());
  if (s.script) c = addMounts(c, [{ name: VOL.scripts, mountPath: SCRIPTS_DIR, readOnly: true }]);
  return c;
}
