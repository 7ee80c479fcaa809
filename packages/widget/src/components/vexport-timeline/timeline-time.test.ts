import { expect } from '@open-wc/testing';
import { formatTime, parseTime, snapToFrame } from './timeline-time.js';

describe('timeline times', () => {
  it('snaps to the nearest frame, in numbers that add up', () => {
    expect(snapToFrame(1.01, 30)).to.equal(1);
    expect(snapToFrame(1.02, 30)).to.equal(1.033333);
    expect(snapToFrame(2.41, 25)).to.equal(2.4);
    expect(snapToFrame(0.049, 10)).to.equal(0);
  });

  it('shows minutes, seconds and tenths, and hours when there are any', () => {
    expect(formatTime(0)).to.equal('0:00.0');
    expect(formatTime(65.34)).to.equal('1:05.3');
    expect(formatTime(59.96)).to.equal('1:00.0');
    expect(formatTime(3725.5)).to.equal('1:02:05.5');
  });

  it('reads what people type, and nothing else', () => {
    expect(parseTime('1:05.3')).to.be.closeTo(65.3, 1e-9);
    expect(parseTime(' 65.3 ')).to.be.closeTo(65.3, 1e-9);
    expect(parseTime('0:05,5')).to.equal(5.5);
    expect(parseTime('1:02:05')).to.equal(3725);
    for (const text of ['', 'soon', '1:75', '1:2:3:4', '-3', '1:-2', '1:61:00']) {
      expect(parseTime(text), text).to.be.undefined;
    }
  });
});
