// The shared table (sampling-cases.json), which the C# rule is checked against too (ConsistentSamplingTests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { keeps, threshold } from './sampling.js';

const cases = JSON.parse(readFileSync(new URL('./sampling-cases.json', import.meta.url)));

for (const { ratio, traceId, keep, why } of cases) {
  test(`ratio ${ratio}, ${traceId} (${why})`, () => assert.equal(keeps(traceId, threshold(ratio)), keep));
}
