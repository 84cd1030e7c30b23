import { expect } from 'chai';
import type { MessageLimits } from '../../../../adapters/sqs/message/embedMessage.js';
import { InvalidMessageError } from '../../../../adapters/sqs/message/InvalidMessageError.js';
import { parseEmbedMessage } from '../../../../adapters/sqs/message/parseEmbedMessage.js';
import { MALFORMED, sqsRecord, type MalformedKind } from '../../../fixtures/sqsRecord.js';

const LIMITS: MessageLimits = { maxTextsPerMessage: 8, maxTextChars: 100, maxMessageBytes: 4096, model: 'all-MiniLM-L6-v2', defaultPriority: 'normal' };
const SIZES: Record<MalformedKind, number> = { not_json: 0, empty_texts: 0, wrong_types: 0, unknown_version: 0, too_many_texts: 9, text_too_long: 101, oversize_body: 5000 };

function reasonOf(body: string, priorityAttribute?: string): string {
  try {
    parseEmbedMessage({ body, priorityAttribute }, LIMITS);
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidMessageError);
    return (error as InvalidMessageError).reason;
  }
  throw new Error('expected the message to be rejected');
}

describe('parseEmbedMessage (message contract v1)', () => {
  it('normalizes "text" into a one-element list with the default priority', () => {
    const message = parseEmbedMessage({ body: '{"v":1,"id":"doc-1","text":"hello"}' }, LIMITS);

    expect(message).to.deep.include({ id: 'doc-1', texts: ['hello'], priority: 'normal' });
  });

  it('keeps texts, metadata, the reply-to queue and the result format', () => {
    const body = JSON.stringify({ v: 1, id: 'doc-2', texts: ['a', ''], metadata: { tenant: 7 }, sink: { replyTo: 'http://127.0.0.1:9324/000000000000/replies', format: 'npy' } });

    const message = parseEmbedMessage({ body }, LIMITS);

    expect(message).to.deep.include({ texts: ['a', ''], metadata: { tenant: 7 }, replyTo: 'http://127.0.0.1:9324/000000000000/replies', format: 'npy' });
  });

  it('takes the priority from the message attribute when the body has none, and from the body when both do', () => {
    const fromAttribute = parseEmbedMessage({ body: '{"v":1,"id":"p","text":"x"}', priorityAttribute: 'critical' }, LIMITS);
    const fromBody = parseEmbedMessage({ body: '{"v":1,"id":"p","text":"x","priority":"background"}', priorityAttribute: 'critical' }, LIMITS);

    expect([fromAttribute.priority, fromBody.priority]).to.deep.equal(['critical', 'background']);
  });

  for (const kind of Object.keys(MALFORMED) as MalformedKind[]) {
    it(`rejects ${kind.replace(/_/g, ' ')} with reason ${MALFORMED[kind].reason}`, () => {
      expect(reasonOf(sqsRecord.malformed(kind, SIZES[kind]).body)).to.equal(MALFORMED[kind].reason);
    });
  }

  it('rejects both "text" and "texts", neither, a missing version, unknown fields, unsafe ids and an unknown priority attribute', () => {
    expect(reasonOf('{"v":1,"id":"a","text":"x","texts":["y"]}')).to.equal('invalid_message');
    expect(reasonOf('{"v":1,"id":"a"}')).to.equal('invalid_message');
    expect(reasonOf('{"id":"a","text":"x"}')).to.equal('invalid_message');
    expect(reasonOf('{"v":1,"id":"a","textz":["x"]}')).to.equal('invalid_message');
    expect(reasonOf('{"v":1,"id":"../etc/passwd","text":"x"}')).to.equal('invalid_message');
    expect(reasonOf('[1,2]')).to.equal('invalid_message');
    expect(reasonOf('{"v":1,"id":"a","text":"x"}', 'urgent')).to.equal('invalid_message');
  });

  it('names at most three unknown fields, each cut short, so a client cannot put text into the DLQ reason and logs', () => {
    const keys = ['a'.repeat(500), 'b', 'c', 'd', 'e'];
    const body = JSON.stringify({ v: 1, id: 'a', text: 'x', ...Object.fromEntries(keys.map((k) => [k, 1])) });
    let message = '';
    try {
      parseEmbedMessage({ body }, LIMITS);
    } catch (error) {
      message = (error as InvalidMessageError).message;
    }
    expect(message).to.include(`unknown fields "${'a'.repeat(32)}…", "b", "c" and 2 more`);
    expect(message).not.to.include('a'.repeat(33));
    expect(message).not.to.include('"d"');
  });

  it('rejects a message for another model', () => {
    expect(reasonOf('{"v":1,"id":"a","text":"x","model":"bge-large"}')).to.equal('unsupported_model');
  });

  it('says what to change in the error message', () => {
    expect(() => parseEmbedMessage({ body: sqsRecord.malformed('too_many_texts', 9).body }, LIMITS)).to.throw(/at most 8 per message\. Split it/);
  });
});
