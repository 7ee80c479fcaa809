// @ts-check
import '@vexport/widget';

/** @typedef {{ apiBase: string, token: string, videoId: string }} HostConfig */

/** @type {HostConfig} */
const config = await (await fetch('/host-config.json')).json();
const provider = document.querySelector('vexport-provider');
const modal = document.querySelector('export-modal');
const button = document.querySelector('button#open');
const status = document.querySelector('[role=status]');
if (!provider || !modal || !button || !status) throw new Error('the page is missing an element');

provider.apiBase = config.apiBase;
provider.getToken = () => config.token;
modal.videoId = config.videoId;
modal.segments = [{ start_time: 0, end_time: 1, label: 'Opening' }];
button.removeAttribute('disabled');
button.addEventListener('click', () => (modal.open = true));

modal.addEventListener('export-created', (event) => {
  const progress = document.createElement('export-progress');
  progress.exportId = event.detail.export.id;
  progress.addEventListener('export-completed', (ended) => {
    const item = document.createElement('li');
    item.textContent = `Export completed: ${ended.detail.export.id}`;
    status.append(item);
  });
  modal.after(progress);
});
