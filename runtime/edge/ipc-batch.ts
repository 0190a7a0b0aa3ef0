// Messages between the edge's primary and its worker threads, sent once per event-loop turn: under
// load a worker answers many requests per turn, and each postMessage costs a serialisation, a
// wake-up of the other thread and a parse there. Messages keep their order,
// so a purge acknowledgement still follows the purge it answers.

export interface Batch<M> {
  edgeplane: 'batch';
  messages: M[];
}

/**
 * Queues messages and hands them to `write` at the end of the current turn (setImmediate): one
 * message as it is, several as a `batch`, with the ArrayBuffers to transfer (move, not copy) of all.
 */
export function batchedSender<M>(
  write: (message: M | Batch<M>, transfer: ArrayBuffer[]) => void,
): (message: M, transfer?: readonly ArrayBuffer[]) => void {
  let queue: M[] = [];
  let transfers: ArrayBuffer[] = [];
  const flush = () => {
    const messages = queue;
    const transfer = transfers;
    queue = [];
    transfers = [];
    if (messages.length === 1) write(messages[0] as M, transfer);
    else if (messages.length > 1) write({ edgeplane: 'batch', messages }, transfer);
  };
  return (message, transfer) => {
    queue.push(message);
    if (transfer !== undefined) transfers.push(...transfer);
    if (queue.length === 1) setImmediate(flush);
  };
}

/** The messages a received IPC message carries: itself, or a batch's contents in order. */
export function unbatched<M>(message: M | Batch<M>): M[] {
  const maybe = message as Partial<Batch<M>>;
  return maybe.edgeplane === 'batch' && Array.isArray(maybe.messages)
    ? maybe.messages
    : [message as M];
}
