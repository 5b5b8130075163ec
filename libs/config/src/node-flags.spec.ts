import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/**
 * The API's and the worker's heap cap is written in package.json (config.nodeFlags: npm run
 * start:api / start:worker, npm run up, the benchmark) and again in the image, which runs node
 * directly: the two must not drift apart.
 */
describe('the heap cap', () => {
  const { config, scripts } = JSON.parse(read('package.json')) as {
    config: { nodeFlags: string };
    scripts: Record<string, string>;
  };

  it('caps the old and the young generation', () => {
    expect(config.nodeFlags).toMatch(/--max-old-space-size=\d+/);
    expect(config.nodeFlags).toMatch(/--max-semi-space-size=\d+/);
  });

  it('is what start:api and start:worker run with, unless KEYDESK_NODE_FLAGS replaces it', () => {
    for (const script of ['start:api', 'start:worker']) {
      expect(scripts[script]).toMatch(/^node \$\{KEYDESK_NODE_FLAGS-\$npm_package_config_nodeFlags\} dist\//);
    }
  });

  it('is the image NODE_OPTIONS', () => {
    const options = /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(read('docker/Dockerfile'));
    expect(options?.[1]).toBe(config.nodeFlags);
  });
});
