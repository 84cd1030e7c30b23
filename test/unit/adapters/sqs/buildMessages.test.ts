import { expect } from 'chai';
import { buildMessages, defaultIdPrefix } from '../../../../adapters/sqs/enqueue/buildMessages.js';
import { parseEmbedMessage } from '../../../../adapters/sqs/message/parseEmbedMessage.js';

const rows = Array.from({ length: 5 }, (_, i) => ({ id: String(i + 1), text: `line ${i + 1}` }));
const options = { textsPerMessage: 2, idPrefix: 'notes-', source: 'notes.txt', maxMessageBytes: 262_144 };

describe('buildMessages (embedline enqueue)', () => {
  it('groups rows into messages named after the prefix and their row ids, with the rows in metadata', () => {
    const messages = buildMessages(rows, options);

    expect(messages.map((m) => [m.id, m.texts])).to.deep.equal([['notes-1-2', 2], ['notes-3-4', 2], ['notes-5', 1]]);
    expect(JSON.parse(messages[0]!.body)).to.deep.equal({ v: 1, id: 'notes-1-2', texts: ['line 1', 'line 2'], metadata: { source: 'notes.txt', rows: ['1', '2'] } });
  });

  it('builds bodies the consumer accepts', () => {
    const limits = { maxTextsPerMessage: 2, maxTextChars: 100, maxMessageBytes: 262_144, model: 'm', defaultPriority: 'normal' as const };

    for (const m of buildMessages(rows, { ...options, priority: 'critical' })) expect(parseEmbedMessage({ body: m.body }, limits).priority).to.equal('critical');
  });

  it('refuses ids that would collide or cannot name a file, before anything is sent', () => {
    expect(() => buildMessages([{ id: 'a', text: 'x' }, { id: 'a', text: 'y' }], { ...options, textsPerMessage: 1 })).to.throw(/overwrite each other/);
    expect(() => buildMessages([{ id: 'a/b', text: 'x' }], { ...options, textsPerMessage: 1 })).to.throw(/cannot be a message id/);
  });

  it('refuses a message over the byte limit and says to lower --texts-per-message', () => {
    expect(() => buildMessages(rows, { ...options, maxMessageBytes: 50 })).to.throw(/lower --texts-per-message/);
  });

  it('derives a safe default prefix from the file name', () => {
    expect([defaultIdPrefix('/data/my notes.v2.txt'), defaultIdPrefix('_.txt')]).to.deep.equal(['my_notes.v2-', '']);
  });
});
