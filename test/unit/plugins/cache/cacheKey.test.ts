import { expect } from 'chai';
import { scopePrefix, textKey, tokenKey, type KeyScope } from '../../../../plugins/cache/cacheKey.js';

const SCOPE: KeyScope = { model: 'all-MiniLM-L6-v2', variant: 'fp32', precision: 'default', truncation: 256 };
const key = (scope: Partial<KeyScope>, text = 'hello world'): string => textKey(scopePrefix({ ...SCOPE, ...scope }), text);

describe('cache keys', () => {
  it('gives the same text in the same scope the same key', () => {
    expect(key({})).to.equal(key({}));
  });

  for (const [dimension, other] of [
    ['model', { model: 'bge-small-en-v1.5' }],
    ['variant', { variant: 'int8' }],
    ['precision', { precision: 'int8' }],
    ['truncation', { truncation: 128 }],
  ] as const) {
    it(`changes when only the ${dimension} changes`, () => {
      expect(key(other)).to.not.equal(key({}));
    });
  }

  it('changes when only the text changes, by one character', () => {
    expect(key({}, 'hello world.')).to.not.equal(key({}, 'hello world'));
  });

  it('keeps scope and text apart: characters cannot move from one into the other', () => {
    // Plain concatenation would make "…|256" + "x" and "…|25" + "6x" the same string.
    expect(key({ truncation: 256 }, 'x')).to.not.equal(key({ truncation: 25 }, '6x'));
    expect(key({ precision: 'int8' }, '"x')).to.not.equal(key({ precision: 'int8"' }, 'x'));
  });

  it('keys token ids apart from texts and from other ids', () => {
    const prefix = scopePrefix(SCOPE);

    expect(tokenKey(prefix, Int32Array.of(101, 7592, 102))).to.match(/^k:[0-9a-f]{32}$/);
    expect(tokenKey(prefix, Int32Array.of(101, 7592, 102))).to.not.equal(tokenKey(prefix, Int32Array.of(101, 7593, 102)));
    expect(textKey(prefix, 'x')).to.match(/^t:[0-9a-f]{32}$/);
  });

  it('reads only the token ids a subarray covers', () => {
    const prefix = scopePrefix(SCOPE);
    const buffer = Int32Array.of(1, 101, 7592, 102, 9);

    expect(tokenKey(prefix, buffer.subarray(1, 4))).to.equal(tokenKey(prefix, Int32Array.of(101, 7592, 102)));
  });
});
