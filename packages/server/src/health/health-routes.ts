import { Router } from 'express';
import { ServiceUnavailableError } from '../http/problem.js';
import { buildHealthReport, type HealthDependencies } from './health-service.js';

/**
 * `GET /healthz`: the process is alive (always 200) and what it found: PostgreSQL, Redis and ffmpeg versions.
 * `GET /readyz`: 200 when PostgreSQL and Redis answer, else 503 problem+json, so a load balancer stops routing.
 */
export function healthRoutes(dependencies: HealthDependencies): Router {
  const router = Router();
  router.get('/healthz', async (_request, response) => {
    response.set('Cache-Control', 'no-store').json(await buildHealthReport(dependencies));
  });
  router.get('/readyz', async (_request, response) => {
    const report = await buildHealthReport(dependencies);
    if (report.status !== 'ok') {
      const failing = [report.postgres.error && 'PostgreSQL', report.redis.error && 'Redis'].filter(Boolean);
      throw new ServiceUnavailableError(`${failing.join(' and ')} cannot be reached.`);
    }
    response.set('Cache-Control', 'no-store').json({ status: 'ready' });
  });
  return router;
}
