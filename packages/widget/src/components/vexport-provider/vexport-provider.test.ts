import { consume } from '@lit/context';
import { expect, fixture, html } from '@open-wc/testing';
import type { VexportClient } from '@vexport/sdk';
import { LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { clientContext } from '../../context/client-context.js';
// the add-on's module that decides where the cores are, as a host's bundle would include it
import { coreUrls, setBasePath } from '../../../../widget-ffmpeg/src/core-location.js';
import './vexport-provider.js';
import type { VexportProvider } from './vexport-provider.js';

@customElement('test-client-consumer')
class TestClientConsumer extends LitElement {
  @consume({ context: clientContext, subscribe: true })
  @state()
  client?: VexportClient;
}

describe('<vexport-provider>', () => {
  const realFetch = window.fetch;
  let requests: { url: string; authorization: string | null }[];

  beforeEach(() => {
    requests = [];
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      requests.push({ url: String(input), authorization: headers.get('authorization') });
      return new Response(JSON.stringify({ id: 'e1' }), { headers: { 'content-type': 'application/json' } });
    };
  });

  afterEach(() => {
    window.fetch = realFetch;
  });

  it('gives nested elements a client for its api-base and token', async () => {
    const provider = await fixture<VexportProvider>(html`
      <vexport-provider api-base="https://api.example.test" .getToken=${() => 'token-1'}>
        <div><test-client-consumer></test-client-consumer></div>
      </vexport-provider>
    `);
    const consumer = provider.querySelector('test-client-consumer') as TestClientConsumer;
    expect(consumer.client).to.exist;
    await consumer.client!.getExport('e1');
    expect(requests).to.deep.equal([
      { url: 'https://api.example.test/api/exports/e1', authorization: 'Bearer token-1' },
    ]);
  });

  it('hands consumers a new client when api-base changes', async () => {
    const provider = await fixture<VexportProvider>(html`
      <vexport-provider api-base="https://one.test"
        ><test-client-consumer></test-client-consumer
      ></vexport-provider>
    `);
    const consumer = provider.querySelector('test-client-consumer') as TestClientConsumer;
    const first = consumer.client;
    provider.apiBase = 'https://two.test';
    await provider.updateComplete;
    expect(consumer.client).to.not.equal(first);
    await consumer.client!.getExport('e2');
    expect(requests[0]!.url).to.equal('https://two.test/api/exports/e2');
  });

  it('prefers a client the host app built itself', async () => {
    const hostClient = { getExport: async () => ({}) } as unknown as VexportClient;
    const provider = await fixture<VexportProvider>(html`
      <vexport-provider api-base="https://ignored.test" .client=${hostClient}>
        <test-client-consumer></test-client-consumer>
      </vexport-provider>
    `);
    expect((provider.querySelector('test-client-consumer') as TestClientConsumer).client).to.equal(
      hostClient,
    );
  });

  it('renders its children in place without a box of its own', async () => {
    const provider = await fixture<VexportProvider>(html`<vexport-provider><p>child</p></vexport-provider>`);
    expect(getComputedStyle(provider).display).to.equal('contents');
    expect(provider.querySelector('p')!.textContent).to.equal('child');
  });
});

describe('<vexport-provider ffmpeg-base-path>', () => {
  afterEach(() => setBasePath(undefined));

  it('tells the in-browser add-on where its cores are served from, unless the host set a path in code', async () => {
    await fixture(html`<vexport-provider ffmpeg-base-path="/vendor/ffmpeg/"></vexport-provider>`);
    expect(coreUrls(false).coreURL).to.equal(
      new URL('/vendor/ffmpeg/st/ffmpeg-core.js', document.baseURI).href,
    );
    expect(coreUrls(true).workerURL).to.equal(
      new URL('/vendor/ffmpeg/mt/ffmpeg-core.worker.js', document.baseURI).href,
    );
    setBasePath('https://cdn.example.test/ffmpeg');
    expect(coreUrls(false).wasmURL).to.equal('https://cdn.example.test/ffmpeg/st/ffmpeg-core.wasm');
  });
});
