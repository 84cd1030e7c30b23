import { expect } from 'chai';
import type { MessageLimits } from '../../../../adapters/sqs/message/embedMessage.js';
import { InvalidMessageError } from '../../../../adapters/sqs/message/InvalidMessageError.js';
import { parseEmbedMessage, syntaxErrorPosition } from '../../../../adapters/sqs/message/parseEmbedMessage.js';

const LIMITS: MessageLimits = { maxTextsPerMessage: 8, maxTextChars: 100, maxMessageBytes: 4096, model: 'all-MiniLM-L6-v2', defaultPriority: 'normal' };
const MARKER = 'zq-private-marker';

function rejection(body: string): InvalidMessageError {
  try {
    parseEmbedMessage({ body }, LIMITS);
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidMessageError);
    return error as InvalidMessageError;
  }
  throw new Error('expected the body to be rejected');
}

// Regression: the message used to copy V8's JSON.parse text, which quotes the body, into logs and failures.jsonl.
describe('parseEmbedMessage with a body that is not JSON', () => {
  const bodies = {
    'an unexpected token': `{"v":1,"id":"a","texts":["ok"] ${MARKER}}`,
    'a bare word': MARKER,
    'an unterminated string': `{"v":1,"id":"a","texts":["${MARKER}`,
    'trailing content': `{"v":1,"id":"a","text":"x"} ${MARKER}`,
    'a control character in a string': `{"v":1,"id":"a","text":"${MARKER}\u0001"}`,
  };

  for (const [what, body] of Object.entries(bodies)) {
    it(`reports ${what} by position, without quoting the body`, () => {
      const error = rejection(body);

      expect(error.reason).to.equal('malformed_json');
      expect(error.message).to.match(/syntax error at character \d+ of \d+/);
      expect(error.message).not.to.include(MARKER.slice(0, 4));
      expect(JSON.stringify(error.context)).not.to.include(MARKER.slice(0, 4));
    });
  }

  it('names the character where parsing failed when V8 names none (an unexpected token)', () => {
    expect(syntaxErrorPosition('{"a":tru}')).to.equal(8);
    expect(syntaxErrorPosition('[1,]')).to.equal(3);
    expect(syntaxErrorPosition('xyz')).to.equal(0);
  });

  it('takes the position V8 states, and the end for a body that stops early', () => {
    expect(syntaxErrorPosition('{"a":1} x')).to.equal(8);
    expect(syntaxErrorPosition('{"a":[1')).to.equal(7);
    expect(syntaxErrorPosition('')).to.equal(0);
  });
});
