/** The pure pod builder: TaskRun + resolved TaskSpec + config → Pod (Tekton's pod shape and /tekton layout). */
export { buildPod } from './build.js';
export { mergePodTemplate, withDefaultPodTemplate } from './meta.js';
export type { BuildPodConfig, BuildPodInput, BuildPodResult } from './build.js';
export { builtinImageEntrypoints, imageCommand, repositoryOf } from './image-entrypoints.js';
export type { ImageEntrypoint, ImageEntrypointLookup } from './image-entrypoints.js';
export { DEFAULT_PREAMBLE, withShebang } from './scripts.js';
export { HELPER_BIN, HELPER_SOURCE, READY_ANNOTATION, READY_FILE, TERMINATION_PATH, VOL } from './layout.js';
