/**
 * PipelineSpec between tekton.dev/v1beta1 and v1, after Tekton's pipeline_conversion.go: pipeline tasks'
 * embedded task specs converted as TaskSpecs (deprecated step fields stashed under the pipeline task's name),
 * `bundle` refs to the bundles resolver, ParamSpec types defaulted, PipelineResources dropped from the spec
 * (the Pipeline object keeps them in an annotation; validation refuses them on create). Pure.
 */
import type { Annotations } from './util.js';
import { refToV1, paramSpecs, taskSpecFromV1, taskSpecToV1 } from './task.js';
import { isObj, mapKey, mapList, type Obj, omit } from './util.js';

type Dir = 'toV1' | 'fromV1';

function pipelineTask(pt: Obj, dir: Dir, annotations: Annotations | undefined): Obj {
  const taskName = typeof pt.name === 'string' ? pt.name : '';
  const stash = annotations ? { annotations, taskName } : undefined;
  let out = pt;
  if (dir === 'toV1') {
    out = omit(out, ['resources']);
    out = mapKey(out, 'taskRef', (r) => refToV1(r, 'Task'));
    out = mapKey(out, 'pipelineRef', (r) => refToV1(r, 'Pipeline'));
    out = mapKey(out, 'taskSpec', (s) => taskSpecToV1(s, stash));
  } else {
    out = mapKey(out, 'taskSpec', (s) => taskSpecFromV1(s, stash));
  }
  return mapKey(out, 'pipelineSpec', (s) => pipelineSpec(s, dir, annotations));
}

/** Converts a PipelineSpec; `annotations` is the stash of the object being converted (absent for status copies). */
export function pipelineSpec(spec: unknown, dir: Dir, annotations?: Annotations): unknown {
  if (!isObj(spec)) return spec;
  let out = dir === 'toV1' ? omit(spec, ['resources']) : spec;
  out = mapKey(out, 'tasks', (v) => mapList(v, (pt) => pipelineTask(pt, dir, annotations)));
  out = mapKey(out, 'finally', (v) => mapList(v, (pt) => pipelineTask(pt, dir, annotations)));
  return mapKey(out, 'params', paramSpecs);
}
