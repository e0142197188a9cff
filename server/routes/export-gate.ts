import { TooManyRequestsError } from '../../core/errors.ts';

/**
 * How many exports are built at once in this process. An export of a year of cases holds tens
 * of thousands of rows in memory, several times over while it becomes a table and a file;
 * sixteen at once (16 clients at 100,000 cases) made the garbage collector hold the event loop
 * for 200–500 ms. A few are built at a time, the next ones wait their turn in order, and when
 * too many already wait the request is refused (429, Retry-After) rather than queued for ever.
 */
export interface ExportGate {
  /** Runs `build` when a slot is free; throws TooManyRequestsError when the queue is full. */
  run<T>(build: () => Promise<T>): Promise<T>;
  /**
   * Takes a slot (waiting in turn, or TooManyRequestsError) and gives back its release, for a
   * streamed export that holds the slot until its last byte is sent. Releasing twice is harmless.
   */
  acquire(): Promise<() => void>;
  readonly building: number;
  readonly waiting: number;
}

export const EXPORT_SLOTS = 2;
export const EXPORT_QUEUE = 16;
/** What a refused caller is told to wait: about one export's time. */
const RETRY_AFTER_SECONDS = 10;

export function createExportGate(slots = EXPORT_SLOTS, queue = EXPORT_QUEUE): ExportGate {
  let building = 0;
  const waiters: Array<() => void> = [];
  const release = () => {
    const next = waiters.shift();
    if (next) next();
    else building -= 1;
  };
  const acquire = async (): Promise<() => void> => {
    if (building >= slots) {
      if (waiters.length >= queue)
        throw new TooManyRequestsError(
          `正在生成的导出文件过多，请 ${RETRY_AFTER_SECONDS} 秒后再试。`,
          RETRY_AFTER_SECONDS,
        );
      // The slot is handed over by release(), so `building` stays as it is.
      await new Promise<void>((resolve) => waiters.push(resolve));
    } else building += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };
  return {
    acquire,
    async run(build) {
      const done = await acquire();
      try {
        return await build();
      } finally {
        done();
      }
    },
    get building() {
      return building;
    },
    get waiting() {
      return waiters.length;
    },
  };
}
