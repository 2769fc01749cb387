/** Golden files under test/golden/: compared byte for byte; `UPDATE_GOLDEN=1` rewrites them. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'golden');

/** Asserts `actual` equals the golden file `test/golden/<name>` (writes it under UPDATE_GOLDEN=1). */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  if (!fs.existsSync(file)) throw new Error(`golden file ${name} is missing; run with UPDATE_GOLDEN=1 to create it`);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}
