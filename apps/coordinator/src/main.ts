import 'reflect-metadata';
import { loadCoordinatorConfig } from './config/coordinator-config.js';
import { startCoordinator } from './coordinator.js';

// `node dist/apps/coordinator/src/main.js`: configuration comes from the environment.
const coordinator = await startCoordinator(loadCoordinatorConfig()).catch((e: unknown) => {
  process.stderr.write(
    `coordinator failed to start: ${e instanceof Error ? e.message : String(e)}\n`,
  );
  process.exit(1);
});
process.stdout.write(`concord coordinator listening on ${coordinator.url}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void coordinator.close().finally(() => process.exit(0));
  });
}
