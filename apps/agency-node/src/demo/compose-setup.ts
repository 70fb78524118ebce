import { setUpComposeDemo } from './compose-demo-setup.js';

// `node dist/apps/agency-node/src/demo/compose-setup.js`: the `init` service of docker/compose.yaml.
try {
  setUpComposeDemo(process.env);
} catch (e) {
  process.stderr.write(`concord setup: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
