import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MiniCluster, REPO_ROOT, runNode, writeJobFile } from '@tsflink/testing';

let cluster: MiniCluster;
before(async () => { cluster = await MiniCluster.start({ taskManagers: 1, slotsPerTaskManager: 2 }); });
after(async () => cluster?.close());

/** The README's code blocks, so the documented examples are the tested ones. */
function readmeBlock(startsWith: string): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.startsWith(startsWith));
  assert.ok(block, `README has a ts block starting with ${startsWith}`);
  return block;
}

test('the README\'s job and programmatic submission work as written', async () => {
  const jobFile = writeJobFile('wordcount.ts', readmeBlock("import { StreamExecutionEnvironment }"));
  const example = readmeBlock("import { ClusterClient, submitJobFile }");
  // Run the README's client code as written, with this cluster's address and the job file's path.
  assert.match(example, /address: 'localhost:6123'/);
  const script = join(REPO_ROOT, 'packages/testing/test', `.readme-example-${process.pid}.ts`);
  writeFileSync(script, example.replace("'localhost:6123'", `'${cluster.jobManagerAddress}'`).replace("'wordcount.ts'", JSON.stringify(jobFile)));
  try {
    const r = await runNode(['--conditions=source', '--import', 'tsx', script], process.env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^FINISHED \d+\n$/);
  } finally {
    rmSync(script, { force: true });
  }
  const printed = cluster.printed().filter((l) => /^\d> \(/.test(l));
  assert.ok(printed.includes('1> (to,2)') || printed.includes('2> (to,2)'), printed.join('\n'));
  assert.ok(printed.some((l) => l.endsWith('(question,1)')));
});
