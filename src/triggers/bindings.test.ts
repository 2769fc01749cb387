import { describe, expect, it } from 'vitest';
import { mergeBindingParams, resolveParams } from './bindings.js';
import { applyEventValues, bindingEvent, canonicalHeaderKey, canonicalHeaders, canonicalRawHeaders, findExpressions, goJson } from './event.js';
import { JsonPathError } from './jsonpath.js';

const body = {
  a: { b: { c: 'deep' } },
  str: 'he said "hi"\nbye é <tag> & more',
  num: 1503,
  flag: true,
  nil: null,
  obj: { z: 1, a: [1, 'x'] },
  key4: ['value4', 'value5', 'value6'],
  'dev.tekton.dev/foo': 'escaped',
  'a.b': 'quoted',
  changes: [{ ref: { displayId: 'main' } }],
  links: { clone: [{ href: 'http://h/x.git', name: 'http' }, { href: 'ssh://git@h/x.git', name: 'ssh' }] },
  list: [{ x: 'y', w: 'found' }, { x: 'n', w: 'not' }],
};
const headers = canonicalHeaders({ 'x-github-event': ['pull_request'], 'content-type': ['application/json'], two: ['one', 'two', 'three'] });
const event = bindingEvent(headers, body, { truncated_sha: 'abc1234', nested: { k: 'v' } }, 'ev-123');

describe('binding expressions (Kubernetes JSONPath as Tekton renders it)', () => {
  const cases: Array<[string, string]> = [
    ['$(body.a.b.c)', 'deep'],
    ['$(.body.a.b.c)', 'deep'],
    ['$({body.a.b.c})', 'deep'],
    ['$($(body.a.b.c))', 'deep'],
    ['$(body.str)', 'he said \\"hi\\"\\nbye é \\u003ctag\\u003e \\u0026 more'],
    ['$(body.num)', '1503'],
    ['$(body.flag)', 'true'],
    ['$(body.nil)', 'null'],
    ['$(body.obj)', '{"a":[1,"x"],"z":1}'],
    ['$(body.key4[0])', 'value4'],
    ['$(body.key4[-1])', 'value6'],
    ['$(body.key4[-1:])', 'value6'],
    ['$(body.key4[0:2])', '["value4","value5"]'],
    ['$(body.key4[*])', '["value4","value5","value6"]'],
    ['$(body.dev\\.tekton\\.dev\\/foo)', 'escaped'],
    ["$(body['a.b'])", 'quoted'],
    ['$(body.changes[0].ref.displayId)', 'main'],
    ['$(body.links.clone[?(@.name=="ssh")].href)', 'ssh://git@h/x.git'],
    ["$(body.list[?(@.x=='y')].w)", 'found'],
    ['$(body.list[?(@.x=="none")].w)', '[]'],
    ['$(header.X-GitHub-Event)', 'pull_request'],
    ['$(header.x-github-event)', 'pull_request'],
    ['$(header.Two)', 'one,two,three'],
    ['$(header.Content-Type)', 'application/json'],
    ['$(extensions.truncated_sha)', 'abc1234'],
    ['$(extensions.nested.k)', 'v'],
    ['$(context.eventID)', 'ev-123'],
    ['$(body.a.b.c): $(body.num) and $(body.key4[1])', 'deep: 1503 and value5'],
    ['no expressions here', 'no expressions here'],
    ['unterminated $(body.a', 'unterminated $(body.a'],
  ];
  it.each(cases)('%s → %s', (expr, want) => {
    expect(applyEventValues(expr, event)).toBe(want);
  });

  it('renders whole body and header as compact JSON with sorted keys', () => {
    const ev = bindingEvent(canonicalHeaders({ 'header-one': ['val1', 'val2'] }), { b: 1, a: { y: 2, x: 'q' } }, {}, 'e');
    expect(applyEventValues('$(body)', ev)).toBe('{"a":{"x":"q","y":2},"b":1}');
    expect(applyEventValues('$(header)', ev)).toBe('{"Header-One":"val1,val2"}');
    expect(applyEventValues('$(body)', bindingEvent({}, {}, {}, 'e'))).toBe('{}');
  });

  const errors: Array<[string, RegExp]> = [
    ['$(body.missing)', /missing is not found/],
    ['$(body.a.missing.deeper)', /missing is not found/],
    ['$(body.key4[7])', /out of bounds/],
    ['$(header.X-Not-There)', /X-Not-There is not found/],
    ['$(body.num[0])', /not array/],
    ['$(params.x)', /must start with body, header, extensions or context/],
    ['$(extensions.nope)', /nope is not found/],
  ];
  it.each(errors)('%s fails', (expr, want) => {
    expect(() => applyEventValues(expr, event)).toThrow(JsonPathError);
    expect(() => applyEventValues(expr, event)).toThrow(want);
  });

  it('finds expressions by counting parentheses', () => {
    const s = "x $(body.a[?(@.x=='y')].w) y $(body.b)";
    expect(findExpressions(s).map((e) => e.inner)).toEqual(["body.a[?(@.x=='y')].w", 'body.b']);
  });

  it('canonicalises header keys like Go', () => {
    expect(canonicalHeaderKey('x-github-event')).toBe('X-Github-Event');
    expect(canonicalHeaderKey('CONTENT-TYPE')).toBe('Content-Type');
    expect(canonicalHeaderKey('bad key')).toBe('bad key');
    expect(goJson({ b: [true, null], a: 'é<' })).toBe('{"a":"é\\u003c","b":[true,null]}');
  });

  it('canonicalises a raw header list as the lower-cased header map, merging names that differ in case', () => {
    const raw = ['X-GitHub-Event', 'push', 'content-type', 'application/json', 'X-Multi', 'a', 'x-multi', 'b'];
    const distinct = { 'x-github-event': ['push'], 'content-type': ['application/json'], 'x-multi': ['a', 'b'] };
    expect(canonicalRawHeaders(raw)).toEqual(canonicalHeaders(distinct));
    expect(canonicalRawHeaders(raw)).toEqual({ 'X-Github-Event': ['push'], 'Content-Type': ['application/json'], 'X-Multi': ['a', 'b'] });
  });
});

describe('resolveParams', () => {
  const tparams = [{ name: 'rev', default: 'main' }, { name: 'url' }, { name: 'msg', default: 'default message' }];

  it('starts from defaults and overwrites with bound values', () => {
    const r = resolveParams([{ name: 'url', value: '$(body.a.b.c)' }], tparams, event);
    expect(r).toEqual({ ok: true, params: new Map([['rev', 'main'], ['msg', 'default message'], ['url', 'deep']]) });
  });

  it('a failing expression is replaced by the param default; the rest of the value stays (as Triggers)', () => {
    const r = resolveParams([{ name: 'rev', value: 'sha-$(body.head_commit.id)' }], tparams, event);
    expect(r.ok && r.params.get('rev')).toBe('sha-main');
    const two = resolveParams([{ name: 'rev', value: '$(body.a.b.c)/$(body.nope)/$(body.nope.deeper)' }], tparams, event);
    expect(two.ok && two.params.get('rev')).toBe('deep/main/main');
    const none = resolveParams([{ name: 'url', value: '$(body.a.b.c)-$(body.nope)' }], tparams, event);
    expect(none.ok).toBe(false);
    expect(!none.ok && none.message).toMatch(/param "url".*nope is not found/);
  });

  it('a failing expression without a default fails the trigger with the path', () => {
    const r = resolveParams([{ name: 'url', value: '$(body.repository.url)' }], tparams, event);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/param "url".*repository is not found/);
  });

  it('rejects a param bound twice across bindings', () => {
    const r = mergeBindingParams([[{ name: 'a', value: '1' }], [{ name: 'a', value: '2' }]]);
    expect(r.ok).toBe(false);
    const ok = mergeBindingParams([[{ name: 'a', value: '1' }], [{ name: 'b', value: '2' }]]);
    expect(ok.ok && ok.params.map((p) => p.name)).toEqual(['a', 'b']);
  });
});
