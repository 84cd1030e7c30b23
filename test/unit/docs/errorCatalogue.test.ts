import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, type ErrorCode } from '../../../core/errors.js';
import { statusFor } from '../../../adapters/http/errorResponse.js';

const doc = readFileSync(fileURLToPath(new URL('../../../../docs/errors.md', import.meta.url)), 'utf8');
const rows = [...doc.matchAll(/^\| `(EMBEDLINE_[A-Z_]+)` \| (\d{3})/gm)].map((m) => ({ code: m[1]!, status: Number(m[2]) }));
const documented = new Set(rows.map((r) => r.code));

describe('error catalogue', () => {
  it('documents every error code the code can raise', () => {
    expect(Object.keys(ERROR_CODES).filter((code) => !documented.has(code))).to.deep.equal([]);
  });

  it('states the HTTP status the API really answers with', () => {
    for (const { code, status } of rows) expect(statusFor(code as ErrorCode), code).to.equal(status);
  });

  it('documents no code that no longer exists', () => {
    expect([...documented].filter((code) => !(code in ERROR_CODES))).to.deep.equal([]);
  });
});
