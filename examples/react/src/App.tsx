import {
  createClient,
  type Export,
  type ExportSegmentInput,
  type Video,
  type VexportClient,
} from '@vexport/sdk';
import '@vexport/widget';
import { useEffect, useState } from 'react';

/** Under `npm start` the API hands the demo a development token; a real app gets one from its backend. */
async function connect(): Promise<VexportClient> {
  const { apiBase, token } = (await (await fetch('/demo-config.json')).json()) as {
    apiBase: string;
    token: string;
  };
  return createClient({ baseUrl: apiBase || location.origin, token });
}

export function App() {
  const [client, setClient] = useState<VexportClient>();
  const [videos, setVideos] = useState<Video[]>([]);
  const [video, setVideo] = useState<Video>();
  const [open, setOpen] = useState(false);
  const [exports, setExports] = useState<Export[]>([]);
  const [finished, setFinished] = useState<string[]>([]);

  useEffect(() => {
    void connect().then(async (connected) => {
      setClient(connected);
      setVideos((await connected.listVideos()).videos.filter((item) => item.status === 'completed'));
    });
  }, []);

  const segments: ExportSegmentInput[] = video
    ? [
        { start_time: 0, end_time: Math.min(1, video.duration_seconds ?? 1), label: 'Opening' },
        {
          start_time: (video.duration_seconds ?? 2) / 2,
          end_time: video.duration_seconds ?? 2,
          label: 'Second half',
        },
      ]
    : [];

  return (
    <vexport-provider client={client}>
      <main>
        <section className="card">
          <h1>vexport in React</h1>
          <label>
            Video{' '}
            <select
              aria-label="Video"
              value={video?.id ?? ''}
              onChange={(event) => setVideo(videos.find((item) => item.id === event.target.value))}
            >
              <option value="">Choose…</option>
              {videos.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.title}
                </option>
              ))}
            </select>
          </label>{' '}
          <button className="primary" disabled={!video} onClick={() => setOpen(true)}>
            Export opening and second half…
          </button>
        </section>
        <export-modal
          video-id={video?.id}
          segments={segments}
          open={open}
          onexport-created={(event) => {
            setOpen(false);
            setExports((current) => [event.detail.export, ...current]);
          }}
          onexport-modal-close={() => setOpen(false)}
        />
        {exports.map((item) => (
          <export-progress
            key={item.id}
            export-id={item.id}
            onexport-completed={(event) => setFinished((current) => [...current, event.detail.export.id])}
          />
        ))}
        <p role="status">{finished.length > 0 ? `${finished.length} export(s) finished` : ''}</p>
        {video && <exports-list video-id={video.id} />}
      </main>
    </vexport-provider>
  );
}
