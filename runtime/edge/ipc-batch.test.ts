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
});
