import 'reflect-metadata';
import { ConfigurationError, describeError, EX_CONFIG } from '#concord/errors';
import { failpointsArmed } from '#concord/failpoint';
import { type CoordinatorConfig, loadCoordinatorConfig } from './config/coordinator-config.js';
import { startCoordinator } from './coordinator.js';

// `node dist/apps/coordinator/src/main.js`: configuration comes from the environment.
//
// Process-level policy (docs/operations.md): an unhandled rejection or an uncaught exception is a
// bug, never an expected outcome. The process logs it in one line (no secret can be in it: errors
// carry none) and exits with 70 (EX_SOFTWARE) for its supervisor to restart it; every session it
// ran is durable and resumes at the next start. SIGTERM and SIGINT drain and exit 0. A refused
// configuration is one line naming the variable and what it must be, and exit code 78 (EX_CONFIG).
for (const event of ['unhandledRejection', 'uncaughtException'] as const) {
  process.on(event, (error: unknown) => {
    process.stderr.write(`coordinator: fatal ${event}: ${describeError(error)}\n`);
    process.exit(70);
  });
}

const coordinator = await startCoordinator(configOrExit()).catch((e: unknown) => {
  process.stderr.write(`coordinator failed to start: ${describeError(e)}\n`);
  process.exit(1);
});
const armed = failpointsArmed();
if (armed.length > 0)
  process.stderr.write(`coordinator: fault-injection points armed: ${armed.join(', ')}\n`);
process.stdout.write(`concord coordinator listening on ${coordinator.url}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    coordinator
      .close()
      .then(() => process.exit(0))
      .catch((e: unknown) => {
        process.stderr.write(`coordinator: shutdown failed: ${describeError(e)}\n`);
        process.exit(1);
      });
  });
}

function configOrExit(): CoordinatorConfig {
  try {
    return loadCoordinatorConfig();
  } catch (e) {
    if (!(e instanceof ConfigurationError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(EX_CONFIG);
  }
}
