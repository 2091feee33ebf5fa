// Every link form a user can paste (sources/links.js), the file filter
// (sources/keep.js) and the test-only host override (sources/hosts.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { providerHosts, REAL_HOSTS } from '../src/sources/hosts.js';
import { keepFiles } from '../src/sources/keep.js';
import { parseLink } from '../src/sources/links.js';

const hf = (repoType, repo, revision, path, name) => ({
  provider: 'hf',
  repoType,
  repo,
  revision,
  path,
  name,
});

test('Hugging Face: repo ids, hf:// and huggingface.co URLs, revisions and subfolders', () => {
  assert.deepEqual(
    parseLink('google/bert-tiny'),
    hf('model', 'google/bert-tiny', 'main', '', 'bert-tiny'),
  );
  assert.deepEqual(parseLink('datasets/org/data'), hf('dataset', 'org/data', 'main', '', 'data'));
  assert.deepEqual(parseLink('spaces/org/app'), hf('space', 'org/app', 'main', '', 'app'));
  assert.deepEqual(
    parseLink('hf://org/m@v1.0/runs/a'),
    hf('model', 'org/m', 'v1.0', 'runs/a', 'a'),
  );
  assert.deepEqual(parseLink('hf://datasets/org/d'), hf('dataset', 'org/d', 'main', '', 'd'));
  assert.deepEqual(
    parseLink('hf://org/m@refs%2Fpr%2F3/runs'),
    hf('model', 'org/m', 'refs/pr/3', 'runs', 'runs'),
  );
  assert.deepEqual(
    parseLink('https://huggingface.co/org/m'),
    hf('model', 'org/m', 'main', '', 'm'),
  );
  assert.deepEqual(
    parseLink('https://huggingface.co/org/m/tree/dev/logs/run%201'),
    hf('model', 'org/m', 'dev', 'logs/run 1', 'run 1'),
  );
  assert.deepEqual(
    parseLink('https://hf.co/datasets/org/d/tree/main/tb'),
    hf('dataset', 'org/d', 'main', 'tb', 'tb'),
  );
  assert.deepEqual(
    parseLink('https://huggingface.co/spaces/org/s/tree/refs%2Fpr%2F3/x'),
    hf('space', 'org/s', 'refs/pr/3', 'x', 'x'),
  );
  assert.deepEqual(
    parseLink('huggingface.co/org/m/tree/refs/pr/3/x'),
    hf('model', 'org/m', 'refs/pr/3', 'x', 'x'),
  );
  assert.deepEqual(
    parseLink('https://huggingface.co/gpt2'),
    hf('model', 'gpt2', 'main', '', 'gpt2'),
  );
  assert.deepEqual(
    parseLink('https://huggingface.co/gpt2/tree/main/runs'),
    hf('model', 'gpt2', 'main', 'runs', 'runs'),
  );
  const blob = parseLink('https://huggingface.co/org/m/blob/main/runs/events.out.tfevents.1.h');
  assert.equal(blob.provider, 'file');
  assert.equal(blob.url, 'https://huggingface.co/org/m/resolve/main/runs/events.out.tfevents.1.h');
  assert.equal(
    parseLink('https://huggingface.co/datasets/o/d/resolve/refs%2Fpr%2F1/a.zip').url,
    'https://huggingface.co/datasets/o/d/resolve/refs%2Fpr%2F1/a.zip',
  );
  assert.throws(() => parseLink('https://huggingface.co/org/m/tree'), /no revision/);
  assert.throws(() => parseLink('https://huggingface.co/org/m/blob/main'), /no file named/);
  assert.throws(() => parseLink('https://huggingface.co/'), /not a Hugging Face repository/);
});

test('relative URLs and file names are not mistaken for repo ids', () => {
  assert.equal(parseLink('logs/'), null);
  assert.equal(parseLink('run/events.out.tfevents.1.host'), null);
  assert.equal(parseLink('pub/logs.tar.gz'), null);
  assert.equal(parseLink('pub/tbview-manifest.json'), null);
  assert.equal(parseLink('a/b/c'), null);
  assert.equal(parseLink('https://example.com/logs/'), null);
  assert.equal(parseLink('http://127.0.0.1:6006/logdir/'), null);
  assert.equal(parseLink('ftp://host/x'), null);
  assert.equal(parseLink('  '), null);
});

test('GitHub: repositories, tree folders, blob files, bare host', () => {
  const gh = (owner, repo, ref, path, name) => ({
    provider: 'github',
    owner,
    repo,
    ref,
    path,
    name,
  });
  assert.deepEqual(parseLink('https://github.com/o/r'), gh('o', 'r', 'HEAD', '', 'r'));
  assert.deepEqual(parseLink('github.com/o/r.git'), gh('o', 'r', 'HEAD', '', 'r'));
  assert.deepEqual(
    parseLink('https://github.com/o/r/tree/main/runs/exp%201'),
    gh('o', 'r', 'main', 'runs/exp 1', 'exp 1'),
  );
  assert.deepEqual(parseLink('https://www.github.com/o/r/tree/v2'), gh('o', 'r', 'v2', '', 'r'));
  const blob = parseLink('https://github.com/o/r/blob/main/logs/events.out.tfevents.1');
  assert.deepEqual(
    [blob.provider, blob.url],
    ['file', 'https://raw.githubusercontent.com/o/r/main/logs/events.out.tfevents.1'],
  );
  assert.throws(() => parseLink('https://github.com/o'), /expected github.com\/OWNER\/REPO/);
  assert.throws(() => parseLink('https://github.com/o/r/issues/3'), /not a folder/);
  assert.throws(() => parseLink('https://github.com/o/r/tree'), /no branch/);
});

test('GCS and S3: schemes and every https form; objects that are log files are files', () => {
  const b = (provider, bucket, prefix, endpoint, name) => ({
    provider,
    bucket,
    prefix,
    endpoint,
    name,
  });
  assert.deepEqual(parseLink('gs://bkt/exp/runs'), b('gcs', 'bkt', 'exp/runs/', null, 'runs'));
  assert.deepEqual(parseLink('gs://bkt'), b('gcs', 'bkt', '', null, 'bkt'));
  assert.deepEqual(
    parseLink('https://storage.googleapis.com/bkt/exp/'),
    b('gcs', 'bkt', 'exp/', null, 'exp'),
  );
  assert.deepEqual(
    parseLink('https://storage.cloud.google.com/bkt/a%20b/'),
    b('gcs', 'bkt', 'a b/', null, 'a b'),
  );
  assert.deepEqual(
    parseLink('https://bkt.storage.googleapis.com/exp/'),
    b('gcs', 'bkt', 'exp/', null, 'exp'),
  );
  assert.deepEqual(
    parseLink('https://console.cloud.google.com/storage/browser/bkt/exp'),
    b('gcs', 'bkt', 'exp/', null, 'exp'),
  );
  assert.deepEqual(parseLink('s3://bkt/exp/'), b('s3', 'bkt', 'exp/', null, 'exp'));
  assert.deepEqual(
    parseLink('https://bkt.s3.amazonaws.com/exp/'),
    b('s3', 'bkt', 'exp/', 'https://bkt.s3.amazonaws.com/', 'exp'),
  );
  assert.deepEqual(
    parseLink('https://s3-logs.s3.eu-west-1.amazonaws.com/x/'),
    b('s3', 's3-logs', 'x/', 'https://s3-logs.s3.eu-west-1.amazonaws.com/', 'x'),
  );
  assert.deepEqual(
    parseLink('https://s3.us-east-2.amazonaws.com/bkt/x/'),
    b('s3', 'bkt', 'x/', 'https://s3.us-east-2.amazonaws.com/bkt/', 'x'),
  );
  const f = parseLink('gs://bkt/exp/events.out.tfevents.9');
  assert.deepEqual(
    [f.provider, f.url],
    ['file', 'https://storage.googleapis.com/bkt/exp/events.out.tfevents.9'],
  );
  assert.equal(parseLink('s3://my.bkt/a.tar.gz').url, 'https://s3.amazonaws.com/my.bkt/a.tar.gz');
  assert.equal(parseLink('s3://bkt/a.tar.gz').url, 'https://bkt.s3.amazonaws.com/a.tar.gz');
  assert.throws(() => parseLink('gs://'), /no Google Cloud Storage bucket/);
  assert.throws(() => parseLink('s3:///x'), /no S3 bucket/);
  assert.throws(() => parseLink('https://s3.amazonaws.com/'), /no bucket/);
});

test('file URLs use the hosts given (the test-only override)', () => {
  const hosts = {
    ...REAL_HOSTS,
    hf: 'http://127.0.0.1:9/hf',
    githubRaw: 'http://127.0.0.1:9/raw',
    s3: 'http://127.0.0.1:9/s3',
  };
  assert.equal(
    parseLink('https://huggingface.co/o/m/blob/main/a.zip', hosts).url,
    'http://127.0.0.1:9/hf/o/m/resolve/main/a.zip',
  );
  assert.equal(
    parseLink('https://github.com/o/r/blob/v1/a.zip', hosts).url,
    'http://127.0.0.1:9/raw/o/r/v1/a.zip',
  );
  assert.equal(parseLink('s3://bkt/a.zip', hosts).url, 'http://127.0.0.1:9/s3/bkt/a.zip');
});

test('providerHosts honours loopback overrides only', () => {
  assert.deepEqual(providerHosts(undefined), REAL_HOSTS);
  const h = providerHosts({
    hf: 'http://127.0.0.1:8000/hf/',
    gcs: 'https://evil.example/gcs',
    s3: 'http://localhost:1/s3',
    githubApi: 'javascript:alert(1)',
  });
  assert.equal(h.hf, 'http://127.0.0.1:8000/hf');
  assert.equal(h.gcs, REAL_HOSTS.gcs, 'a non-loopback host is ignored');
  assert.equal(h.s3, 'http://localhost:1/s3');
  assert.equal(h.githubApi, REAL_HOSTS.githubApi);
});

test("keepFiles: event files, archives, projector files in or below their config's folder, profile files", () => {
  const paths = [
    'model.safetensors',
    'runs/a/events.out.tfevents.1.h',
    'logs.tar.gz',
    'x.tgz',
    'x.zip',
    'README.md',
    'emb/projector_config.pbtxt',
    'emb/metadata.tsv',
    'emb/00000/default/tensors.tsv',
    'other/metadata.tsv',
    'runs/a/plugins/profile/2024/host.xplane.pb',
    'plugins/profile/t/x.trace.json.gz',
    'notplugins/profiles/x',
  ];
  const { kept, skipped } = keepFiles(paths.map((path) => ({ path })));
  assert.deepEqual(
    kept.map((f) => f.path),
    [
      'runs/a/events.out.tfevents.1.h',
      'logs.tar.gz',
      'x.tgz',
      'x.zip',
      'emb/projector_config.pbtxt',
      'emb/metadata.tsv',
      'emb/00000/default/tensors.tsv',
      'runs/a/plugins/profile/2024/host.xplane.pb',
      'plugins/profile/t/x.trace.json.gz',
    ],
  );
  assert.equal(skipped, 4);
});
