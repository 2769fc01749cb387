/**
 * Child process of the durability test: runs an API server on the SQLite data dir given as argv[2] and creates
 * PipelineRuns over HTTPS as fast as it can, printing `<name> <resourceVersion>` after each acknowledged write,
 * until it is killed.
 */
import https from 'node:https';
import path from 'node:path';
import { startApiServer } from '../../src/embedded/apiserver/index.js';
import { FileLogStore } from '../../src/embedded/logs.js';

const dir = process.argv[2] as string;
const api = await startApiServer({ dataDir: path.join(dir, 'data'), logs: new FileLogStore(path.join(dir, 'logs')) });
const agent = new https.Agent({ keepAlive: true, ca: api.ca });

function create(name: string): Promise<string> {
  const body = JSON.stringify({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name }, spec: { pipelineRef: { name: 'p' } } });
  return new Promise((resolve, reject) => {
    const req = https.request(`${api.url}/apis/tekton.dev/v1/namespaces/default/pipelineruns`, {
      method: 'POST', agent, headers: { Authorization: `Bearer ${api.token}`, 'Content-Type': 'application/json' },
    }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => (res.statusCode === 201 ? resolve((JSON.parse(text) as { metadata: { resourceVersion: string } }).metadata.resourceVersion) : reject(new Error(text))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

for (let i = 0; ; i++) {
  const name = `durable-${i}`;
  const rv = await create(name);
  process.stdout.write(`${name} ${rv}\n`);
}
