// IPC messages between the baseline runner and its child processes (JSON over the fork channel).

export type StockJiffWork = 'sum' | 'multiply';
export type StockJiffVariant = 'default-prime' | 'bignumber-2^61';

export interface ServerConfig {
  readonly variant: StockJiffVariant;
}

export type ServerToParent =
  { type: 'listening'; port: number } | { type: 'failed'; error: string };

export interface PartyConfig {
  readonly url: string;
  readonly computationId: string;
  readonly partyId: number;
  readonly partyCount: number;
  readonly work: StockJiffWork;
  readonly variant: StockJiffVariant;
  readonly m: number;
  /** JSON array of this party's m input values; null for a party without inputs. */
  readonly inputFile: string | null;
  /** Where the party writes its m opened results, one decimal per line. */
  readonly resultFile: string;
}

export type ParentToParty = { type: 'go' } | { type: 'finish' };

export type PartyToParent =
  | { type: 'ready' }
  /** Sent about once a second while the work runs; bytes counted since `go`. */
  | { type: 'progress'; bytesSent: number; opened: number }
  /** The party holds all m opened results (the end of its timed window). */
  | { type: 'done' }
  /** Results written; bytes counted from `go` until its outgoing messages were all acknowledged. */
  | { type: 'written'; bytesSent: number }
  | { type: 'failed'; error: string };
