import { createClient, type ExportSegmentInput, type VexportClient } from '@vexport/sdk';
import type {} from '@vexport/widget/react';
import { useEffect, useState } from 'react';

interface HostConfig {
  apiBase: string;
  token: string;
  videoId: string;
}

const SEGMENTS: ExportSegmentInput[] = [{ start_time: 0, end_time: 1, label: 'Opening' }];

export function App() {
  const [config, setConfig] = useState<HostConfig>();
  const [client, setClient] = useState<VexportClient>();
  const [open, setOpen] = useState(false);
  const [exportId, setExportId] = useState('');
  const [messages, setMessages] = useState<string[]>([]);
  const say = (message: string) => setMessages((current) => [...current, message]);

  useEffect(() => {
    void fetch('/host-config.json')
      .then((response) => response.json() as Promise<HostConfig>)
      .then((loaded) => {
        setConfig(loaded);
        setClient(createClient({ baseUrl: loaded.apiBase, token: loaded.token }));
      });
  }, []);

  return (
    <vexport-provider client={client}>
      <h1>React host app</h1>
      <button disabled={!config} onClick={() => setOpen(true)}>
        Export…
      </button>
      <export-modal
        video-id={config?.videoId}
        segments={SEGMENTS}
        source="/sample.mp4"
        open={open}
        onexport-created={(event) => {
          setOpen(false);
          setExportId(event.detail.export.id);
        }}
        onexport-modal-close={() => setOpen(false)}
        onlocal-export-completed={(event) =>
          say(`Exported in this browser: ${event.detail.fileName} (${event.detail.blob.size} bytes)`)
        }
      />
      {exportId && (
        <export-progress
          exportId={exportId}
          onexport-completed={(event) => say(`Export completed: ${event.detail.export.id}`)}
        />
      )}
      <ul role="status">
        {messages.map((message) => (
          <li key={message}>{message}</li>
        ))}
      </ul>
    </vexport-provider>
  );
}
