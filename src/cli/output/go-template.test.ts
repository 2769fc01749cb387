import { describe, expect, it } from 'vitest';
import { compileGoTemplate } from './go-template.js';

const render = (t: string, data: unknown) => compileGoTemplate(t)(data);
const obj = { kind: 'PipelineRun', metadata: { name: 'x', labels: { b: '2', a: '1' } }, items: [{ n: 'one', v: 1 }, { n: 'two', v: 2 }], spec: { timeout: '1h', empty: [] as unknown[] } };

describe('go-template (Go text/template over JSON)', () => {
  it.each([
    ['{{.kind}}', 'PipelineRun'],
    ['{{.metadata.name}}-{{.spec.timeout}}', 'x-1h'],
    ['{{.metadata.missing}}', '<no value>'],
    ['{{.metadata.labels}}', 'map[a:1 b:2]'],
    ['{{range .items}}{{.n}};{{end}}', 'one;two;'],
    ['{{range $i, $e := .items}}{{$i}}={{$e.n}} {{end}}', '0=one 1=two '],
    ['{{range $k, $v := .metadata.labels}}{{$k}}{{$v}}{{end}}', 'a1b2'],
    ['{{range .spec.empty}}x{{else}}none{{end}}', 'none'],
    ['{{if .spec.empty}}y{{else if .spec.timeout}}t{{else}}n{{end}}', 't'],
    ['{{with .metadata}}{{.name}}{{end}}', 'x'],
    ['{{$n := .metadata.name}}{{range .items}}{{$n}}{{.v}}{{end}}', 'x1x2'],
    ['{{len .items}} {{index .items 1 "n"}} {{index .metadata.labels "a"}}', '2 two 1'],
    ['{{printf "%s:%03d|%-4s|%q" .kind 7 "ab" "z"}}', 'PipelineRun:007|ab  |"z"'],
    ['{{if and (eq .kind "PipelineRun") (not .spec.empty)}}ok{{end}}', 'ok'],
    ['{{if or (gt 1 2) (le 2 2)}}yes{{end}}', 'yes'],
    ['{{.kind | printf "<%s>"}}', '<PipelineRun>'],
    ['a  {{- .kind -}}  b', 'aPipelineRunb'],
    ['{{/* a comment */}}c', 'c'],
    ['{{range .items}}{{if eq .n "two"}}{{break}}{{end}}{{.n}}{{end}}', 'one'],
    ['{{exists . "metadata" "name"}} {{exists . "metadata" "nope"}}', 'true false'],
    ['{{"aGk=" | base64decode}}', 'hi'],
    ['{{(index .items 0).n}}', 'one'],
  ])('%s', (t, want) => {
    expect(render(t, obj)).toBe(want);
  });

  it.each([
    ['{{range .items}}', 'missing {{end}}'],
    ['{{nofunc .x}}', 'function "nofunc" not defined'],
    ['{{end}}', 'unexpected {{end}}'],
    ['{{.kind', 'unclosed action'],
  ])('refuses %s', (t, msg) => {
    expect(() => compileGoTemplate(t)).toThrow(msg);
  });
});
