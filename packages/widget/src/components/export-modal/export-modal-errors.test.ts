import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { createClient, VexportError, type VexportClient } from '@vexport/sdk';
import { testStack } from '../../../test/test-stack.js';
import './export-modal.js';
import type { ExportModal } from './export-modal.js';

async function openModalWith(client: VexportClient): Promise<HTMLElement> {
  const modal = await fixture<ExportModal>(
    html`<export-modal
      video-id=${testStack().videoId}
      .segments=${[{ start_time: 0, end_time: 1 }]}
      .client=${client}
    ></export-modal>`,
  );
  modal.open = true;
  await modal.updateComplete;
  await waitUntil(() => modal.shadowRoot!.querySelector('[part="error"]'), 'no error was shown', {
    timeout: 20_000,
  });
  return modal.shadowRoot!.querySelector<HTMLElement>('[part="error"]')!;
}

describe('<export-modal> errors a person can act on, against the real API', () => {
  it('says the session expired for a token the API refuses (401), with code unauthorized', async () => {
    const client = createClient({ baseUrl: testStack().apiBase, token: 'expired-or-invalid' });
    const error = await openModalWith(client);
    expect(error.dataset.code).to.equal('unauthorized');
    expect(error.textContent).to.contain('Your session has expired');
  });

  it('names CORS_ORIGINS when an API on another origin refuses this page, with code cors_refused', async () => {
    const client = createClient({ baseUrl: testStack().apiWithoutCors, token: testStack().token });
    const error = await openModalWith(client);
    expect(error.dataset.code).to.equal('cors_refused');
    expect(error.textContent).to.contain('CORS_ORIGINS');
    expect(error.textContent).not.to.contain('Your session has expired');
  });

  it('tells a network failure apart from a CORS refusal, with code connection_error', async () => {
    // a port nothing listens on: no answer at all, not even an opaque one
    const client = createClient({ baseUrl: 'http://127.0.0.1:9', token: testStack().token, maxRetries: 0 });
    const error = await openModalWith(client);
    expect(error.dataset.code).to.equal('connection_error');
    expect(error.textContent).to.contain('Check your connection');
    expect(error.textContent).not.to.contain('CORS_ORIGINS');
  });

  it("gives the SDK's own error the code cors_refused and the page's origin to list", async () => {
    const client = createClient({ baseUrl: testStack().apiWithoutCors, token: testStack().token });
    const failure = await client.getSettings().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).to.be.instanceOf(VexportError);
    expect((failure as VexportError).code).to.equal('cors_refused');
    expect((failure as VexportError).message).to.contain(`list ${location.origin} in CORS_ORIGINS`);
  });
});
