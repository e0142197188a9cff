// Telegram sends the photos of one album (media group) as separate updates sharing a
// media_group_id, with no marker for the last one. The collector gathers them until the group has
// been quiet for a moment, then hands them over at once, so the conversation sees one message.

export interface AlbumCollectorOptions {
  /** Quiet period after the latest part before the album counts as complete. */
  quietMs?: number;
  /** Hard cap from the first part, so a trickle of parts cannot hold an album forever. */
  maxWaitMs?: number;
  /** Telegram albums hold at most ten items: the tenth completes the album at once. */
  maxItems?: number;
}

export interface AlbumCollector<T> {
  /**
   * Adds one part. The first part of a group gets the promise of the whole album (resolved with
   * every part, in arrival order); later parts get null, as their album is already being awaited.
   */
  add(groupKey: string, item: T): Promise<T[]> | null;
  /** Albums still gathering. */
  pending(): number;
  /** Completes every album now (shutdown): nothing received is dropped. */
  flush(): void;
}

interface Gathering<T> {
  items: T[];
  resolve: (items: T[]) => void;
  quiet: NodeJS.Timeout;
  cap: NodeJS.Timeout;
}

export function createAlbumCollector<T>(opts: AlbumCollectorOptions = {}): AlbumCollector<T> {
  const quietMs = opts.quietMs ?? 800;
  const maxWaitMs = opts.maxWaitMs ?? 5_000;
  const maxItems = opts.maxItems ?? 10;
  const open = new Map<string, Gathering<T>>();

  function complete(key: string): void {
    const g = open.get(key);
    if (!g) return;
    open.delete(key);
    clearTimeout(g.quiet);
    clearTimeout(g.cap);
    g.resolve(g.items);
  }

  return {
    add(groupKey, item) {
      const g = open.get(groupKey);
      if (g) {
        g.items.push(item);
        g.quiet.refresh();
        if (g.items.length >= maxItems) complete(groupKey);
        return null;
      }
      let resolve!: (items: T[]) => void;
      const done = new Promise<T[]>((r) => (resolve = r));
      open.set(groupKey, {
        items: [item],
        resolve,
        quiet: setTimeout(() => complete(groupKey), quietMs),
        cap: setTimeout(() => complete(groupKey), maxWaitMs),
      });
      if (maxItems <= 1) complete(groupKey);
      return done;
    },
    pending: () => open.size,
    flush() {
      for (const key of [...open.keys()]) complete(key);
    },
  };
}
