import { HealthReport } from '@vexport/sdk';

function row(list: HTMLDListElement, term: string, value: string | null, error?: string): void {
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.textContent = value ?? `unavailable${error ? ` (${error})` : ''}`;
  dd.className = value ? 'ok' : 'bad';
  list.append(dt, dd);
}

/** Shows what `/healthz` reports: the API, PostgreSQL, Redis and the workers' ffmpeg. */
export async function renderStatus(): Promise<void> {
  const summary = document.querySelector<HTMLElement>('#status-summary')!;
  const list = document.querySelector<HTMLDListElement>('#status-list')!;
  summary.textContent = 'Checking…';
  list.replaceChildren();
  try {
    const response = await fetch('/healthz', { cache: 'no-store' });
    const report = HealthReport.parse(await response.json());
    summary.textContent = report.status === 'ok' ? 'Everything is running.' : 'Something is not reachable.';
    row(list, 'API', report.version);
    row(list, 'PostgreSQL', report.postgres.version, report.postgres.error);
    row(list, 'Redis', report.redis.version, report.redis.error);
    row(list, 'ffmpeg', report.ffmpeg.version, report.workers.length === 0 ? 'no worker running' : undefined);
    row(
      list,
      'Workers',
      report.workers.length > 0 ? report.workers.map((worker) => worker.id).join(', ') : null,
    );
  } catch {
    summary.textContent = 'The API cannot be reached. Is `npm start` running?';
  }
}
