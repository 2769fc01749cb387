/**
 * Pod start in a container engine (issue 19): a 3-step TaskRun under the podman runtime, created → Succeeded
 * (store commit times), against the floor measured in the same run: 3 × `podman run --rm IMAGE true`, one after
 * another, the same image. Samples alternate (floor, TaskRun, floor, …) so that both see the same load; the ratio
 * of the medians is printed against #19's goal (≤ 1.3). The TaskRun is split at pod created, the pod's first
 * container started, and pod Succeeded; the pod's own network (podman runtime) is part of "pod created → first
 * container".
 * Run: npx tsx bench/runtime.ts [--runs 10] [--image localhost/tektite-test-bb:latest]
 */
import { spawn } from 'node:child_process';
import type { Pod } from '../src/api/types.js';
import type { KubeObject } from '../src/api/types.js';
import { engineAnswers } from '../src/embedded/kubelet/runtimes/cli.js';
import { ensureBusyboxImage } from '../test/kubelet/helpers.js';
import { apply, NS } from './lib/objects.js';
import { Probe } from './lib/probe.js';
import { dist, figure, flag, machineLine, median } from './lib/report.js';
import { startBenchStack } from './lib/stack.js';

const RUNS = Number(flag('runs', '10'));
const IMAGE = flag('image', 'localhost/tektite-test-bb:latest');
const STEPS = 3;
const GOAL = 1.3;

/** Milliseconds one command takes (spawned as the kubelet spawns the engine CLI). */
function timed(argv: string[]): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = argv;
    const child = spawn(cmd ?? 'false', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${argv.join(' ')}: exit ${code}: ${err}`))));
  });
}

/** The floor: 3 × `podman run --rm IMAGE true`, one after another. */
async function floor(): Promise<number> {
  let total = 0;
  for (let i = 0; i < STEPS; i++) total += await timed(['podman', '--runtime', 'runc', 'run', '--rm', IMAGE, 'true']);
  return total;
}

function task(): KubeObject {
  const steps = Array.from({ length: STEPS }, (_, i) => ({ name: `s${i + 1}`, image: IMAGE, imagePullPolicy: 'Never', command: ['true'] }));
  return { apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 'three-steps', namespace: NS }, spec: { steps } } as KubeObject;
}

function taskRun(name: string): KubeObject {
  return { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name, namespace: NS }, spec: { taskRef: { name: 'three-steps' } } } as KubeObject;
}

async function main(): Promise<void> {
  console.log(machineLine());
  if (!(await engineAnswers('podman', 15_000))) {
    console.log('skipped: `podman info` does not answer');
    return;
  }
  if (!ensureBusyboxImage()) {
    console.log('skipped: cannot make the local busybox image (needs /bin/busybox and podman import)');
    return;
  }
  const stack = await startBenchStack({ runtime: 'podman', memory: true });
  const probe = new Probe(stack.store);
  const floors: number[] = [];
  const total: number[] = [];
  const toPod: number[] = [];
  const inPod: number[] = [];
  const back: number[] = [];
  let failed = 0;
  try {
    await apply(stack.client, [task()]);
    // warm-up: one of each (page cache, helper image, first pod's network)
    await floor();
    await runOne(stack.client, probe, 'warm-0');
    for (let i = 0; i < RUNS; i++) {
      floors.push(await floor());
      const name = `tr-${i}`;
      const outcome = await runOne(stack.client, probe, name);
      if (outcome !== 'True') {
        failed++;
        continue;
      }
      const tr = probe.get('taskrun', name);
      const pod = probe.get('pod', `${name}-pod`);
      if (tr.created === undefined || tr.done === undefined || pod.created === undefined || pod.done === undefined) continue;
      total.push(tr.done - tr.created);
      toPod.push(pod.created - tr.created);
      inPod.push(pod.done - pod.created);
      back.push(tr.done - pod.done);
    }
    const pod = await stack.client.get<Pod>({ apiVersion: 'v1', kind: 'Pod' }, NS, 'tr-0-pod').catch(() => undefined);
    const containers = (pod?.spec.initContainers?.length ?? 0) + (pod?.spec.containers.length ?? 0);
    console.log(`podman runtime, ${RUNS} TaskRuns of ${STEPS} steps (\`true\` in ${IMAGE}), one at a time; the pod has ${containers} containers (prepare + steps)${failed ? `; ${failed} did not succeed` : ''}`);
    console.log(`  floor, ${STEPS} × \`podman run --rm ${IMAGE} true\` one after another: ${dist(floors)}`);
    console.log(figure('  TaskRun created → Succeeded', total));
    console.log(figure('    TaskRun created → pod created', toPod));
    console.log(figure('    pod created → pod Succeeded (kubelet, network, containers)', inPod));
    console.log(figure('    pod Succeeded → TaskRun Succeeded', back));
    const ratio = median(total) / median(floors);
    console.log(`  ratio of medians, TaskRun / floor: ${ratio.toFixed(2)}   [goal ≤ ${GOAL}: ${ratio <= GOAL ? 'met' : 'NOT met'}]`);
  } finally {
    probe.close();
    await stack.stop();
  }
}

async function runOne(client: Parameters<typeof apply>[0], probe: Probe, name: string): Promise<string | undefined> {
  await client.create(taskRun(name));
  return (await probe.whenDone('taskrun', name)).outcome;
}

await main();
