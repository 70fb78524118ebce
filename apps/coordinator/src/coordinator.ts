import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdirSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import {
  type EmbeddedPostgres,
  runPendingMigrations,
  startEmbeddedPostgres,
} from '#concord/persistence';
import { logHugePageStatus } from '#concord/allocator';
import { AppModule } from './app.module.js';
import { RedisIoAdapter } from './cluster/redis-io.adapter.js';
import { bodyParserErrors } from './common/body-errors.js';
import { ProblemDetailsFilter } from './common/problem-details.filter.js';
import { RequestShapePipe } from './common/request-shape.pipe.js';
import type { CoordinatorConfig } from './config/coordinator-config.js';
import { accessLog } from './logging/access-log.js';
import { readTlsCredentials } from './config/tls-credentials.js';
import { createLogger, PinoNestLogger } from './logging/logger.js';
import { CoordinatorMetrics } from './metrics/coordinator-metrics.js';
import { packageRoot } from './package-root.js';

export interface RunningCoordinator {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Boots the coordinator: picks the database (PostgreSQL from DATABASE_URL, else embedded PGlite
 * in a worker thread), applies pending migrations, then starts the HTTP API and the socket.io
 * gateway on one port, over TLS when TLS_CERT_FILE and TLS_KEY_FILE are given.
 */
export async function startCoordinator(config: CoordinatorConfig): Promise<RunningCoordinator> {
  const logger = createLogger(config.LOG_LEVEL);
  const tls = readTlsCredentials(config);
  let embedded: EmbeddedPostgres | undefined;
  let database: { url: string; poolSize: number };
  if (config.DATABASE_URL) {
    database = { url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE };
  } else {
    const dataDir = config.EMBEDDED_DB === 'disk' ? resolve(config.DATA_DIR, 'pglite') : undefined;
    if (dataDir) mkdirSync(resolve(config.DATA_DIR), { recursive: true });
    embedded = await startEmbeddedPostgres({ dataDir, mode: 'worker' });
    // The embedded server takes one client at a time, so the pool holds one connection.
    database = { url: embedded.url, poolSize: 1 };
    logger.info({ dataDir: dataDir ?? 'memory' }, 'embedded PostgreSQL (PGlite) started');
  }
  try {
    // Serialised across replicas by an advisory lock (see runPendingMigrations).
    await runPendingMigrations(database.url);
    const app = await NestFactory.create<NestExpressApplication>(
      AppModule.create(config, logger, database),
      {
        logger: new PinoNestLogger(logger),
        bodyParser: false,
        // The socket.io gateway attaches to this same server, so nodes get wss with HTTPS.
        ...(tls ? { httpsOptions: { cert: tls.cert, key: tls.key } } : {}),
      },
    );
    if (config.REDIS_URL) {
      app.useWebSocketAdapter(
        new RedisIoAdapter(app, config.REDIS_URL, config.REDIS_KEY_PREFIX, (trouble) =>
          trouble
            ? logger.warn({ err: trouble }, 'Redis unreachable; replicas cannot reach each other')
            : logger.info('Redis reachable again'),
        ),
      );
    }
    app.use(accessLog(logger));
    // Behind a TLS-terminating proxy, the client's address (rate limits, logs) is the one the
    // trusted proxy forwarded, not the proxy's own.
    if (config.TLS_TERMINATED_BY_PROXY) app.set('trust proxy', config.TRUSTED_PROXIES);
    app.useBodyParser('json', { limit: '64kb' });
    app.use(bodyParserErrors);
    app.useGlobalPipes(
      new RequestShapePipe(),
      new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
    );
    app.useGlobalFilters(new ProblemDetailsFilter(app.get(CoordinatorMetrics)));
    serveDashboard(app);
    const openApi = new DocumentBuilder()
      .setTitle('Concord coordinator')
      .setDescription(
        'Joint transit reports computed under secret sharing and released with differential privacy. ' +
          'Errors are RFC 7807 problem documents.',
      )
      .setVersion('0.1.0')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        // Not the library's default 'JWT': the token is a random secret with nothing to decode.
        bearerFormat: 'opaque',
        description:
          'An opaque bearer token (`concord_…`), issued by an admin with POST /admin/tokens (the ' +
          'first admin uses the ADMIN_TOKEN the coordinator is configured with). Send it as ' +
          '`Authorization: Bearer <token>`. It is a random secret, not a JWT: it carries no ' +
          'readable claims; the coordinator looks it up (role, expiry, revocation) on every request.',
      })
      .build();
    SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi), {
      jsonDocumentUrl: 'api/docs.json',
    });
    await app.listen(config.PORT, config.HOST);
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const url = `${tls ? 'https' : 'http'}://${config.HOST}:${port}`;
    logger.info({ url }, 'coordinator listening');
    logHugePageStatus(logger);
    return {
      url,
      async close() {
        await app.close();
        await embedded?.stop();
      },
    };
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
}

/**
 * The dashboard: static files (no build step) and the two charting libraries it loads, served
 * from the installed packages. Everything it shows comes from the same token-guarded API.
 */
const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; " +
  "require-trusted-types-for 'script'; trusted-types 'none'";

function serveDashboard(app: NestExpressApplication): void {
  const root = packageRoot();
  app.useStaticAssets(join(root, 'apps/coordinator/dashboard'), {
    index: 'index.html',
    setHeaders: (res: ServerResponse) => {
      // The same policy as the page's meta tag, plus what only a header can say (framing).
      res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
    },
  });
  // The privacy page every stated ε links to (docs/privacy.md, 'Accounting'): public text.
  app.useStaticAssets(join(root, 'docs'), {
    prefix: '/docs/',
    setHeaders: (res: ServerResponse) => {
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.setHeader('X-Content-Type-Options', 'nosniff');
    },
  });
  app.useStaticAssets(join(root, 'node_modules/chart.js/dist'), { prefix: '/vendor/chart.js/' });
  app.useStaticAssets(join(root, 'node_modules/chartjs-chart-error-bars/build'), {
    prefix: '/vendor/chartjs-chart-error-bars/',
  });
}
