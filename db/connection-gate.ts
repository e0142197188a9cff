export type GateUser = 'raw' | 'prisma';

/**
 * First come, first served access to the one SQLite connection. It knows who waits next, so a
 * batch of raw units can stay open while more raw units queue, and is committed before Prisma
 * gets the connection (see sql-connection.ts).
 */
export class ConnectionGate {
  #held = false;
  readonly #queue: Array<{ user: GateUser; go: () => void }> = [];

  get held(): boolean {
    return this.#held;
  }

  /** Who gets the connection next, if anyone is waiting. */
  get next(): GateUser | null {
    return this.#queue[0]?.user ?? null;
  }

  /** Takes the connection: at once (null) when it is free, else a promise for its turn. */
  acquire(user: GateUser): Promise<void> | null {
    if (!this.#held) {
      this.#held = true;
      return null;
    }
    return new Promise((go) => this.#queue.push({ user, go }));
  }

  /** Hands the connection to the next in line, or frees it. */
  release(): void {
    const next = this.#queue.shift();
    if (next) next.go();
    else this.#held = false;
  }

  async run<T>(user: GateUser, fn: () => Promise<T>): Promise<T> {
    const wait = this.acquire(user);
    if (wait) await wait;
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}
