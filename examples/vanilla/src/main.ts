import { HealthReport } from '@vexport/sdk';

const summary = document.querySelector<HTMLElement>('#status-summary')!;
const list = document.querySelector<HTMLDListElement>('#status-list')!;

function row(term: string, value: string | null, error?: string): void {
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.textContent = value ?? `unavailable${error ? ` (${error})` : ''}`;
  dd.className = value ? 'ok' : 'bad';
  list.append(dt, dd);
}

async function refresh(): Promise<void> {
  summary.textContent = 'Checking…';
  list.replaceChildren();
  try {
    const response = await fetch('/healthz', { cache: 'no-store' });
    const report = HealthReport.parse(await response.json());
    summary.textContent = report.status === 'ok' ? 'Everything is running.' : 'Something is not reachable.';
    row('API', report.version);
    row('PostgreSQL', report.postgres.version, report.postgres.error);
    row('Redis', report.redis.version, report.redis.error);
    row('ffmpeg', report.ffmpeg.version, report.workers.length === 0 ? 'no worker running' : undefined);
    row('Workers', report.workers.length > 0 ? report.workers.map((worker) => worker.id).join(', ') : null);
  } catch {
    summary.textContent = 'The API cannot be reached. Is `npm start` running?';
  }
}

document.querySelector('#refresh')!.addEventListener('click', () => void refresh());
void refresh();
