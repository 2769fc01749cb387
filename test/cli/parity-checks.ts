/**
 * What each row of docs/cli.md's tkn parity table must print, keyed by the row's tkt command. The world is
 * test/cli/fixtures/parity/*.yaml after examples/hello-world.yaml; rows run in the table's order, so a row may
 * rely on what an earlier row did (a cancel before its delete).
 */
import { expect } from 'vitest';

/** A command's result. */
export interface Outcome { code: number; stdout: string; stderr: string }
type Check = (r: Outcome) => void;

/** Exit 0 and stdout matching every pattern (a string must appear as is). */
const ok = (...patterns: Array<RegExp | string>): Check => (r) => {
  expect(r.code, r.stderr).toBe(0);
  for (const p of patterns) {
    if (typeof p === 'string') expect(r.stdout).toContain(p);
    else expect(r.stdout).toMatch(p);
  }
};
/** Exit `code` and stderr matching. */
const fails = (code: number, stderr: RegExp, stdout?: RegExp): Check => (r) => {
  expect(r.code).toBe(code);
  expect(r.stderr).toMatch(stderr);
  if (stdout) expect(r.stdout).toMatch(stdout);
};
const lines = (r: Outcome): string[] => r.stdout.split('\n').filter(Boolean);
const names = (r: Outcome): string[] => lines(r).slice(1).map((l) => l.split(/\s+/)[0] ?? '');

const HELLO = '[hello : greet] Hello, parity!\n\n[louder : shout] HELLO, PARITY!\n\n[report : report] pipeline finished with Succeeded\n\n';
const RETRIED = '[broken : try] trying once more\n\n--- task broken: retry 1 of 1 (pod flaky-run-broken-pod-retry1) ---\n[broken : try] trying once more\n\n';

export const CHECKS: Record<string, Check> = {
  'tkt pr list': (r) => {
    ok(/^NAME\s+STARTED\s+DURATION\s+STATUS\n/, /^hello-run\s+\S+ \S+ ago\s+\d+s\s+Succeeded$/m, /^flaky-run\s.*\sFailed$/m, /^sleepy-a\s.*---\s+Running$/m)(r);
  },
  'tkt pr list hello-world': (r) => {
    ok()(r);
    expect(names(r)).toContain('hello-run');
    expect(names(r)).not.toContain('flaky-run');
  },
  'tkt pr list --limit 1': (r) => {
    ok(/^NAME/)(r);
    expect(lines(r)).toHaveLength(2);
  },
  'tkt pr list --label team=web': (r) => {
    ok()(r);
    expect(names(r)).toEqual(['hello-run']);
  },
  'tkt pr list --reverse --no-headers': (r) => {
    ok()(r);
    const order = lines(r).map((l) => l.split(/\s+/)[0]);
    expect(order.indexOf('sleepy-b')).toBeLessThan(order.indexOf('hooked') < 0 ? order.length : order.length);
    expect(r.stdout).not.toMatch(/^NAME/);
  },
  'tkt pr list -A': ok(/^NAMESPACE\s+NAME\s+STARTED/, /^scratch\s+quick-1\s/m, /^default\s+hello-run\s/m),
  'tkt pr list --no-headers': (r) => {
    ok(/^\S+\s+\S+ \S+ ago/)(r);
    expect(r.stdout).not.toContain('NAME');
  },
  'tkt pr list -o name': ok(/^pipelinerun\.tekton\.dev\/hello-run$/m, /^pipelinerun\.tekton\.dev\/flaky-run$/m),
  'tkt pr list -o jsonpath={.kind}': (r) => expect(r.stdout).toBe('PipelineRunList'),
  'tkt pr describe hello-run -o jsonpath-file=test/cli/fixtures/parity/name.jsonpath': (r) => expect(r.stdout).toBe('hello-run\n'),
  'tkt pr list -o jsonpath-as-json={.kind}': (r) => expect(r.stdout).toBe('[\n    "PipelineRunList"\n]\n'),
  'tkt pr describe hello-run -o "go-template={{.metadata.name}} {{len .spec.params}}"': (r) => expect(r.stdout).toBe('hello-run 1'),
  'tkt pr describe hello-run -o "template={{index .metadata.labels \\"team\\"}}"': (r) => expect(r.stdout).toBe('web'),
  'tkt pr list -o go-template-file=test/cli/fixtures/parity/names.tmpl': (r) => {
    ok()(r);
    expect(lines(r)).toEqual(expect.arrayContaining(['hello-run', 'flaky-run', 'sleepy-a', 'sleepy-b']));
  },
  'tkt pr list -o templatefile=test/cli/fixtures/parity/names.tmpl': ok(/^hello-run$/m),
  'tkt pr list -o go-template --template "{{len .items}}"': ok(/^\d+$/),
  'tkt pr describe hello-run -o "go-template={{.nope}}" --allow-missing-template-keys=false': fails(2, /^Error: error executing go-template: map has no entry for key "nope"\n$/),
  'tkt pr describe hello-run -o yaml --show-managed-fields': ok(/^kind: PipelineRun$/m, /^ {2}name: hello-run$/m, /^status:$/m),
  'tkt pr describe hello-run': ok(/^Name:\s+hello-run$/m, /^Pipeline Ref:\s+hello-world$/m, /^ who\s+parity$/m, /^ hello-run-louder\s+louder\s/m),
  'tkt pr describe --last': ok(/^Name:\s+\S+$/m, /^Status$/m),
  'tkt pr describe -F --limit 1': ok(/^Name:\s+\S+$/m),
  'tkt pr logs hello-run': (r) => expect(r.stdout).toBe(HELLO),
  'tkt pr logs hello-run -f': (r) => {
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(HELLO);
  },
  'tkt pr logs hello-run -a': ok('[louder : shout] HELLO, PARITY!\n'),
  'tkt pr logs hello-run -t louder': (r) => expect(r.stdout).toBe('[louder : shout] HELLO, PARITY!\n\n'),
  'tkt pr logs hello-run --timestamps -t hello': ok(/^\[hello : greet\] \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z Hello, parity!$/m),
  'tkt pr logs hello-run --prefix=false -t louder': (r) => expect(r.stdout).toBe('HELLO, PARITY!\n\n'),
  'tkt pr logs flaky-run --log-failed': (r) => {
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(RETRIED);
    expect(r.stderr).toContain('task broken has failed: "step-try" exited with code 3');
  },
  'tkt pr logs flaky-run -E': (r) => {
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`[greet : greet] Hello, flaky!\n\n${RETRIED}`);
  },
  'tkt pr logs flaky-run --long -t greet': (r) => expect(r.stdout).toBe('[Greet them : greet] Hello, flaky!\n\n'),
  'tkt pr logs flaky-run -t broken': (r) => expect(r.stdout).toBe(RETRIED),
  'tkt pr logs -L -f -t hello': ok(/^\[hello : greet\] Hello, \w+!$/m),
  'tkt pr logs -F --limit 1 -f': ok(/^\[\w+ : \w+\] /m),
  'tkt pr cancel sleepy-a': ok(/^PipelineRun cancelled: sleepy-a$/m),
  'tkt pr cancel sleepy-b --grace StoppedRunFinally': ok(/^PipelineRun cancelled: sleepy-b$/m),
  'tkt pr export hello-run': (r) => {
    ok(/^kind: PipelineRun$/m, /^ {2}name: hello-run$/m, /^ {4}team: web$/m)(r);
    expect(r.stdout).not.toMatch(/status:|uid:|resourceVersion:|tekton\.dev\/pipeline/);
  },
  'tkt pr rerun hello-run': ok(/^PipelineRun started: hello-run-r-[a-z0-9]{5}$/m),
  'tkt pr delete quick-1 -f -n scratch': (r) => expect(r.stdout).toBe('PipelineRuns deleted: "quick-1"\n'),
  'tkt pr delete --label batch=two -f -n scratch': (r) => expect(r.stdout).toBe('PipelineRuns deleted: "quick-2"\n'),
  'tkt pr delete --all --keep-since 60 -f -n scratch': (r) => expect(r.stdout).toBe('No PipelineRuns to delete\n'),
  'tkt pr delete -p quick --keep 0 -f -n scratch': (r) => expect(r.stdout).toBe('PipelineRuns deleted: "quick-3"\n'),
  'tkt pr delete --all --ignore-running=false -f -n empty': (r) => expect(r.stdout).toBe('No PipelineRuns to delete\n'),
  'tkt tr list': ok(/^NAME\s+STARTED\s+DURATION\s+STATUS$/m, /^echo-tr\s.*Succeeded$/m, /^flaky-run-broken\s.*Failed$/m),
  'tkt tr list say-hello': (r) => {
    ok()(r);
    expect(names(r)).toEqual(expect.arrayContaining(['echo-tr', 'hello-run-hello', 'flaky-run-greet']));
    expect(names(r)).not.toContain('hello-run-louder');
  },
  'tkt tr describe echo-tr': ok(/^Name:\s+echo-tr$/m, /^Task Ref:\s+say-hello$/m, /^ greeting\s+Hello, taskrun!$/m, /^ greet\s+Completed$/m),
  'tkt tr describe -F --limit 1 -o name': ok(/^taskrun\.tekton\.dev\/\S+\n$/),
  'tkt tr logs echo-tr': (r) => expect(r.stdout).toBe('[greet] Hello, taskrun!\n\n'),
  'tkt tr logs echo-tr -f': (r) => expect(r.stdout).toBe('[greet] Hello, taskrun!\n\n'),
  'tkt tr logs echo-tr -s greet': (r) => expect(r.stdout).toBe('[greet] Hello, taskrun!\n\n'),
  'tkt tr logs echo-tr -t': ok(/^\[greet\] \d{4}-\d\d-\d\dT\S+Z Hello, taskrun!$/m),
  'tkt tr logs echo-tr --prefix=false': (r) => expect(r.stdout).toBe('Hello, taskrun!\n\n'),
  'tkt tr logs flaky-run-broken': (r) => expect(r.stdout).toBe('[try] trying once more\n\n--- TaskRun flaky-run-broken: retry 1 of 1 (pod flaky-run-broken-pod-retry1) ---\n[try] trying once more\n\n'),
  'tkt tr logs -L -f': ok(/^\[\w+\] /m),
  'tkt tr logs -F --limit 1 -f': ok(/^\[\w+\] /m),
  'tkt tr cancel sleepy-tr': ok(/^TaskRun cancelled: sleepy-tr$/m),
  'tkt tr export echo-tr -o json': (r) => {
    const o = JSON.parse(r.stdout) as { kind: string; metadata: Record<string, unknown>; spec: { params: unknown[] }; status?: unknown };
    expect(o.kind).toBe('TaskRun');
    expect(o.metadata).toEqual({ name: 'echo-tr', namespace: 'default' });
    expect(o.spec.params).toEqual([{ name: 'who', value: 'taskrun' }]);
    expect(o.status).toBeUndefined();
  },
  'tkt tr rerun echo-tr -o name': ok(/^taskrun\.tekton\.dev\/echo-tr-r-[a-z0-9]{5}\n$/),
  'tkt tr delete tiny-1 -f -n scratch': (r) => expect(r.stdout).toBe('TaskRuns deleted: "tiny-1"\n'),
  'tkt tr delete -t tiny --keep 1 -f -n scratch': ok(/^TaskRuns deleted: "tiny-[23]"\n$/),
  'tkt tr delete --all --keep-since 60 -f -n scratch': (r) => expect(r.stdout).toBe('No TaskRuns to delete\n'),
  'tkt tr delete --all --ignore-running-pipelinerun=false -f -n empty': (r) => expect(r.stdout).toBe('No TaskRuns to delete\n'),
  'tkt cr list': ok(/^NAME\s+STARTED\s+DURATION\s+STATUS$/m, /^wait-cr\s.*Succeeded\(DurationElapsed\)$/m),
  'tkt cr describe wait-cr': ok(/^Name:\s+wait-cr$/m, /^ duration\s+1s$/m),
  'tkt cr delete old-cr -f': (r) => expect(r.stdout).toBe('CustomRuns deleted: "old-cr"\n'),
  'tkt p list': ok(/^NAME\s+AGE\s+LAST RUN\s+STARTED\s+DURATION\s+STATUS$/m, /^flaky\s.*flaky-run\s.*Failed$/m, /^old-pipeline\s+\S+ \S+ ago\s+---/m),
  'tkt p describe hello-world': ok(/^Name:\s+hello-world$/m, /^ who\s+string\s+---\s+tektite$/m, /^ louder\s+shout\s/m, /^Finally Tasks$/m),
  'tkt p start hello-world -p who=you --showlog': (r) => {
    ok(/^PipelineRun started: hello-world-run-\w{5}$/m, '[louder : shout] HELLO, YOU!\n')(r);
  },
  'tkt p start hello-world --dry-run': (r) => expect(r.stdout).toBe('apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  generateName: hello-world-run-\n  namespace: default\nspec:\n  pipelineRef:\n    name: hello-world\n'),
  'tkt p start hello-world -L --dry-run': ok(/- name: who\n\s+value: you\n/),
  'tkt p start hello-world --use-pipelinerun hello-run --dry-run': ok(/- name: who\n\s+value: parity\n/),
  'tkt p start hello-world --use-param-defaults --dry-run': ok(/- name: who\n\s+value: tektite\n/),
  'tkt p start -f examples/hello-world.yaml --dry-run': (r) => {
    ok(/^ {2}pipelineSpec:$/m, /^ {8}taskRef:\n {10}name: say-hello$/m)(r);
    expect(r.stdout).not.toContain('pipelineRef');
  },
  'tkt p start hello-world --pipeline-timeout 1h --tasks-timeout 50m --finally-timeout 10m --dry-run': ok(/timeouts:\n\s+pipeline: 1h0m0s\n\s+tasks: 50m0s\n\s+finally: 10m0s\n/),
  'tkt p start hello-world --pod-template test/cli/fixtures/parity/pod-template.yaml --dry-run': ok(/taskRunTemplate:\n\s+podTemplate:\n\s+nodeSelector:\n\s+kubernetes\.io\/os: linux\n/),
  'tkt p start hello-world --task-serviceaccount hello=greeter -s builder --dry-run': ok(/serviceAccountName: builder/, /taskRunSpecs:\n\s+- pipelineTaskName: hello\n\s+serviceAccountName: greeter\n/),
  'tkt p start hello-world --prefix-name nightly -l team=web --labels tier=1 --dry-run': ok(/generateName: nightly-\n/, /labels:\n\s+team: web\n\s+tier: "1"\n/),
  'tkt p start hello-world --skip-optional-workspace --dry-run': ok(/^ {2}pipelineRef:\n {4}name: hello-world$/m),
  'tkt p start flaky --showlog -E': (r) => {
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^PipelineRun started: flaky-run-\w{5}\n\[greet : greet\] Hello, flaky!\n/);
    expect(r.stdout).toMatch(/--- task broken: retry 1 of 1 \(pod flaky-run-\w{5}-broken-pod-retry1\) ---/);
  },
  'tkt p start hello-world -o name': ok(/^pipelinerun\.tekton\.dev\/hello-world-run-\w{5}\n$/),
  'tkt p logs hello-world -L -f': ok(/^\[hello : greet\] Hello, \w+!$/m),
  'tkt p logs hello-world hello-run': (r) => expect(r.stdout).toBe(HELLO),
  'tkt p export hello-world': (r) => {
    ok(/^kind: Pipeline$/m, /^ {2}name: hello-world$/m, /^ {2}finally:$/m)(r);
    expect(r.stdout).not.toMatch(/uid:|creationTimestamp:/);
  },
  'tkt p delete old-pipeline -f': (r) => expect(r.stdout).toBe('Pipelines deleted: "old-pipeline"\n'),
  'tkt t list': ok(/^NAME\s+DESCRIPTION\s+AGE$/m, /^say-hello\s+---\s/m, /^list-files\s/m),
  'tkt t describe say-hello': ok(/^Name:\s+say-hello$/m, /^ who\s+string\s/m, /^ greeting\s/m, /^ greet$/m),
  'tkt t start say-hello -p who=task --showlog': ok(/^TaskRun started: say-hello-run-\w{5}$/m, '[greet] Hello, task!\n'),
  'tkt t start list-files -w name=src,emptyDir= --dry-run': ok(/workspaces:\n\s+- name: src\n\s+emptyDir: {}\n/),
  'tkt t start say-hello -L --dry-run': ok(/- name: who\n\s+value: task\n/),
  'tkt t start say-hello --use-taskrun echo-tr --timeout 5m --dry-run': ok(/- name: who\n\s+value: taskrun\n/, /timeout: 5m0s/),
  'tkt t logs say-hello -L': ok(/^\[greet\] Hello, \w+!$/m),
  'tkt t delete old-task -f': (r) => expect(r.stdout).toBe('Tasks deleted: "old-task"\n'),
  'tkt tt list': ok(/^NAME\s+AGE$/m, /^build-tt\s/m, /^old-tt\s/m),
  'tkt tt describe build-tt': ok(/^ who\s+whom to greet\s+hooks$/m, /^ ---\s+hooked-\s+PipelineRun\s+tekton\.dev\/v1$/m),
  'tkt tt delete old-tt -f': (r) => expect(r.stdout).toBe('TriggerTemplates deleted: "old-tt"\n'),
  'tkt tb list': ok(/^push-tb\s/m),
  'tkt tb describe push-tb': ok(/^ who\s+\$\(body\.who\)$/m),
  'tkt tb delete old-tb -f': (r) => expect(r.stdout).toBe('TriggerBindings deleted: "old-tb"\n'),
  'tkt ctb list': ok(/^shared-ctb\s/m),
  'tkt ctb describe shared-ctb': ok(/^Name:\s+shared-ctb$/m, /^ who\s+\$\(body\.sender\)$/m),
  'tkt ctb delete old-ctb -f': (r) => expect(r.stdout).toBe('ClusterTriggerBindings deleted: "old-ctb"\n'),
  'tkt el list': ok(/^NAME\s+AGE\s+URL\s+AVAILABLE$/m, /^hooks\s+\S+ \S+ ago\s+http:\/\/127\.0\.0\.1:\d+\s+True$/m),
  'tkt el describe hooks': ok(/^Name:\s+hooks$/m, /^ greet\s+push-tb\s+build-tt\s+---$/m),
  'tkt el logs hooks -t 5': ok(/^\n\[hooks\]: \S+ Normal Created: trigger greet created PipelineRun default\/hooked-\w{5}/),
  'tkt el delete old-el -f': (r) => expect(r.stdout).toBe('EventListeners deleted: "old-el"\n'),
  'tkt version': ok(/^Client version: \S+$/m, /^Pipeline version: tektite \(serves tekton\.dev\/v1/m, /^Triggers version: tektite \(serves triggers\.tekton\.dev\/v1beta1/m),
  'tkt version --component pipeline': ok(/^tektite \(serves tekton\.dev\/v1, /),
  'tkt completion bash': ok('complete -o default -F _tkt_complete tkt'),
  'tkt completion zsh': ok('bashcompinit', '_tkt_complete'),
  'tkt completion fish': ok(/^complete -c tkt /m, 'tkt __complete'),
  'tkt completion powershell': ok('Register-ArgumentCompleter', 'tkt __complete'),
  'tkt __complete pr describe hello-': (r) => expect(r.stdout).toMatch(/^hello-run\n(hello-run-r-\w{5}\n)?(hello-world-run-\w{5}\n)*$/),
  'tkt pr list -C -c tektite': (r) => {
    ok(/^NAME\s+STARTED/)(r);
    expect(r.stdout).not.toContain('\x1b[');
  },
};
