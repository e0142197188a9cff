/** What the hotline import reads and writes besides filing cases (db/hotline-store.ts implements it). */
export interface HotlineStore {
  /** Case numbers of the orders of this source already filed, by 工单编号. */
  importedRefs(source: string, refs: readonly string[]): Promise<Map<string, string>>;
  /**
   * The person record of a caller: personal data (name, phone) kept for staff who may call
   * back, never published. One record per name and phone, so importing again adds none.
   */
  callerPerson(caller: { name: string | null; phone: string | null }): Promise<number>;
}
