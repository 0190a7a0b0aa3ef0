import { type Batch, batchedSender, unbatched } from './ipc-batch.ts';

type Message = { edgeplane: 'n'; n: number };

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('batchedSender', () => {
  it('sends the messages of one turn as one batch, in order, at the end of the turn', async () => {
    const written: (Message | Batch<Message>)[] = [];
    const send = batchedSender<Message>((message) => written.push(message));
    for (let n = 1; n <= 3; n++) send({ edgeplane: 'n', n });
    expect(written).toEqual([]);
    await nextTurn();
    expect(written).toEqual([
      {
        edgeplane: 'batch',
        messages: [
          { edgeplane: 'n', n: 1 },
          { edgeplane: 'n', n: 2 },
          { edgeplane: 'n', n: 3 },
        ],
      },
    ]);
    expect(unbatched(written[0] as Batch<Message>).map((m) => m.n)).toEqual([1, 2, 3]);
  });

  it('sends a lone message as it is, and starts a new batch in the next turn', async () => {
    const written: (Message | Batch<Message>)[] = [];
    const send = batchedSender<Message>((message) => written.push(message));
    send({ edgeplane: 'n', n: 1 });
    await nextTurn();
    send({ edgeplane: 'n', n: 2 });
    await nextTurn();
    expect(written).toEqual([
      { edgeplane: 'n', n: 1 },
      { edgeplane: 'n', n: 2 },
    ]);
    expect(unbatched(written[1] as Message)).toEqual([{ edgeplane: 'n', n: 2 }]);
  });

  it('hands over the transfer lists of every message in the batch, in order', async () => {
    const written: ArrayBuffer[][] = [];
    const send = batchedSender<Message>((_message, transfer) => written.push(transfer));
    const first = new ArrayBuffer(1);
    const second = new ArrayBuffer(2);
    send({ edgeplane: 'n', n: 1 }, [first]);
    send({ edgeplane: 'n', n: 2 });
    send({ edgeplane: 'n', n: 3 }, [second]);
    await nextTurn();
    send({ edgeplane: 'n', n: 4 });
    await nextTurn();
    expect(written).toEqual([[first, second], []]);
    expect(written[0]?.[0]).toBe(first);
  });
});
