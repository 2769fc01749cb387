import { describe, expect, it } from 'vitest';
import { goFormat, goPrint } from './go-fmt.js';
import { compileGoTemplate } from './go-template.js';

const list = {
  kind: 'PipelineRunList',
  items: [
    { metadata: { name: 'a', labels: { 'tekton.dev/pipeline': 'build' } }, spec: { params: [{ name: 'n', value: 3 }] }, status: { conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded' }] } },
    { metadata: { name: 'b', annotations: null }, spec: {}, status: { conditions: [{ type: 'Succeeded', status: 'False', reason: 'Failed' }] } },
  ],
};

const run = (t: string, data: unknown = list, allowMissingKeys = true): string => compileGoTemplate(t, { allowMissingKeys })(data);

describe('Go templates (kubectl -o go-template)', () => {
  it.each([
    ['{{.kind}}', 'PipelineRunList'],
    ['{{range .items}}{{.metadata.name}} {{end}}', 'a b '],
    ['{{range $i, $e := .items}}{{$i}}={{$e.metadata.name}};{{end}}', '0=a;1=b;'],
    ['{{range .items}}{{range .status.conditions}}{{if eq .type "Succeeded"}}{{.reason}}{{end}}{{end}}\n{{end}}', 'Succeeded\nFailed\n'],
    ['{{(index .items 0).metadata.name}}', 'a'],
    ['{{index (index .items 0).metadata.labels "tekton.dev/pipeline"}}', 'build'],
    ['{{index .items 1 | len}}', '3'],
    ['{{len .items}}', '2'],
    ['{{.missing}}', '<no value>'],
    ['{{.missing.deeper}}', '<no value>'],
    ['{{(index .items 1).metadata.annotations}}', '<nil>'],
    ['{{(index .items 0).metadata.labels}}', 'map[tekton.dev/pipeline:build]'],
    ['{{(index .items 0).spec.params}}', '[map[name:n value:3]]'],
    ['{{with (index .items 0).spec.params}}{{(index . 0).value}}{{end}}', '3'],
    ['{{with .nothing}}yes{{else}}no{{end}}', 'no'],
    ['{{if .nothing}}1{{else if .kind}}2{{else}}3{{end}}', '2'],
    ['{{range .none}}x{{else}}empty{{end}}', 'empty'],
    ['{{range .items}}{{if eq .metadata.name "a"}}{{continue}}{{end}}{{.metadata.name}}{{end}}', 'b'],
    ['{{range .items}}{{.metadata.name}}{{break}}{{end}}', 'a'],
    ['{{$n := len .items}}{{$n}} {{$n = 5}}{{$n}}', '2 5'],
    ['a  {{- " b " -}}  c', 'a b c'],
    ['{{/* a comment */}}x{{- /* trimmed */ -}} y', 'xy'],
    ['{{printf "%s=%d %5.2f|%-4s|%q %v %t" "x" 3 3.14159 "ab" "q" .kind true}}', 'x=3  3.14|ab  |"q" PipelineRunList true'],
    ['{{print "a" 1 2 "b"}}', 'a1 2b'],
    ['{{println "a" 1}}', 'a 1\n'],
    ['{{and 1 0 2}} {{or 0 "" "x"}} {{not .kind}}', '0 x false'],
    ['{{if and .kind (gt (len .items) 1)}}many{{end}}', 'many'],
    ['{{ne "a" "b"}} {{lt 1 2}} {{ge 2 2}} {{eq "a" "b" "a"}}', 'true true true true'],
    ['{{slice "abcdef" 1 3}} {{html "<a>"}} {{js "it\'s"}} {{urlquery "a b&c"}}', 'bc &lt;a&gt; it\\\'s a+b%26c'],
    ['{{exists . "items"}} {{exists . "nope"}} {{base64decode "aGk="}}', 'true false hi'],
    ['{{range $k, $v := (index .items 0).metadata}}{{$k}};{{end}}', 'labels;name;'],
    ['{{range 3}}{{.}}{{end}}', '012'],
    ['{{`raw\\n`}}', 'raw\\n'],
    ['{{$.kind}}', 'PipelineRunList'],
  ])('%s', (template, out) => {
    expect(run(template)).toBe(out);
  });

  it('missing keys are errors with --allow-missing-template-keys=false', () => {
    expect(() => run('{{.missing}}', list, false)).toThrow('map has no entry for key "missing"');
  });

  it.each([
    ['{{range .items}}', 'without {{end}}'],
    ['{{end}}', 'unexpected {{end}}'],
    ['{{.a', 'unclosed action'],
    ['{{template "x"}}', 'named templates'],
    ['{{break}}', 'outside {{range}}'],
    ['{{"abc}}', 'unterminated quoted string'],
  ])('refuses %s', (template, message) => {
    expect(() => compileGoTemplate(template)).toThrow(message);
  });

  it.each([
    ['{{nosuch 1}}', 'function "nosuch" not defined'],
    ['{{.kind.x}}', "can't evaluate field x in type string"],
    ['{{.kind 1}}', "can't give argument to non-function .kind"],
    ['{{lt 1 "a"}}', 'incompatible types for comparison'],
  ])('fails at execution: %s', (template, message) => {
    expect(() => run(template)).toThrow(message);
  });
});

describe("Go's fmt", () => {
  it.each([
    [1, '1'], [1.5, '1.5'], [1e6, '1e+06'], [123456, '123456'], [0.00001, '1e-05'], [null, '<nil>'], [true, 'true'],
    [[1, 'a'], '[1 a]'], [{ b: 1, a: [2] }, 'map[a:[2] b:1]'],
  ])('%%v of %j', (v, out) => {
    expect(goPrint(v)).toBe(out);
  });

  it.each([
    ['%d', [1.5], '%!d(float64=1.5)'], ['%s', [3], '%!s(float64=3)'], ['%s %s', ['a'], 'a %!s(MISSING)'], ['%s', ['a', 'b'], 'a%!(EXTRA string=b)'],
    ['%05d|%x|%X|%o|%b|%+d', [42, 255, 255, 8, 5, 3], '00042|ff|FF|10|101|+3'], ['%6.2f|%e|%g', [3.14159, 1234.5, 0.5], '  3.14|1.234500e+03|0.5'],
    ['%*d|%-*d|', [4, 7, 3, 1], '   7|1  |'], ['%.2s|%c|%%', ['abc', 65], 'ab|A|%'],
  ])('%s of %j', (f, args, out) => {
    expect(goFormat(f, args)).toBe(out);
  });
});
