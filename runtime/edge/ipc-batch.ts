// IPC between the edge's primary and its workers, sent once per event-loop turn: under load a
// worker answers many requests per turn, and each node:cluster message costs a serialisation, a
// pipe write and, on the other side, a wake-up and a parse. A CPU profile of misses showed the
// pipe writes alone (writeBuffer) as the hottest native function. Messages keep their order,
// so a purge acknowledgement still follows the purge it answers.

export interface Batch<M> {
  edgeplane: 'batch';
  messages: M[];
}

/**
 * Queues messages and hands them to `write` at the end of the current turn (setImmediate): one
 * message as it is, several as a `batch`.
 */
export function batchedSender<M>(write: (message: M | Batch<M>) => void): (message: M) => void {
  let queue: M[] = [];
  const flush = () => {
    const messages = queue;
    queue = [];
    if (messages.length === 1) write(messages[0] as M);
    else if (messages.length > 1) write({ edgeplane: 'batch', messages });
  };
  return (message) => {
    queue.push(message);
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
