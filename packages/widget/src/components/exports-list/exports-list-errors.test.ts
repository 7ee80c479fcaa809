import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { createClient, type VexportClient } from '@vexport/sdk';
import { testStack } from '../../../test/test-stack.js';
import './exports-list.js';
import type { ExportsList } from './exports-list.js';

async function errorShownWith(client: VexportClient): Promise<HTMLElement> {
  const list = await fixture<ExportsList>(html`<exports-list .client=${client}></exports-list>`);
  await waitUntil(() => list.shadowRoot!.querySelector('[part="error"]'), 'no error was shown', {
    timeout: 20_000,
  });
  return list.shadowRoot!.querySelector<HTMLElement>('[part="error"]')!;
}

describe('<exports-list> errors a person can act on, against the real API', () => {
  it('tells an expired token (401) and a refused origin (CORS) apart', async () => {
    const expired = await errorShownWith(
      createClient({ baseUrl: testStack().apiBase, token: 'expired-or-invalid' }),
    );
    const refused = await errorShownWith(
      createClient({ baseUrl: testStack().apiWithoutCors, token: testStack().token }),
    );
    expect([expired.dataset.code, refused.dataset.code]).to.deep.equal(['unauthorized', 'cors_refused']);
    expect(expired.textContent).to.contain('Your session has expired');
    expect(refused.textContent).to.contain('CORS_ORIGINS');
  });
});
