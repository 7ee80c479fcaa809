import { expect } from '@open-wc/testing';
import { VexportConnectionError, VexportError } from '@vexport/sdk';
import { defaultStrings } from '../i18n/strings.js';
import { describeError } from './describe-error.js';

const describe429 = (retryAfterSeconds?: number) =>
  describeError(
    new VexportError('Too many requests', 429, 'rate_limited', undefined, retryAfterSeconds),
    defaultStrings,
  );

describe('describeError', () => {
  it('gives 401, 403, 429, 5xx and a network failure each their own code and text', () => {
    const cases = [
      new VexportError('Unauthorized', 401, 'unauthorized'),
      new VexportError('Forbidden', 403, 'forbidden'),
      new VexportError('Too many', 429, 'rate_limited'),
      new VexportError('The server answered 502 Bad Gateway', 502, 'internal_error'),
      new VexportError('Down for maintenance', 503, 'service_unavailable'),
      new VexportConnectionError(),
    ].map((error) => describeError(error, defaultStrings));
    expect(cases.map(({ code }) => code)).to.deep.equal([
      'unauthorized',
      'forbidden',
      'rate_limited',
      'internal_error',
      'service_unavailable',
      'connection_error',
    ]);
    expect(new Set(cases.map(({ message }) => message)).size).to.equal(cases.length);
  });

  it('says when to try again after a 429 that carries Retry-After', () => {
    expect(describe429(30).message).to.contain('Try again in 30 s.');
    expect(describe429(600).message).to.contain('Try again in 10 min.');
    expect(describe429().message).not.to.contain('Try again in');
  });

  it('falls back by status for a code it has no text for', () => {
    const described = describeError(new VexportError('Nope', 401, 'invalid_response'), defaultStrings);
    expect(described.code).to.equal('unauthorized');
  });

  it('reads an error of another copy of the SDK by its fields, not by its class', () => {
    const foreign = Object.assign(new Error('Unauthorized'), { status: 401, code: 'unauthorized' });
    expect(describeError(foreign, defaultStrings).code).to.equal('unauthorized');
  });

  it('uses the fallback text for anything that is not an API error', () => {
    expect(describeError(new TypeError('boom'), defaultStrings, 'Fallback')).to.deep.equal({
      code: 'unknown',
      message: 'Fallback',
    });
  });
});
