// node --test: the demo logs of the dev pages reach the dashboards through the
// real protocol: a DataClient, the worker's handlers and the one fake engine.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createFakeClient } from './fake_logs.js';
import { sniffImageType } from '../src/ui/media.js';

test('the demo logs are served by the fake engine through the real protocol', async () => {
  const client = await createFakeClient({
    hostile: false,
    scalars: { runs: 2, points: 50, tags: ['loss'] },
  });
  assert.equal(client.engineInfo.fake, true);
  const runs = await client.runs();
  assert.ok(runs.includes('mnist/adam') && runs.includes('baseline'), runs.join(','));
  const tags = await client.tags();
  const plugins = new Set(tags.map((t) => t.plugin));
  for (const p of [
    'scalars',
    'images',
    'audio',
    'text',
    'histograms',
    'pr_curves',
    'hparams',
    'custom_scalars',
  ])
    assert.ok(plugins.has(p), p);
  const steps = await client.tensorSteps('mnist/adam', 'input/samples');
  assert.equal(steps.count[0], 3, 'three images a step');
  assert.equal(sniffImageType(await client.blob('mnist/adam', 'input/samples', 0, 2)), 'image/png');
  const t = await client.tensor('mnist/adam', 'weights/dense1', 0);
  assert.deepEqual(t.shape, [30, 3]);
  assert.equal('refs' in t, false, 'the client answers without refs');
  const s = await client.scalars('baseline', 'loss', { xAxis: 'step', width: 10, smoothing: 0.6 });
  assert.ok(s.step.length <= 2 * 10 + 2 && s.total > 20, 'reduced per pixel column');
  assert.equal((await client.hparams()).sessions.length, 12);
  assert.equal((await client.customScalars()).length, 3);
  client.port.close();
});
