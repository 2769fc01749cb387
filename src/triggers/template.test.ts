import { describe, expect, it } from 'vitest';
import type { TriggerTemplateSpec } from '../api/types.js';
import { applyEventValues, bindingEvent } from './event.js';
import { LABEL_EVENT_ID, LABEL_EVENTLISTENER, LABEL_TRIGGER, renderTemplate, withTriggerLabels } from './template.js';

const spec: TriggerTemplateSpec = {
  params: [{ name: 'rev' }, { name: 'msg' }, { name: 'unbound' }],
  resourcetemplates: [
    {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { generateName: 'run-', labels: { mine: 'yes' } },
      spec: {
        params: [
          { name: 'rev', value: '$(tt.params.rev)' },
          { name: 'msg', value: 'msg: $(tt.params.msg)' },
          { name: 'left', value: '$(tt.params.unbound)' },
          { name: 'id', value: '$(uid)' },
        ],
      },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-$(uid)' }, data: { k: '$(tt.params.rev)' } },
  ],
};

describe('renderTemplate', () => {
  it('substitutes params and one uid per execution, keeps generateName and unbound refs', () => {
    const r = renderTemplate(spec, new Map([['rev', 'abc'], ['msg', 'hello']]), { uid: 'u-1' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [pr, cm] = r.objects;
    expect(pr?.metadata.generateName).toBe('run-');
    expect((pr?.spec as { params: unknown[] }).params).toEqual([
      { name: 'rev', value: 'abc' },
      { name: 'msg', value: 'msg: hello' },
      { name: 'left', value: '$(tt.params.unbound)' },
      { name: 'id', value: 'u-1' },
    ]);
    expect(cm?.metadata.name).toBe('cm-u-1');
  });

  it('keeps quotes and newlines from the payload intact through JSON escaping', () => {
    const ev = bindingEvent({}, { m: 'say "hi"\nnow $(tasks.x.results.y)' }, {}, 'e');
    const value = applyEventValues('$(body.m)', ev);
    const r = renderTemplate(spec, new Map([['rev', value], ['msg', 'x']]), { uid: 'u' });
    expect(r.ok && (r.objects[1]?.data as Record<string, string>).k).toBe('say "hi"\nnow $$(tasks.x.results.y)');
  });

  it('never substitutes again inside inserted values', () => {
    const r = renderTemplate(spec, new Map([['rev', '$(uid) $(tt.params.msg)'], ['msg', 'M']]), { uid: 'U' });
    expect(r.ok && (r.objects[1]?.data as Record<string, string>).k).toBe('$$(uid) $$(tt.params.msg)');
  });

  it('fails clearly when an object is placed inside a string', () => {
    const ev = bindingEvent({}, { o: { a: 1 } }, {}, 'e');
    const r = renderTemplate(spec, new Map([['rev', applyEventValues('$(body.o)', ev)], ['msg', 'x']]), { uid: 'u' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/resourcetemplates\[0\].*not valid JSON/);
  });

  it('old-escape-quotes turns an object into a JSON string', () => {
    const r = renderTemplate(spec, new Map([['rev', '{"a":1}'], ['msg', 'x']]), { uid: 'u', oldEscapeQuotes: true });
    expect(r.ok && (r.objects[1]?.data as Record<string, string>).k).toBe('{"a":1}');
  });

  it('rejects templates without apiVersion/kind or without resourcetemplates', () => {
    expect(renderTemplate({ resourcetemplates: [] }, new Map(), { uid: 'u' }).ok).toBe(false);
    const r = renderTemplate({ resourcetemplates: [{ kind: 'X' }] }, new Map(), { uid: 'u' });
    expect(!r.ok && r.message).toMatch(/no apiVersion/);
  });

  it('adds the Triggers labels over the template labels', () => {
    const r = renderTemplate(spec, new Map(), { uid: 'u' });
    if (!r.ok) throw new Error(r.message);
    const o = withTriggerLabels(r.objects[0]!, { eventListener: 'el', trigger: 't', eventID: 'id' });
    expect(o.metadata.labels).toEqual({ mine: 'yes', [LABEL_EVENTLISTENER]: 'el', [LABEL_TRIGGER]: 't', [LABEL_EVENT_ID]: 'id' });
  });
});
