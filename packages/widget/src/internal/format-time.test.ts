import { expect } from '@open-wc/testing';
import { formatLength, formatTimecode } from './format-time.js';

describe('formatTimecode', () => {
  it('shows a point in the video to a tenth of a second, as the editor lists it', () => {
    expect(formatTimecode(10.26)).to.equal('0:10.3');
    expect(formatTimecode(11.54)).to.equal('0:11.5');
    expect(formatTimecode(0)).to.equal('0:00.0');
    expect(formatTimecode(724)).to.equal('12:04.0');
    expect(formatTimecode(3725.5)).to.equal('1:02:05.5');
  });

  it('carries a rounded tenth into the next second and minute', () => {
    expect(formatTimecode(59.96)).to.equal('1:00.0');
    expect(formatTimecode(3599.99)).to.equal('1:00:00.0');
  });
});

describe('formatLength', () => {
  it('gives lengths under a minute in seconds to a tenth', () => {
    expect(formatLength(1.2)).to.equal('1.2 s');
    expect(formatLength(1.24)).to.equal('1.2 s');
    expect(formatLength(0.04)).to.equal('0.0 s');
    expect(formatLength(59.94)).to.equal('59.9 s');
  });

  it('gives longer lengths as minutes and seconds to a tenth', () => {
    expect(formatLength(65.3)).to.equal('1:05.3');
    expect(formatLength(59.96)).to.equal('1:00.0');
  });
});
