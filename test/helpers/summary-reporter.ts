/**
 * A vitest reporter that ends the run with one plain line, `tests: N passed, N failed, N skipped`, the form CI
 * reads to know how many tests ran (vitest's own summary is decorated).
 */
import type { Reporter, RunnerTestFile, RunnerTask } from 'vitest/node';

function count(tasks: readonly RunnerTask[], acc = { passed: 0, failed: 0, skipped: 0 }): typeof acc {
  for (const t of tasks) {
    if (t.type === 'suite') count(t.tasks, acc);
    else if (t.result?.state === 'pass') acc.passed += 1;
    else if (t.result?.state === 'fail') acc.failed += 1;
    else acc.skipped += 1;
  }
  return acc;
}

/** Prints the plain closing line after vitest's own report. */
export default class SummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = []): void {
    const c = count(files);
    const broken = files.filter((f) => f.result?.state === 'fail' && f.tasks.length === 0).length;
    process.stdout.write(`\ntests: ${c.passed} passed, ${c.failed + broken} failed, ${c.skipped} skipped\n`);
  }
}
